/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent-private.h: the agent's state, shared by trv-user-agent.c (nua,
 * lifecycle), trv-user-agent-calls.c (dialling, incoming calls) and
 * trv-user-agent-register.c (registration with backoff). */
#pragma once

#include "trv-user-agent.h"
#include "trv-sofia.h"

/* Timer F (64*T1): 32 s by the RFC is too long for a person waiting on a softphone. */
#define TRANSACTION_TIMEOUT_MS  16000

G_BEGIN_DECLS

struct _TrvUserAgent {
  GObject parent_instance;

  TrvAccountConfig *account;
  TrvNatConfig *nat;
  TrvNatMode auto_mode;      /* what `auto` resolved to (set once a NAT probe ran) */
  gchar *srv_domain;         /* account domain without port, for STUN/TURN SRV lookups */
  GNetworkMonitor *netmon;   /* network changes restart the calls' ICE */
  guint netmon_settle;
  TrvMediaConfig *media;
  TrvMediaOptions *options;
  gboolean auto_answer;
  GThread *preload;          /* loads the first call's GStreamer plugins (joined at finalize) */

  su_root_t *root;
  GSource *source;
  nua_t *nua;
  gchar *local_address;      /* IP we bound SIP to ("0.0.0.0" when unknown) */
  guint16 local_port;        /* the SIP port we listen on */
  guint16 preferred_port;    /* tried first when the account names none (0: any) */
  gchar *contact_uri;
  gchar *registrar_uri;
  gchar *registrar_host;     /* the registrar's (or domain's) host as configured */
  gchar *registrar_ip;       /* ... and its address, once looked up */
  GCancellable *lookup_cancel;
  gchar *proxy_uri;          /* outbound proxy for every request; NULL: direct */
  gchar *tls_dir;            /* cafile.pem for sofia's TLS transport */
  gboolean tls_checked;      /* the server's certificate passed trv_tls_check */
  GCancellable *tls_check_cancel;

  nua_handle_t *reg_handle;
  TrvRegistrationState reg_state;
  GError *reg_error;
  guint reg_status;
  guint reg_auth_attempts;
  guint backoff_s;
  guint retry_source;
  guint retry_after_s;       /* the wait the registrar asked for (Retry-After); 0: none */
  gint64 lost_at;            /* when a live registration was lost (monotonic us); 0: not */
  nua_handle_t *ka_handle;   /* keep-alive OPTIONS to the registrar itself */
  guint ka_source;
  gboolean ka_pending;

  GList *calls;              /* TrvCall*, owned; calls that have not ended */

  /* trv-user-agent-voicemail.c */
  nua_handle_t *mwi_handle;  /* our message-summary subscription (RFC 3842) */
  guint mwi_auth_attempts;
  gboolean mwi_unavailable;  /* the server has no such service (489, 404, 405...) */
  gint voicemail_new;        /* voice messages, -1: not known */
  gint voicemail_old;
  gchar *voicemail_account;  /* Message-Account, where the messages are fetched */

  /* trv-user-agent-admit.c */
  GPtrArray *provider_addresses; /* GInetAddress*: the registrar's and proxy's */
  guint provider_lookups;        /* their resolutions still running */
  GCancellable *provider_cancel;
  gint64 invite_window_us;       /* start of the current one-second window */
  guint invite_window_count;     /* new INVITEs within it */

  GTask *shutdown_task;
  gboolean nua_shut_down;
  guint shutdown_timeout;
  gboolean shutting_down;
};

/* trv-user-agent.c */
/* sofia's stack on the chosen address, then registration. */
gboolean _trv_user_agent_start_stack (TrvUserAgent *self, const char *listen_address,
                                      GError **error);

/* trv-user-agent-address.c */
/* <dir>/cafile.pem with the system CAs and the account's ca-file, for sofia's TLS. */
gboolean _trv_user_agent_prepare_tls_dir (TrvUserAgent *self, GError **error);
void     _trv_user_agent_remove_tls_dir  (TrvUserAgent *self);
/* registrar_uri and proxy_uri from the account; host_out gets the registrar's host. */
gboolean _trv_user_agent_resolve_registrar (TrvUserAgent *self, gchar **host_out,
                                            GError **error);
/* The address to listen on (toward the registrar unless listen_address is given) and
 * the configured or a free port. */
gboolean _trv_user_agent_choose_listen_address (TrvUserAgent *self, const char *listen_address,
                                                TrvSipTransport transport, gchar **bind_out,
                                                guint16 *port_out, GError **error);
/* Looks the registrar's name (the domain's, for an account that does not register) up
 * without blocking, then starts sofia's stack and registration and emits "started"; for
 * a registering account a failure is reported (and retried) as a registration failure,
 * else "started" carries it. */
void _trv_user_agent_lookup_registrar (TrvUserAgent *self);
void _trv_user_agent_set_reg_state (TrvUserAgent *self, TrvRegistrationState state,
                                    GError *error);
/* "call-added" and "incoming-call", emitted through the agent's signals[]. */
void _trv_user_agent_emit_call_added    (TrvUserAgent *self, TrvCall *call);
void _trv_user_agent_emit_incoming_call (TrvUserAgent *self, TrvCall *call);
/* "started": the stack came up after start() returned (error NULL), or could not. */
void _trv_user_agent_emit_started (TrvUserAgent *self, const GError *error);

/* trv-user-agent-waiting.c */
/* Marks a new incoming @call waiting when another call is active or held. */
void _trv_user_agent_mark_waiting (TrvUserAgent *self, TrvCall *call);

/* trv-user-agent-calls.c */
/* What the user typed as a full URI: "bob" -> sip:bob@domain, a phone number through the
 * account (sip:NUMBER@domain;user=phone), a sip:/sips: URI checked; NULL with an error. */
gchar *_trv_user_agent_normalize_target (TrvUserAgent *self, const char *target,
                                         GError **error);
/* A new INVITE outside a dialog: a TrvCall, "incoming-call", or a rejection. */
void _trv_user_agent_handle_incoming_invite (TrvUserAgent *self, nua_handle_t *nh,
                                             const sip_t *sip);

/* trv-user-agent-transfer.c */
/* nua_i_refer, nua_r_refer and the NOTIFYs inside a call: TRUE when handled (a REFER
 * outside any call gets 405; a NOTIFY outside a call is not handled here). */
gboolean _trv_user_agent_handle_transfer (TrvUserAgent *self, nua_t *nua, nua_event_t event,
                                          int status, const char *phrase, nua_handle_t *nh,
                                          gpointer hmagic, const sip_t *sip, tagi_t tags[]);

/* trv-user-agent-attended.c */
/* A new INVITE's Replaces (RFC 3891): TRUE with *replaced the call it takes over (NULL
 * without Replaces); FALSE after refusing it (481 no such or an early dialog, 486
 * early-only, 603 ended) and destroying the handle. */
gboolean _trv_user_agent_find_replaced (TrvUserAgent *self, nua_handle_t *nh,
                                        const sip_t *sip, TrvCall **replaced);
/* @call (ringing, not announced) takes over from @replaced: "replaced", BYE, answer. */
void     _trv_user_agent_replace_call  (TrvUserAgent *self, TrvCall *replaced, TrvCall *call);

/* trv-user-agent-admit.c */
/* Limits on incoming calls (issue 13): calls ringing at once, calls at once, new INVITEs
 * per second before 503 (with Retry-After in s). A person takes one call at a time; the
 * rest is room for call waiting, not for a flood. */
#define TRV_MAX_RINGING_CALLS      4
#define TRV_MAX_CALLS              8
#define TRV_MAX_INVITES_PER_SECOND 20
#define TRV_INVITE_RETRY_AFTER_S   5
/* Resolves the registrar/proxy the INVITEs must come from (in the background). */
/* Whether an INVITE straight from anyone (not through the provider) may ring. */
gboolean _trv_user_agent_takes_direct_calls (TrvUserAgent *self);
/* "sip:user@host:port" with the account's transport and our SIP port. */
gchar   *_trv_user_agent_contact_uri_on (TrvUserAgent *self, const char *host);
void     _trv_user_agent_start_admission (TrvUserAgent *self);
void     _trv_user_agent_stop_admission  (TrvUserAgent *self);
/* Looks the registrar/proxy up again (after each registration), adding what it finds. */
void     _trv_user_agent_resolve_provider (TrvUserAgent *self);
/* TRUE to go on with a new INVITE; else it is refused (403, 404, 486 or 503), the handle
 * destroyed, and a g_debug says why. Nothing for media is allocated before this. */
gboolean _trv_user_agent_admit_invite    (TrvUserAgent *self, nua_handle_t *nh,
                                          const sip_t *sip);
/* Whether the NOTIFY being handled (outside our subscription) may change what we show:
 * with a provider and no direct calls allowed, only the provider's. */
gboolean _trv_user_agent_admit_notify    (TrvUserAgent *self);

/* trv-user-agent-voicemail.c */
/* Subscribes to the account's message-summary (after each successful registration, as
 * long as no subscription runs and the server did not say it has no such service). */
void     _trv_user_agent_subscribe_voicemail (TrvUserAgent *self);
/* Drops the subscription (shutting down): sofia unsubscribes, nobody waits for it. */
void     _trv_user_agent_drop_voicemail      (TrvUserAgent *self);
/* nua_r_subscribe and nua_i_notify: TRUE when handled (NOTIFYs outside our subscription
 * are answered here: 200, or 400/415/489 for what is not a message summary). */
gboolean _trv_user_agent_handle_voicemail    (TrvUserAgent *self, nua_t *nua,
                                              nua_event_t event, int status,
                                              const char *phrase, nua_handle_t *nh,
                                              gboolean foreign, const sip_t *sip,
                                              tagi_t tags[]);
/* trv-user-agent.c: sets the counts (-1: unknown) and the account (NULL: unchanged),
 * notifying what changed. */
void     _trv_user_agent_set_voicemail       (TrvUserAgent *self, gint new_messages,
                                              gint old_messages, const char *account);

/* trv-user-agent-register.c */
#define TRV_REGISTRATION_BACKOFF_FIRST_S 5
#define TRV_REGISTRATION_BACKOFF_MAX_S   300
/* The wait before the next REGISTER after a failure, in s: the current backoff step (the
 * first is 5 s) or the server's Retry-After when longer, capped at 300 s; doubles the
 * step kept in *backoff_s (0 = none yet), also capped. */
guint _trv_registration_backoff_next (guint *backoff_s, guint retry_after_s);
/* Reports a failed attempt (taking `error`) and schedules the next one. */
void _trv_user_agent_registration_failed (TrvUserAgent *self, GError *error);
/* Starts (or restarts) registering; over TLS the certificate is checked first. */
void _trv_user_agent_begin_registration (TrvUserAgent *self);
/* nua_r_options on the keep-alive handle or nua_i_outbound: TRUE when it was ours. */
gboolean _trv_user_agent_handle_keepalive (TrvUserAgent *self, nua_event_t event, int status,
                                           const char *phrase, nua_handle_t *nh,
                                           const sip_t *sip);
void _trv_user_agent_stop_keepalive (TrvUserAgent *self);
void _trv_user_agent_handle_register_response (TrvUserAgent *self, nua_event_t event, int status,
                                               const char *phrase, nua_handle_t *nh,
                                               const sip_t *sip);

G_END_DECLS
