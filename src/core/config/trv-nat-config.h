/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-config.h: validated NAT traversal settings. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Nicks ("ice", "tcp", ...) as in the configs and GSettings: see trv-config-enums.h. */
typedef enum {
  TRV_NAT_MODE_NONE,
  TRV_NAT_MODE_STUN,
  TRV_NAT_MODE_TURN,
  TRV_NAT_MODE_ICE,
  TRV_NAT_MODE_AUTO,
} TrvNatMode;

typedef enum {
  TRV_TURN_TRANSPORT_UDP,
  TRV_TURN_TRANSPORT_TCP,
  TRV_TURN_TRANSPORT_TLS,   /* RFC 5766 over TLS (a "turns:" server), default port 5349 */
} TrvTurnTransport;

#define TRV_TYPE_NAT_CONFIG (trv_nat_config_get_type ())

typedef struct {
  TrvNatMode mode;
  gchar *stun_server;      /* host[:port]; NULL: discover by SRV */
  gchar *turn_server;      /* host[:port]; NULL: discover by SRV */
  TrvTurnTransport turn_transport;
  gchar *turn_username;
  gchar *turn_password;
  gchar *public_address;   /* IPv4/IPv6 literal or host name; NULL: none */
  /* HTTP proxy for TURN over TCP/TLS: "http://[user:pass@]host:port", "none" (never one),
   * NULL: the system's proxy settings. */
  gchar *http_proxy;
  /* Not a key of its own: extra CA (PEM) trusted for TURN over TLS besides the system
   * store; the account's ca-file, filled in by whoever pairs the two. */
  gchar *ca_file;
} TrvNatConfig;

GType         trv_nat_config_get_type (void) G_GNUC_CONST;
TrvNatConfig *trv_nat_config_new      (void);
TrvNatConfig *trv_nat_config_copy     (const TrvNatConfig *self);
void          trv_nat_config_free     (TrvNatConfig *self);
/* Error (TRV_ERROR_INVALID_CONFIG) names the key, e.g. "nat.stun-server: ...". RFC 7064/7065
 * URIs are normalised to host[:port]: "turns:" sets turn_transport TLS (port 5349 unless
 * given), "?transport=tcp|udp" TCP or UDP. */
gboolean      trv_nat_config_validate (TrvNatConfig *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvNatConfig, trv_nat_config_free)

G_END_DECLS
