/* trv-call-private.h: what the user agent needs of a call (not for front ends). */
#pragma once

#include "trv-call.h"
#include "trv-sofia.h"
#include "trv-account-config.h"
#include "trv-media-config.h"
#include "trv-nat-config.h"

G_BEGIN_DECLS

typedef struct _TrvUserAgent TrvUserAgent;

/* Per-call context handed over by the agent; the call copies what it keeps. */
typedef struct {
  TrvUserAgent *agent;                 /* weak: the agent outlives its calls' signalling */
  const TrvMediaConfig *media;
  const TrvMediaOptions *options;
  const char *media_address;           /* local IP for media (route toward the peer) */
  const char *advertised_address;      /* public address for SDP, or NULL */
} TrvCallContext;

TrvCall *trv_call_new_outgoing (const TrvCallContext *ctx,
                                nua_handle_t *nh,
                                const char *remote_uri);
TrvCall *trv_call_new_incoming (const TrvCallContext *ctx,
                                nua_handle_t *nh,
                                const sip_t *sip);
/* Builds the offer and sends the INVITE (after preparing the transport). */
void     trv_call_start_outgoing (TrvCall *self);
/* Dispatch of nua events of this call's handle. */
void     trv_call_handle_event (TrvCall *self, nua_event_t event, int status,
                                const char *phrase, nua_handle_t *nh,
                                const sip_t *sip, tagi_t tags[]);
/* Fails the call at once (e.g. the agent shuts down). */
void     trv_call_terminate (TrvCall *self, TrvCallEndReason reason);

/* From the agent: the nua auth string for a challenge, or an error. */
gboolean trv_user_agent_authenticate (TrvUserAgent *agent, nua_handle_t *nh,
                                      const sip_t *sip, guint *attempts, GError **error);

G_END_DECLS
