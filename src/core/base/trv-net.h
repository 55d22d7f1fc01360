/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-net.h: small address helpers shared by the SIP agent and transports. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The local IP address the kernel would use to reach `remote_ip` (no packet is sent:
 * connect() on a UDP socket only picks a route). */
gchar   *trv_net_local_address_for (const char *remote_ip, GError **error);
/* Resolves a host name or IP literal to one IP literal (IPv4 preferred).
 * TRV_ERROR_UNRESOLVABLE with the host name in the message on failure. */
gchar   *trv_net_resolve (const char *host, GCancellable *cancellable, GError **error);
/* The same without blocking: GResolver's own asynchronous lookup; the same errors
 * (G_IO_ERROR_CANCELLED when cancelled). */
void     trv_net_resolve_async  (const char *host, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gchar   *trv_net_resolve_finish (GAsyncResult *result, GError **error);
/* Whether `host` is an IP address already (no lookup needed). */
gboolean trv_net_is_ip_literal  (const char *host);
/* A currently free port on `ip` for the given protocol (bind to 0 and read it back). */
guint16  trv_net_free_port (const char *ip, GSocketProtocol protocol, GError **error);
/* Whether `port` (not 0) on `ip` can be bound for the protocol right now. */
gboolean trv_net_port_is_free (const char *ip, guint16 port, GSocketProtocol protocol);
/* "ip:port", with brackets around IPv6. */
gchar   *trv_net_join_host_port (const char *ip, guint16 port);

G_END_DECLS
