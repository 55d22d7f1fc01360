/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ice-transport.h: media over ICE (RFC 8445/5245) through libnice: host,
 * server-reflexive (STUN) and relayed (TURN) candidates, connectivity checks,
 * consent freshness, nicesrc and a counting sender (trv-ice-send.c) for the pipeline. */
#pragma once

#include "trv-media-transport.h"
#include "trv-nat-config.h"
#include "trv-proxy.h"

G_BEGIN_DECLS

/* TRV_TYPE_ICE_STATE (trv-transport-enums.h); nicks "new", "checking", ... */
typedef enum {
  TRV_ICE_STATE_NEW,
  TRV_ICE_STATE_GATHERING,
  TRV_ICE_STATE_GATHERED,     /* candidates known, no remote side yet */
  TRV_ICE_STATE_CHECKING,
  TRV_ICE_STATE_CONNECTED,    /* a pair is selected for RTP */
  TRV_ICE_STATE_FAILED,       /* checks failed or consent was lost */
  TRV_ICE_STATE_CLOSED,
} TrvIceState;

#define TRV_TYPE_ICE_TRANSPORT (trv_ice_transport_get_type ())
G_DECLARE_FINAL_TYPE (TrvIceTransport, trv_ice_transport, TRV, ICE_TRANSPORT, TrvMediaTransport)

/* mode: which candidates to gather and offer (none: host; stun: host+srflx;
 * turn: relay only; ice: all). nat: servers and TURN credentials (copied; NULL for
 * none). local_address: the local IP toward the peer; a loopback address restricts
 * host candidates to it, anything else lets libnice use every interface.
 * domain: account domain for SRV discovery when a needed server is not configured
 * (NULL or an IP literal: no discovery). TRV_NAT_MODE_AUTO is not accepted here:
 * resolve it to a concrete mode first. */
TrvMediaTransport *trv_ice_transport_new (TrvNatMode mode,
                                          const TrvNatConfig *nat,
                                          const char *local_address,
                                          const char *domain);

/* The offerer controls the checks (RFC 8445 6.1.1). Set before set_remote. */
void          trv_ice_transport_set_controlling (TrvIceTransport *self, gboolean controlling);

TrvNatMode    trv_ice_transport_get_mode         (TrvIceTransport *self);
TrvIceState   trv_ice_transport_get_state        (TrvIceTransport *self);
/* The state before close() (connected, failed...), else the current one: what the
 * call achieved, for statistics written after hang-up. */
TrvIceState   trv_ice_transport_get_final_state  (TrvIceTransport *self);
/* Milliseconds from prepare to the end of gathering / from set_remote to the first
 * selected pair; -1 while unknown. */
gint64        trv_ice_transport_get_gathering_ms (TrvIceTransport *self);
gint64        trv_ice_transport_get_checks_ms    (TrvIceTransport *self);
/* trv_media_transport_get_warnings(). */
GPtrArray    *trv_ice_transport_get_warnings     (TrvIceTransport *self);
/* The HTTP proxy TURN over TCP/TLS went through; NULL: none (or UDP). */
const TrvProxy *trv_ice_transport_get_proxy      (TrvIceTransport *self);
/* Why the transport failed (NULL unless state is FAILED). */
const GError *trv_ice_transport_get_error        (TrvIceTransport *self);

/* TRUE when the failure was the loss of consent on a path that had worked (RFC 7675),
 * as opposed to checks that never found a path: an ICE restart may recover it. */
gboolean      trv_ice_transport_get_consent_lost (TrvIceTransport *self);
/* Stop granting the peer consent (RFC 7675 5.2: answer its checks with 403), so it
 * stops sending to us; a later ICE restart grants it again. */
void          trv_ice_transport_revoke_consent   (TrvIceTransport *self);

/* ICE restart (network change, consent lost): new local credentials and a fresh
 * gathering; describe() then gives the new candidates for a re-offer. */
void          trv_ice_transport_restart_async    (TrvIceTransport *self,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
gboolean      trv_ice_transport_restart_finish   (TrvIceTransport *self,
                                                  GAsyncResult *result,
                                                  GError **error);

/* Completes once every closed ICE transport has given back its TURN allocations, or
 * after timeout_ms (then FALSE). A process should wait for it before it exits. */
void          trv_ice_transport_wait_released_async  (guint timeout_ms,
                                                      GCancellable *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer user_data);
gboolean      trv_ice_transport_wait_released_finish (GAsyncResult *result, GError **error);

/* Signals (main context):
 *  "failed"   (GError *error)  no media path: checks failed (TRV_ERROR_NO_MEDIA) or
 *                              consent lost; the call should end or restart ICE
 *  "consent-doubtful" ()       the peer has not answered consent checks for 10 s: the
 *                              pair keeps sending (RFC 7675 waits 30 s before "failed"),
 *                              a good moment to restart ICE
 *  "warning"  (gchar *message) TrvMediaTransport's, see get_warnings()
 *  "state-changed" () */

G_END_DECLS
