/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent.h: owns sofia-sip's nua on the GLib main loop: the account's
 * registration (with refresh and backoff), outgoing and incoming calls. */
#pragma once

#include <gio/gio.h>
#include "trv-account-config.h"
#include "trv-nat-config.h"
#include "trv-media-config.h"
#include "trv-media-session.h"
#include "trv-call.h"
#include "trv-nat-report.h"

G_BEGIN_DECLS

/* TRV_TYPE_REGISTRATION_STATE (trv-sip-enums.h); nicks "disabled", "registered", ... */
typedef enum {
  TRV_REGISTRATION_DISABLED,     /* no account or register=false */
  TRV_REGISTRATION_UNREGISTERED, /* not (yet / any more) registered */
  TRV_REGISTRATION_REGISTERING,
  TRV_REGISTRATION_REGISTERED,
  TRV_REGISTRATION_FAILED,       /* see registration error; a retry is scheduled */
} TrvRegistrationState;

#define TRV_TYPE_USER_AGENT (trv_user_agent_get_type ())
G_DECLARE_FINAL_TYPE (TrvUserAgent, trv_user_agent, TRV, USER_AGENT, GObject)

/* account may be NULL: then only direct calls to sip:user@host[:port] are possible
 * and the agent listens on `listen_address` (see start). */
TrvUserAgent *trv_user_agent_new (const TrvAccountConfig *account,
                                  const TrvNatConfig *nat,
                                  const TrvMediaConfig *media);

/* Options (audio source/sink, files, jitter) for calls created from now on. */
void          trv_user_agent_set_media_options (TrvUserAgent *self,
                                                const TrvMediaOptions *options);
/* Answer incoming calls automatically (the echo endpoint does). */
void          trv_user_agent_set_auto_answer   (TrvUserAgent *self, gboolean auto_answer);
/* Whose "network-changed" restarts ICE on established calls (default: GLib's monitor).
 * Before start(). */
void          trv_user_agent_set_network_monitor (TrvUserAgent *self, GNetworkMonitor *monitor);
/* nat.mode = auto: the concrete mode (and TURN transport) calls use, normally a NAT
 * probe's recommendation (TrvNatReport recommended_mode / recommended_turn_transport).
 * Needed before start() when the config says auto; ignored for any other mode. */
void          trv_user_agent_resolve_auto_mode (TrvUserAgent *self,
                                                TrvNatMode mode,
                                                TrvTurnTransport turn_transport);

/* Binds the SIP transport (account transport and local-port, or UDP on
 * listen_address:0 without account) and, when the account registers, starts
 * registering. Errors: TRV_ERROR_INVALID_CONFIG, TRV_ERROR_UNREACHABLE (cannot bind),
 * TRV_ERROR_NOT_AVAILABLE (NAT mode not available yet). When the account's registrar
 * (or, for an account that does not register, its domain) is a host name and
 * listen_address is NULL, it returns at once and binds once the name is looked up: the
 * contact URI is NULL meanwhile, and "started" is emitted when the agent listens. For a
 * registering account the state is "registering" meanwhile and a failed lookup or bind
 * is a registration failure, retried with backoff; otherwise "started" carries the error
 * (TRV_ERROR_UNRESOLVABLE, TRV_ERROR_UNREACHABLE) and the agent stays stopped. */
gboolean      trv_user_agent_start (TrvUserAgent *self,
                                    const char *listen_address,
                                    GError **error);

/* A SIP URI on which this agent can be called directly (e.g. "sip:echo@127.0.0.1:5071");
 * NULL before start, and when the account takes calls only through its registrar or
 * proxy (account.allow-direct-calls false). */
const char   *trv_user_agent_get_contact_uri (TrvUserAgent *self);
/* The contact URI as others on the network call it: when the agent listens on every
 * address (0.0.0.0), the local address its route to the outside leaves from stands in
 * (127.0.0.1 without a route). NULL before start(). */
gchar        *trv_user_agent_dup_direct_uri  (TrvUserAgent *self);
/* How people outside this network reach the address for direct calls. */
typedef enum {
  TRV_PUBLIC_REACH_UNKNOWN,    /* nothing known (no probe, no public address; not started) */
  TRV_PUBLIC_REACH_SAME,       /* no NAT: the address for direct calls is public already */
  TRV_PUBLIC_REACH_CONFIGURED, /* nat.public-address: the router forwards our port there */
  TRV_PUBLIC_REACH_MAPPED,     /* the probe saw this public address; our port must be
                                * forwarded there for calls from outside to arrive */
  TRV_PUBLIC_REACH_SYMMETRIC,  /* a symmetric NAT: no fixed outside address for direct calls */
} TrvPublicReach;
/* From the configured public address, else `report` (the last NAT probe, may be NULL):
 * how the outside reaches us, with the URI for CONFIGURED and MAPPED (*uri, else NULL). */
TrvPublicReach trv_user_agent_get_public_reach (TrvUserAgent *self,
                                                const TrvNatReport *report,
                                                gchar **uri);
/* The port to listen on when the account names none (account.local-port), if it is free
 * at start(): the previous run's, so that the address for direct calls stays the same.
 * 0 (the default): any free port. */
void          trv_user_agent_set_preferred_port (TrvUserAgent *self, guint16 port);
/* The SIP port listened on; 0 until listening. */
guint16       trv_user_agent_get_local_port     (TrvUserAgent *self);

TrvRegistrationState trv_user_agent_get_registration_state  (TrvUserAgent *self);
/* Why the last registration attempt failed (NULL unless state is FAILED). */
const GError *trv_user_agent_get_registration_error (TrvUserAgent *self);
/* Status of the last REGISTER response (0 if none). */
guint         trv_user_agent_get_registration_status (TrvUserAgent *self);
/* The wait in s before the next attempt that the registrar asked for (Retry-After,
 * capped as the backoff is) when the last attempt failed with one; 0 otherwise. */
guint         trv_user_agent_get_registration_retry_after (TrvUserAgent *self);
/* Retry now instead of waiting for the backoff timer. */
void          trv_user_agent_retry_registration (TrvUserAgent *self);

/* Message waiting (RFC 3842), from the account's message-summary subscription or a
 * server's unsolicited NOTIFY: voice messages new and old (-1: not known), and the
 * mailbox's URI to call (Message-Account; NULL until a server named one). Properties
 * "voicemail-new", "voicemail-old", "voicemail-account", each notified on change. */
gint          trv_user_agent_get_voicemail_new     (TrvUserAgent *self);
gint          trv_user_agent_get_voicemail_old     (TrvUserAgent *self);
const char   *trv_user_agent_get_voicemail_account (TrvUserAgent *self);
/* What "Call Voicemail" dials: the account's voicemail setting when the user gave one
 * (it is explicit, and a server's Message-Account is not always dialable), else the
 * server's Message-Account; NULL when neither is known. Changes with "voicemail-account". */
const char   *trv_user_agent_get_voicemail_box     (TrvUserAgent *self);

/* `target`: a SIP/SIPS URI or a bare number/user (then @account-domain). */
TrvCall      *trv_user_agent_dial (TrvUserAgent *self, const char *target, GError **error);
/* Calls `uri` (a full SIP URI) straight at its host, in any registration state: not
 * through the account's registrar or proxy, not from its address, with none of its
 * credentials or SRTP policy. For an endpoint on this machine such as the echo test
 * (trv_echo_endpoint_get_uri()). */
TrvCall      *trv_user_agent_dial_local (TrvUserAgent *self, const char *uri, GError **error);
/* Calls that have not ended (borrowed). */
GList        *trv_user_agent_get_calls (TrvUserAgent *self);

/* Call waiting (see trv_call_get_waiting). The established call that is not on hold, or
 * NULL (borrowed). */
TrvCall      *trv_user_agent_get_current_call (TrvUserAgent *self);
/* Answers a ringing incoming call after putting every active call on hold (a re-INVITE
 * each; the answer does not wait for their 200s). Fails (TRV_ERROR_INVALID_STATE) when
 * @call does not ring or a call cannot be held now; then @call still rings. */
gboolean      trv_user_agent_hold_and_answer  (TrvUserAgent *self, TrvCall *call,
                                               GError **error);
/* Answers a ringing incoming call after hanging up every active call (held calls stay
 * held). Fails like hold_and_answer. */
gboolean      trv_user_agent_end_and_answer   (TrvUserAgent *self, TrvCall *call,
                                               GError **error);
/* Makes an established @call the current one: every other active call is put on hold,
 * @call resumed if it was held. */
gboolean      trv_user_agent_switch_to        (TrvUserAgent *self, TrvCall *call,
                                               GError **error);
/* Blind transfer of @call (ours, established) to @target as the user typed it (a name or
 * number goes through the account, as for trv_user_agent_dial()): trv_call_transfer(). */
gboolean      trv_user_agent_transfer        (TrvUserAgent *self, TrvCall *call,
                                              const char *target, GError **error);
/* Attended transfer, first step: holds @call (established, ours) and calls @target, the
 * consultation (see trv_call_get_consultation()); trv_call_complete_transfer() on @call
 * then hands @call's peer over to the target. Returns the new call (owned by the agent). */
TrvCall      *trv_user_agent_consult         (TrvUserAgent *self, TrvCall *call,
                                              const char *target, GError **error);

/* Hangs up calls, unregisters (bounded wait), shuts nua down. */
void          trv_user_agent_shutdown_async  (TrvUserAgent *self,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data);
gboolean      trv_user_agent_shutdown_finish (TrvUserAgent *self,
                                              GAsyncResult *result,
                                              GError **error);

/* Signals:
 *  "registration-changed" ()
 *  "incoming-call"        (TrvCall *call)
 *  "call-added"           (TrvCall *call)   every new call, either direction
 *  "started"              (const GError *error)  the agent listens now (error NULL) or
 *                         could not start; only after a start() that returned with the
 *                         contact URI still NULL (see start)
 * Property: "registration-state" (TrvRegistrationState, TRV_TYPE_REGISTRATION_STATE). */

G_END_DECLS
