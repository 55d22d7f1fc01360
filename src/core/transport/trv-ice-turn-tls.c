/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ice-turn-tls.c: TrvIceTransport's TURN over TLS: libnice is pointed at a
 * TrvTurnTlsRelay on loopback (plain TURN over TCP), the relay carries it over TLS; a
 * refused certificate ends the gathering with the relay's error, not a timeout. Also
 * where TURN over TCP or TLS is sent through an HTTP proxy. */
#include "config.h"

#include "trv-ice-transport-private.h"
#include "trv-turn-tls-relay.h"
#include "trv-error.h"

#include <glib/gi18n-lib.h>

#define RELAY_KEY "trv-turn-tls-relay"

/* Lives as long as the agent: the agent's release still talks to the TURN server. */
static void
relay_drop (gpointer data)
{
  trv_turn_tls_relay_close (data);
  g_object_unref (data);
}

static TrvTurnTlsRelay *
get_relay (TrvIceTransport *self)
{
  return self->agent ? g_object_get_data (G_OBJECT (self->agent), RELAY_KEY) : NULL;
}

static void
on_relay_failed (TrvTurnTlsRelay *relay, const GError *error, gpointer data)
{
  TrvIceTransport *self = data;
  if (self->prepare_task)
    _trv_ice_transport_finish_gathering (self, FALSE);   /* takes the relay's error */
  else
    _trv_ice_transport_warn (self, g_strdup (error->message));
}

/* libnice 0.1.21 sends an HTTP CONNECT for its TURN-over-TCP sockets itself; it takes
 * the proxy's address as an IP literal only. (Over TLS its TCP goes to our loopback
 * relay, which does the CONNECT instead.) */
static void
set_agent_proxy (TrvIceTransport *self)
{
  g_object_set (self->agent,
                "proxy-type", NICE_PROXY_TYPE_HTTP,
                "proxy-ip", self->proxy->ip,
                "proxy-port", (guint) self->proxy->port,
                "proxy-username", self->proxy->username,
                "proxy-password", self->proxy->password,
                NULL);
}

void
_trv_ice_transport_start_turn_tls (TrvIceTransport *self)
{
  if (self->turn_transport == TRV_TURN_TRANSPORT_TCP && self->proxy)
    set_agent_proxy (self);
  if (self->turn_transport != TRV_TURN_TRANSPORT_TLS || self->turn_ip == NULL ||
      self->turn_disabled || get_relay (self))
    return;
  g_autoptr(GError) error = NULL;
  TrvTurnTlsRelay *relay = trv_turn_tls_relay_new (self->turn_host, self->turn_ip,
                                                   self->turn_port, self->nat->ca_file,
                                                   self->context, &error);
  if (relay == NULL)
    {
      _trv_ice_transport_warn (self, g_strdup_printf (_("TURN server %s (tls): %s"),
                                                      self->turn_name, error->message));
      self->turn_disabled = TRUE;
      return;
    }
  if (self->proxy)
    trv_turn_tls_relay_set_proxy (relay, self->proxy);
  g_signal_connect_object (relay, "failed", G_CALLBACK (on_relay_failed), self, 0);
  g_object_set_data_full (G_OBJECT (self->agent), RELAY_KEY, relay, relay_drop);
}

void
_trv_ice_transport_turn_relay_info (TrvIceTransport *self, const char **ip, guint *port,
                                    NiceRelayType *type)
{
  TrvTurnTlsRelay *relay = get_relay (self);
  if (self->turn_transport == TRV_TURN_TRANSPORT_TLS && relay)
    {
      *ip = "127.0.0.1";
      *port = trv_turn_tls_relay_get_port (relay);
      *type = NICE_RELAY_TYPE_TURN_TCP;
      return;
    }
  *ip = self->turn_ip;
  *port = self->turn_port;
  *type = self->turn_transport == TRV_TURN_TRANSPORT_UDP ? NICE_RELAY_TYPE_TURN_UDP
                                                         : NICE_RELAY_TYPE_TURN_TCP;
}

GError *
_trv_ice_transport_turn_tls_error (TrvIceTransport *self)
{
  TrvTurnTlsRelay *relay = get_relay (self);
  const GError *error = relay ? trv_turn_tls_relay_get_error (relay) : NULL;
  return error ? g_error_copy (error) : NULL;
}
