/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-turn-tls-relay.h: TURN over TLS for libnice 0.1.21, which speaks RFC 5766 TURN over
 * plain TCP only (its TURN_TLS relay type is Google's pseudo-SSL). A listener on loopback
 * takes libnice's TURN-over-TCP connections and carries each over its own TLS connection
 * to the real TURN server, whose certificate is checked like every other TLS peer's. */
#pragma once

#include <gio/gio.h>
#include "trv-proxy.h"

G_BEGIN_DECLS

#define TRV_TYPE_TURN_TLS_RELAY (trv_turn_tls_relay_get_type ())
G_DECLARE_FINAL_TYPE (TrvTurnTlsRelay, trv_turn_tls_relay, TRV, TURN_TLS_RELAY, GObject)

/* `host`: the server's name (SNI and certificate check); `ip`: its address as resolved;
 * `extra_ca_file` (PEM, may be NULL): trusted besides the system store. Connections are
 * served in `context` (NULL: the thread-default one). Errors: listening failed. */
TrvTurnTlsRelay *trv_turn_tls_relay_new        (const char *host, const char *ip, guint16 port,
                                                const char *extra_ca_file, GMainContext *context,
                                                GError **error);
/* Connections to the server go through this HTTP proxy (CONNECT) from now on. */
void             trv_turn_tls_relay_set_proxy  (TrvTurnTlsRelay *self, const TrvProxy *proxy);
/* The loopback port libnice's TURN-over-TCP is pointed at (on 127.0.0.1). */
guint16          trv_turn_tls_relay_get_port   (TrvTurnTlsRelay *self);
/* The first failure to reach the server over TLS (TRV_ERROR_TLS naming a refused
 * certificate, TRV_ERROR_UNREACHABLE); NULL while none. Each new failure after a working
 * connection also emits "failed" (GError *). */
const GError    *trv_turn_tls_relay_get_error  (TrvTurnTlsRelay *self);
/* Stops listening and ends every connection; the pending operations then drop their
 * references. Call once libnice is done with the server (after the agent's release). */
void             trv_turn_tls_relay_close      (TrvTurnTlsRelay *self);

G_END_DECLS
