/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call.h: one SIP dialog and its media. */
#pragma once

#include <glib-object.h>
#include "trv-media-session.h"

G_BEGIN_DECLS

/* GTypes and nicks ("dialing", "local-hangup", ...) in trv-sip-enums.h. */
typedef enum {
  TRV_CALL_STATE_DIALING,    /* outgoing: INVITE sent */
  TRV_CALL_STATE_RINGING,    /* outgoing: 180/183 received */
  TRV_CALL_STATE_INCOMING,   /* incoming: waiting for answer/reject */
  TRV_CALL_STATE_ACTIVE,
  TRV_CALL_STATE_HELD,       /* we put the call on hold */
  TRV_CALL_STATE_ENDED,
} TrvCallState;

typedef enum {
  TRV_CALL_DIRECTION_OUTGOING,
  TRV_CALL_DIRECTION_INCOMING,
} TrvCallDirection;

typedef enum {
  TRV_CALL_END_NONE,
  TRV_CALL_END_LOCAL_HANGUP,
  TRV_CALL_END_REMOTE_HANGUP,
  TRV_CALL_END_REJECTED,      /* the peer rejected our INVITE */
  TRV_CALL_END_DECLINED,      /* we rejected an incoming call */
  TRV_CALL_END_CANCELLED,     /* outgoing cancelled by us, or incoming cancelled by the caller */
  TRV_CALL_END_FAILED,        /* signalling or negotiation failure; see error */
  TRV_CALL_END_NO_MEDIA,      /* ended for lack of media: no path (ICE), or nothing
                               * arrived for the inactivity timeout; the error says which */
} TrvCallEndReason;

/* What the caller hears before the answer. */
typedef enum {
  TRV_CALL_RINGBACK_NONE,
  TRV_CALL_RINGBACK_LOCAL,     /* our own ringback tone: the far end rings without media */
  TRV_CALL_RINGBACK_NETWORK,   /* early media (RFC 3960): the far end's tone, announcement, IVR */
} TrvCallRingback;

#define TRV_TYPE_CALL (trv_call_get_type ())
G_DECLARE_FINAL_TYPE (TrvCall, trv_call, TRV, CALL, GObject)

TrvCallState     trv_call_get_state       (TrvCall *self);
TrvCallDirection trv_call_get_direction   (TrvCall *self);
const char      *trv_call_get_remote_uri  (TrvCall *self);
const char      *trv_call_get_remote_name (TrvCall *self);   /* display name or NULL */
gboolean         trv_call_get_remote_held (TrvCall *self);   /* the peer put us on hold */
gboolean         trv_call_get_muted       (TrvCall *self);
/* Nothing (RTP or RTCP) arrived from the peer for a few seconds although the call is
 * not on hold: the far end may be gone. The call ends after media.inactivity-timeout. */
gboolean         trv_call_get_media_silent (TrvCall *self);
/* How often the peer put us on hold during the call. */
guint            trv_call_get_remote_hold_count (TrvCall *self);
/* DTMF digits received so far (RFC 4733 and SIP INFO). */
const char      *trv_call_get_dtmf_received (TrvCall *self);
/* Final SIP status of the INVITE (200, 486, ...) or 0. */
guint            trv_call_get_sip_status  (TrvCall *self);
TrvCallEndReason trv_call_get_end_reason  (TrvCall *self);
/* Why the call failed, when it did (TRV_ERROR_*). */
const GError    *trv_call_get_error       (TrvCall *self);
/* The session timer interval (RFC 4028) in seconds; 0 before the call is answered. */
guint            trv_call_get_session_expires (TrvCall *self);
TrvMediaTransport    *trv_call_get_transport   (TrvCall *self);   /* NULL before media */
TrvMediaSession *trv_call_get_media       (TrvCall *self);   /* NULL before media */
const TrvNegotiation *trv_call_get_negotiation (TrvCall *self);
/* Milliseconds from dial to 200 OK / to first RTP received; -1 if not (yet). */
gint64           trv_call_get_setup_ms    (TrvCall *self);
gint64           trv_call_get_first_rtp_ms (TrvCall *self);
/* Wall-clock time (ms since the epoch) of the dial, or of the answer for incoming calls;
 * -1 before either. Comparable across processes on one machine (bench/). */
gint64           trv_call_get_dial_unix_ms (TrvCall *self);
/* What the caller hears (heard) before the answer; also the "ringback" property. */
TrvCallRingback  trv_call_get_ringback    (TrvCall *self);
/* Seconds of early media played before the answer (or the end). */
double           trv_call_get_early_media_s (TrvCall *self);
/* Seconds the call was (has been) active. */
double           trv_call_get_duration_s  (TrvCall *self);

/* Call waiting: TRUE for an incoming call that arrived while another call was active or
 * on hold, as long as it rings (a front end rings softly; see the agent's
 * trv_user_agent_hold_and_answer and trv_user_agent_end_and_answer). */
gboolean         trv_call_get_waiting     (TrvCall *self);
/* When we put the call on hold (g_get_monotonic_time() then), 0 while it is not held:
 * how long it has been waiting is g_get_monotonic_time() minus this. */
gint64           trv_call_get_held_since  (TrvCall *self);

gboolean trv_call_answer    (TrvCall *self, GError **error);
/* status: 486 busy, 603 decline, ... */
gboolean trv_call_reject    (TrvCall *self, guint status, GError **error);
/* CANCEL before answer, BYE after. Never fails on an already ended call. */
void     trv_call_hangup    (TrvCall *self);
/* Like hangup, with the reason to record (e.g. TRV_CALL_END_NO_MEDIA). */
void     trv_call_hangup_with_reason (TrvCall *self, TrvCallEndReason reason);
gboolean trv_call_set_held  (TrvCall *self, gboolean held, GError **error);
void     trv_call_set_muted (TrvCall *self, gboolean muted);
/* RFC 4733 when negotiated, SIP INFO (application/dtmf-relay) otherwise. Before the
 * answer only over early media with RFC 4733 (navigating an IVR). */
gboolean trv_call_send_dtmf (TrvCall *self, const char *digits, GError **error);
/* Blind transfer (RFC 3515/5589): REFER the peer to @target (sip:, sips: or tel:) in this
 * established call. "transferred" follows when the target answered (the call then ends
 * with BYE), "transfer-failed" when the peer refused or the target could not be reached
 * (the call goes on). */
gboolean trv_call_transfer  (TrvCall *self, const char *target, GError **error);
/* Attended transfer (RFC 5589 7): REFER the peer of this established call to the peer of
 * @target_call, another established call of ours, with Replaces for that call's dialog,
 * so that the two talk to each other. "transferred" and "transfer-failed" as for a blind
 * transfer; on success both of our calls end with BYE (unless the target's ended first). */
gboolean trv_call_transfer_to_call (TrvCall *self, TrvCall *target_call, GError **error);
/* The call to a transfer target consulted for this call (see
 * trv_user_agent_consult()), while it is up; else NULL. */
TrvCall *trv_call_get_consultation (TrvCall *self);
/* Whether this call was placed by trv_user_agent_consult() (to a transfer target). */
gboolean trv_call_is_consultation (TrvCall *self);
/* Completes the transfer consulted for: trv_call_transfer_to_call() to the consultation. */
gboolean trv_call_complete_transfer (TrvCall *self, GError **error);
/* The target this call was transferred to (either side), or NULL. */
const char *trv_call_get_transferred_to (TrvCall *self);
/* Latest live quality (see TrvQuality); FALSE while no media was measured. */
gboolean trv_call_get_quality (TrvCall *self, TrvQuality *quality);

/* Properties (read-only but "muted"; each notified when it changes):
 *  "state" (TrvCallState), "direction", "remote-uri", "remote-name", "muted",
 *  "remote-held", "remote-hold-count", "sip-status", "end-reason" (TrvCallEndReason),
 *  "media-silent", "ringback" (TrvCallRingback: "network" once early media plays)
 *
 * Signals:
 *  "state-changed" (TrvCallState old_state)   after notify::state
 *  "dtmf-received" (gchar digit)     RFC 4733 or SIP INFO
 *  "media-started" ()                first RTP received
 *  "path-changed"  ()                the transport's selected path changed
 *  "quality-changed" (TrvQuality *)  new RTT/loss/jitter/MOS after an RTCP report
 *  "transferred" (const char *target, TrvCall *new_call)  transferor: the target answered
 *                                    (new_call NULL); transferee: the peer's REFER was
 *                                    accepted and new_call is our call to the target
 *  "transfer-failed" (GError *)      transferor: the REFER was refused or the target not
 *                                    reached; the call goes on
 *  "replaced" (TrvCall *new_call)    an INVITE with Replaces (RFC 3891) for this call came:
 *                                    new_call takes over (answered at once) and this call
 *                                    ends with BYE */

G_END_DECLS
