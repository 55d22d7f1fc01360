/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-server-discovery.h: STUN/TURN servers from DNS SRV records of a domain
 * (RFC 5389 _stun._udp, RFC 5766 _turn._udp / _turn._tcp, RFC 7065 _turns._tcp) when none is configured. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  TRV_SERVER_NEED_STUN     = 1 << 0,
  TRV_SERVER_NEED_TURN_UDP = 1 << 1,
  TRV_SERVER_NEED_TURN_TCP = 1 << 2,
  TRV_SERVER_NEED_TURN_TLS = 1 << 3,   /* RFC 7065 _turns._tcp */
  TRV_SERVER_TRY_TURN_TLS  = 1 << 4,   /* the same, but a missing record is no warning */
} TrvServerNeeds;

typedef struct {
  gchar *stun_host;       /* NULL: not found / not asked */
  guint16 stun_port;
  gchar *turn_udp_host;
  guint16 turn_udp_port;
  gchar *turn_tcp_host;
  guint16 turn_tcp_port;
  gchar *turn_tls_host;
  guint16 turn_tls_port;
  GPtrArray *warnings;    /* gchar*: one line per lookup that found nothing */
} TrvDiscoveredServers;

void trv_discovered_servers_free (TrvDiscoveredServers *servers);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvDiscoveredServers, trv_discovered_servers_free)

/* Looks the needed records up in parallel. Missing records are warnings in the
 * result, not errors: the call goes on with the candidates it can get. Errors:
 * TRV_ERROR_NOT_AVAILABLE when `domain` is NULL or an IP literal (nothing to look
 * up), G_IO_ERROR_CANCELLED. */
void                  trv_server_discovery_lookup_async  (const char *domain,
                                                          TrvServerNeeds needs,
                                                          GCancellable *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer user_data);
TrvDiscoveredServers *trv_server_discovery_lookup_finish (GAsyncResult *result,
                                                          GError **error);

G_END_DECLS
