/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-stun-transaction.h: blocking STUN transactions for the NAT probe's threads. */
#pragma once

#include <gio/gio.h>
#include <stun/stunagent.h>

G_BEGIN_DECLS

/* Sends `req` over UDP with doubling retransmission intervals until a response the agent
 * matches to it arrives or `budget_ms` has passed (TRV_ERROR_TIMEOUT then). `resp` holds
 * 4096 bytes. */
gboolean trv_stun_udp_transaction (GSocket *sock, GSocketAddress *to, StunAgent *agent,
                                   const guint8 *req, gsize req_len, guint8 *resp,
                                   StunMessage *msg, guint budget_ms, GCancellable *cancellable,
                                   GError **error);
/* The same over a stream (TCP or TLS): messages are self-delimiting by their length. */
gboolean trv_stun_tcp_transaction (GIOStream *stream, StunAgent *agent, const guint8 *req,
                                   gsize req_len, guint8 *resp, StunMessage *msg,
                                   GCancellable *cancellable, GError **error);
/* "ip:port" (brackets around IPv6) of a native address (NULL: not an IP one), of a
 * GInetSocketAddress. */
gchar   *trv_stun_native_address_to_string (const struct sockaddr_storage *ss, socklen_t len);
gchar   *trv_stun_address_to_string        (GSocketAddress *address);

G_END_DECLS
