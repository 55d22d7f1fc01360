/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-private.h: what the user agent needs of a call (not for front ends). */
#pragma once

#include "trv-call.h"
#include "trv-sofia.h"
#include "trv-account-config.h"
#include "trv-media-config.h"
#include "trv-nat-config.h"
#include "trv-srtp.h"
#include "trv-ringback.h"

G_BEGIN_DECLS

/* Per-call context handed over by the agent; the call copies what it keeps. */
typedef struct {
  const TrvAccountConfig *account;     /* credentials for digest challenges; may be NULL */
  const TrvMediaConfig *media;
  const TrvMediaOptions *options;
  const char *media_address;           /* local IP for media (route toward the peer) */
  const char *advertised_address;      /* public address for SDP, or NULL */
  TrvNatMode nat_mode;                 /* none: plain UDP; stun/turn/ice: ICE (never auto) */
  const TrvNatConfig *nat;             /* STUN/TURN servers and credentials */
  const char *domain;                  /* for STUN/TURN SRV discovery; may be NULL */
  TrvSrtpSettings srtp;                /* account policy; secure_signalling: over TLS */
} TrvCallContext;

TrvCall *_trv_call_new_outgoing (const TrvCallContext *ctx,
                                 nua_handle_t *nh,
                                 const char *remote_uri);
TrvCall *_trv_call_new_incoming (const TrvCallContext *ctx,
                                 nua_handle_t *nh,
                                 const sip_t *sip);
/* Builds the offer and sends the INVITE (after preparing the transport). */
void     _trv_call_start_outgoing (TrvCall *self);
/* Dispatch of nua events of this call's handle. */
void     _trv_call_handle_event (TrvCall *self, nua_event_t event, int status,
                                 const char *phrase, nua_handle_t *nh,
                                 const sip_t *sip, tagi_t tags[]);
/* Fails the call at once (e.g. the agent shuts down). */
void     _trv_call_terminate (TrvCall *self, TrvCallEndReason reason);

struct _TrvCall {
  GObject parent_instance;

  TrvAccountConfig *account;    /* for digest challenges (trv-sip-auth); may be NULL */
  TrvMediaConfig *media_config;
  TrvMediaOptions *options;
  gchar *media_address;
  gchar *advertised_address;

  nua_handle_t *nh;
  TrvCall *handle_ref;          /* self-reference while sofia may still call us */

  TrvCallState state;
  TrvCallDirection direction;
  gchar *remote_uri;
  gchar *remote_name;
  guint sip_status;
  TrvCallEndReason end_reason;
  GError *error;
  guint auth_attempts;

  TrvMediaTransport *transport;
  gboolean transport_ready;
  gboolean answer_requested;
  TrvMediaSession *media;
  TrvNegotiation *negotiation;
  TrvSrtpSettings srtp;
  gchar *srtp_key;              /* our SDES master key for this call, NULL: policy off */
  gchar *local_offer;           /* our last offer, to read the answer against */
  gchar *remote_offer;          /* an incoming INVITE's offer until we answer */
  guint64 session_id;
  guint64 session_version;

  gboolean invite_sent;
  gboolean reinvite_pending;
  gboolean offer_in_answer;     /* our offer went in the 2xx to an INVITE without one: the
                                 * answer comes in the ACK (trv-call-reoffer.c) */
  gboolean ice_restarting;      /* our re-INVITE carries an ICE restart */
  guint glare_source;           /* retry of that re-INVITE after a 491 */
  guint verdict_source;         /* the no-path verdict after the answer (trv-call-silence.c) */
  gboolean ice_regathering;     /* our restart is gathering: its offer is not out yet */
  guint ice_restarts;
  gboolean want_held;
  gint64 held_since_us;         /* monotonic time the call went on hold (trv-call-hold.c) */
  gboolean waiting;             /* incoming while another call was up (call waiting) */
  gboolean remote_held;
  guint remote_hold_count;
  gboolean muted;

  gint64 dial_time_us;
  gint64 answer_time_us;
  gboolean bye_done;            /* a BYE went out or came in: the dialog is ending */
  gint64 end_time_us;
  gint64 first_rtp_ms;

  guint session_expires;        /* RFC 4028 interval in s, 0 before the answer */
  guint session_min_se;         /* the largest Min-SE a 422 asked of us */

  /* trv-call-early.c: before the answer of an outgoing call */
  gchar *early_answer;          /* SDP of the provisional response whose media runs */
  TrvRingback *ringback;        /* our tone while the far end rings without media */
  TrvCallRingback ringback_kind;
  gint64 early_start_us;        /* first RTP of early media, 0: none */
  gint64 early_end_us;

  GString *info_queue;          /* DTMF digits waiting to go out as SIP INFO */
  gboolean info_in_flight;
  GString *dtmf_received;

  /* trv-call-transfer.c: blind transfer (RFC 5589), either side */
  gchar *transfer_target;       /* the Refer-To of the transfer under way */
  gchar *transferred_to;        /* the target a transfer succeeded to */
  gchar *refer_event;           /* transferee: Event of the REFER's subscription (NOTIFYs) */
  TrvCall *transfer_call;       /* transferee: our call to the target */
  guint transfer_source;        /* transferee: bounded wait for the transferor's BYE */

  /* trv-call-attended.c: attended transfer (RFC 5589 7, RFC 3891 Replaces) */
  TrvCall *consultation;        /* transferor: our call to the target, consulted first */
  gboolean attended;            /* transferor: our REFER carries that call's Replaces */
  gboolean is_consultation;     /* transferor: this is the call to a consulted target */
  gchar *replaces;              /* transferee: the Replaces our INVITE to the target carries */
};

/* Shared between trv-call.c (state, actions) and trv-call-sip.c (signalling). */
/* These notify the property they change. */
void             _trv_call_set_state            (TrvCall *self, TrvCallState state);
void             _trv_call_set_sip_status       (TrvCall *self, guint status);
void             _trv_call_end                  (TrvCall *self, TrvCallEndReason reason,
                                                 GError *error);
void             _trv_call_fail                 (TrvCall *self, GError *error);
/* BYE (with an RFC 3326 Reason value, or NULL), once per call. */
void             _trv_call_bye                  (TrvCall *self, const char *reason);
gboolean         _trv_call_apply_negotiation    (TrvCall *self, TrvNegotiation *negotiation,
                                                 GError **error);
void             _trv_call_update_remote_hold   (TrvCall *self);
TrvDirection     _trv_call_wanted_direction     (TrvCall *self);
TrvMediaEndpoint *_trv_call_describe_local      (TrvCall *self);
void             _trv_call_send_offer           (TrvCall *self);
void             _trv_call_send_answer          (TrvCall *self);
void             _trv_call_send_next_info       (TrvCall *self);
void             _trv_call_dtmf_received        (TrvCall *self, gchar digit);
/* ICE restart with a re-INVITE (consent lost, network changed). FALSE when the call
 * cannot restart now (not established, no ICE, a re-INVITE in flight, limit reached). */
gboolean         _trv_call_restart_ice          (TrvCall *self, const char *why);
/* Our ICE-restart re-INVITE met the peer's (491): send it again after RFC 3261 14.1's
 * random wait, unless the peer's own restart brought the path back meanwhile. */
void             _trv_call_retry_ice_restart    (TrvCall *self);
/* trv-call-silence.c: the media session's silence and inactivity timeout (call after
 * the session exists, before it starts); BYE with a Reason (RFC 3326) saying why there
 * is no media, so the peer can tell its user too. */
void             _trv_call_watch_media_silence  (TrvCall *self);
/* Seconds after the answer at which a call that heard nothing, where no path can exist,
 * ends saying why: the user hears it within 5 s. Armed when the call is answered. */
#define TRV_PATH_VERDICT_S 4
void             _trv_call_arm_path_verdict     (TrvCall *self);
/* TRV_ERROR_NO_PATH naming the cause (and, in @why, the BYE's English Reason text) when
 * the call heard nothing and its transport's data say no path can exist; else NULL. */
GError          *_trv_call_no_path_error        (TrvCall *self, const char **why);
void             _trv_call_bye_no_media         (TrvCall *self, const char *why);
/* Notifies "media-silent" (trv-call.c owns the properties). */
void             _trv_call_notify_media_silent  (TrvCall *self);
/* trv-call-timer.c: session timers (RFC 4028). sofia refreshes with a bodiless UPDATE
 * and sends BYE on expiry; the user agent sets these defaults on the stack. */
#define TRV_SESSION_EXPIRES 1800        /* RFC 4028's recommended interval */
#define TRV_MIN_SE          90          /* the RFC's floor: proxies demanding 90 s work */
/* The interval sofia ends up with, from the Session-Expires (0: none) and Min-SE of a
 * request we answer (@uas) or of the 2xx to ours. */
guint            _trv_session_interval          (gboolean uas, guint session_expires,
                                                 guint min_se);
void             _trv_call_store_session_timer  (TrvCall *self, gboolean uas, const sip_t *sip);
void             _trv_call_session_too_small    (TrvCall *self, const sip_t *sip);
/* The peer's UPDATE, answered with @nua's current request. */
void             _trv_call_on_update            (TrvCall *self, nua_t *nua, int status,
                                                 const sip_t *sip);
void             _trv_call_on_r_update          (TrvCall *self, int status, const sip_t *sip);
void             _trv_call_on_r_bye             (TrvCall *self, int status);
/* trv-call-reoffer.c: what the far end (often a PBX) changes in an established call, and
 * INVITEs without an offer. */
/* Our offer from the current local endpoint (SRTP keys included); it becomes local_offer. */
gchar           *_trv_call_build_offer          (TrvCall *self, GError **error);
/* Answers an offer in a re-INVITE (@nua NULL) or in an UPDATE (@nua: answers its current
 * request): new codec, hold/resume or a new media address; a refused offer leaves the
 * media as it was. */
void             _trv_call_answer_reoffer       (TrvCall *self, nua_t *nua, const char *offer,
                                                 const sip_t *sip);
/* The 200 with our offer to an INVITE without one: the incoming call being answered
 * (@sip NULL) or a re-INVITE; the answer is read from the ACK. */
void             _trv_call_offer_in_answer      (TrvCall *self, const sip_t *sip);
void             _trv_call_on_ack               (TrvCall *self, const sip_t *sip);
/* Reads the answer to our last offer (in a 2xx or in an ACK) and applies it; a missing
 * or unusable answer fails the call. */
void             _trv_call_apply_answer         (TrvCall *self, const sip_t *sip);
/* trv-call-early.c: a provisional response to our INVITE (early media or our ringback). */
void             _trv_call_on_provisional       (TrvCall *self, int status, const sip_t *sip);
/* The first RTP arrived: early media plays when the call is not answered yet. */
void             _trv_call_early_first_rtp      (TrvCall *self);
/* The 200's SDP (or none) leaves the early media session as it runs. */
gboolean         _trv_call_answer_keeps_early   (TrvCall *self, const char *answer);
/* The call leaves the ringing state (answer or end): the tone stops. */
void             _trv_call_leave_early          (TrvCall *self);
/* An answer to our offer, with the account's SRTP policy applied. */
TrvNegotiation  *_trv_call_read_answer          (TrvCall *self, const char *answer,
                                                 GError **error);
/* Notifies "ringback" (trv-call.c owns the properties). */
void             _trv_call_set_ringback         (TrvCall *self, TrvCallRingback kind);
/* trv-call-hold.c: after the state changed from @old: early media stops, a hold's start
 * is noted. */
void             _trv_call_track_state          (TrvCall *self, TrvCallState old);
/* Unbinds and destroys the nua handle and drops the self-reference held for it. */
void             _trv_call_release_handle       (TrvCall *self);

/* trv-call-transfer.c: blind transfer. */
void             _trv_call_class_init_transfer  (GObjectClass *klass);
/* The call ended: no more NOTIFYs, no wait; what it was transferred to stays. */
void             _trv_call_transfer_stop        (TrvCall *self);
void             _trv_call_transfer_dispose     (TrvCall *self);
/* Whether a transfer can start (established, none under way); else the error says why. */
gboolean         _trv_call_check_transfer       (TrvCall *self, GError **error);
/* REFER with @refer_to (the Refer-To value) to transfer to @target (what we report). */
void             _trv_call_send_refer           (TrvCall *self, const char *target,
                                                 const char *refer_to);
/* Our REFER's answer, and the NOTIFYs of its subscription (answered with @nua's current
 * request): success hangs up, a failure keeps the call. */
void             _trv_call_on_r_refer           (TrvCall *self, int status, const char *phrase,
                                                 const sip_t *sip);
void             _trv_call_on_notify            (TrvCall *self, nua_t *nua, int status,
                                                 const sip_t *sip, tagi_t tags[]);
/* An incoming REFER (@nua's current request): the target to call after answering 202, or
 * NULL after refusing it (400 no/bad Refer-To or a malformed Replaces in it, 403 not
 * sip:/sips:/tel:, 491 busy). *replaces gets the Replaces the INVITE to the target must
 * carry (attended transfer), or NULL. */
gchar           *_trv_call_accept_refer         (TrvCall *self, nua_t *nua, int status,
                                                 const sip_t *sip, tagi_t tags[],
                                                 gchar **replaces);
/* The call placed to the REFER's target (@next NULL: placing it failed with @error): its
 * progress goes to the transferor in NOTIFYs; emits "transferred". */
void             _trv_call_follow_transfer      (TrvCall *self, const char *target,
                                                 TrvCall *next, const GError *error);

/* trv-call-attended.c: attended transfer. */
/* Whether @self is established (active or held, no BYE yet). */
gboolean         _trv_call_is_established       (TrvCall *self);
/* The Replaces value of a URI's "?Replaces=..." (unescaped): TRUE with *value NULL when
 * there is none, FALSE when there is one that does not parse as a Replaces header. */
gboolean         _trv_uri_replaces              (const url_t *url, gchar **value);
/* @consultation is our call to the target of a transfer of @self (kept until dispose). */
void             _trv_call_set_consultation     (TrvCall *self, TrvCall *consultation);
/* The transfer succeeded: an attended transfer ends the consultation too. */
void             _trv_call_attended_done        (TrvCall *self);
void             _trv_call_attended_dispose     (TrvCall *self);
/* Our INVITE to @self's target carries @replaces (set before the INVITE goes out). */
void             _trv_call_set_replaces         (TrvCall *self, const char *replaces);
/* Emits "replaced" on @self: @next (an INVITE with Replaces) takes over from it. */
void             _trv_call_emit_replaced        (TrvCall *self, TrvCall *next);

/* The RFC 3326 Reason cause (protocol SIP) of a BYE for lack of a media path: 480
 * Temporarily Unavailable. The receiver decides on the cause, not on the text. */
#define TRV_CALL_NO_MEDIA_CAUSE 480
/* The Reason headers of a BYE say the peer ended for lack of a media path: returns
 * their text (unquoted), or a generic one when they carry none; NULL otherwise. */
gchar           *_trv_call_no_media_reason      (const sip_reason_t *reason);


G_END_DECLS
