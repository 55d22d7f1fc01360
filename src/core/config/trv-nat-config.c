/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-config.c: validated NAT traversal settings. */
#include "config.h"

#include "trv-nat-config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

#include "trv-error.h"
#include "trv-host-port.h"
#include "trv-net.h"
#include "trv-proxy.h"
#include "trv-enum.h"
#include "trv-config-enums.h"

#define TRV_DEFAULT_STUN_PORT 3478
#define TRV_DEFAULT_TURNS_PORT 5349

G_DEFINE_BOXED_TYPE (TrvNatConfig, trv_nat_config, trv_nat_config_copy, trv_nat_config_free)

TrvNatConfig *
trv_nat_config_new (void)
{
  TrvNatConfig *self = g_new0 (TrvNatConfig, 1);
  self->mode = TRV_NAT_MODE_NONE;
  self->turn_transport = TRV_TURN_TRANSPORT_UDP;
  return self;
}

TrvNatConfig *
trv_nat_config_copy (const TrvNatConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  TrvNatConfig *copy = g_new0 (TrvNatConfig, 1);
  copy->mode = self->mode;
  copy->stun_server = g_strdup (self->stun_server);
  copy->turn_server = g_strdup (self->turn_server);
  copy->turn_transport = self->turn_transport;
  copy->turn_username = g_strdup (self->turn_username);
  copy->turn_password = g_strdup (self->turn_password);
  copy->public_address = g_strdup (self->public_address);
  copy->http_proxy = g_strdup (self->http_proxy);
  copy->ca_file = g_strdup (self->ca_file);
  return copy;
}

void
trv_nat_config_free (TrvNatConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->stun_server);
  g_free (self->turn_server);
  g_free (self->turn_username);
  if (self->turn_password)
    memset (self->turn_password, 0, strlen (self->turn_password));
  g_free (self->turn_password);
  g_free (self->public_address);
  if (self->http_proxy)
    memset (self->http_proxy, 0, strlen (self->http_proxy));   /* may carry a password */
  g_free (self->http_proxy);
  g_free (self->ca_file);
  g_free (self);
}

/* --- validation ------------------------------------------------------------------ */

/* Accepts "host[:port]" and, as many configs carry them, an RFC 7064 "stun:" URI, which is
 * normalised to host[:port] here. */
static gboolean
check_server (gchar **value, const char *key, GError **error)
{
  if (*value == NULL)
    return TRUE;
  if (g_ascii_strncasecmp (*value, "stuns:", 6) == 0)
    {
      trv_invalid_config (error, key, _("%s: '%s': STUN over TLS is not supported; use a "
                                        "stun: server"), key, *value);
      return FALSE;
    }
  if (g_ascii_strncasecmp (*value, "stun:", 5) == 0)
    {
      gchar *rest = g_strdup (*value + 5);
      g_free (*value);
      *value = rest;
    }
  if (strchr (*value, '?') || strchr (*value, '/'))
    {
      trv_invalid_config (error, key, _("%s: '%s' must be host[:port]"), key, *value);
      return FALSE;
    }
  g_autofree gchar *host = NULL;
  guint16 port;
  return trv_parse_host_port (*value, TRV_DEFAULT_STUN_PORT, key, &host, &port, error);
}

/* The transport a TURN URI's scheme and "?transport=" ask for; -1 (and the error) for a
 * query that is not RFC 7065's. */
static gint
uri_transport (const char *value, gboolean secure, const char *query, GError **error)
{
  const char *key = "nat.turn-server";
  if (query == NULL)
    return secure ? TRV_TURN_TRANSPORT_TLS : -1;
  if (g_ascii_strcasecmp (query, "transport=tcp") == 0)
    return secure ? TRV_TURN_TRANSPORT_TLS : TRV_TURN_TRANSPORT_TCP;
  if (g_ascii_strcasecmp (query, "transport=udp") == 0 && !secure)
    return TRV_TURN_TRANSPORT_UDP;
  trv_invalid_config (error, key,
                      secure ? _("%s: '%s': a turns: server takes no parameter but "
                                 "?transport=tcp (TURN over DTLS is not supported)")
                             : _("%s: '%s': the only parameter is ?transport=udp or "
                                 "?transport=tcp"), key, value);
  return -2;
}

/* "host[:port]" or an RFC 7065 URI ("turn:host[:port][?transport=udp|tcp]",
 * "turns:host[:port]"), normalised to host[:port]; a URI sets the transport. */
static gboolean
check_turn_server (TrvNatConfig *self, GError **error)
{
  const char *key = "nat.turn-server";
  if (self->turn_server == NULL)
    return TRUE;
  g_autofree gchar *value = g_strdup (self->turn_server);
  gboolean secure = g_ascii_strncasecmp (value, "turns:", 6) == 0;
  gboolean uri = secure || g_ascii_strncasecmp (value, "turn:", 5) == 0;
  char *rest = value + (secure ? 6 : uri ? 5 : 0);
  char *query = strchr (rest, '?');
  if (query && uri)
    *query++ = '\0';
  if ((query && !uri) || strchr (rest, '/'))
    {
      trv_invalid_config (error, key, _("%s: '%s' must be host[:port] or a turn:/turns: URI"),
                          key, self->turn_server);
      return FALSE;
    }
  gint transport = uri ? uri_transport (self->turn_server, secure, query, error) : -1;
  if (transport == -2)
    return FALSE;
  if (transport >= 0 && self->turn_transport != TRV_TURN_TRANSPORT_UDP &&
      (gint) self->turn_transport != transport)
    {
      trv_invalid_config (error, key, _("%s: '%s' contradicts nat.turn-transport = %s"), key,
                          self->turn_server,
                          trv_enum_to_nick (TRV_TYPE_TURN_TRANSPORT, self->turn_transport));
      return FALSE;
    }
  if (transport >= 0)
    self->turn_transport = transport;
  gboolean tls = self->turn_transport == TRV_TURN_TRANSPORT_TLS;
  g_autofree gchar *host = NULL;
  guint16 port;
  if (!trv_parse_host_port (rest, tls ? TRV_DEFAULT_TURNS_PORT : TRV_DEFAULT_STUN_PORT, key,
                            &host, &port, error))
    return FALSE;
  g_free (self->turn_server);
  self->turn_server = secure ? trv_net_join_host_port (host, port) : g_strdup (rest);
  return TRUE;
}

static gboolean
check_text (const char *value, const char *key, GError **error)
{
  if (value == NULL)
    return TRUE;
  if (value[0] == '\0')
    {
      trv_invalid_config (error, key,
                          _("%s: empty value (leave the key out instead)"), key);
      return FALSE;
    }
  for (const char *c = value; *c; c++)
    if (g_ascii_iscntrl (*c))
      {
        trv_invalid_config (error, key,
                            _("%s: contains a control character (line break or tab)"), key);
        return FALSE;
      }
  return TRUE;
}

/* "none" or http://[user:pass@]host:port (trv-proxy.h says why not https or SOCKS). */
static gboolean
check_http_proxy (const char *value, GError **error)
{
  const char *key = "nat.http-proxy";
  if (value == NULL || g_str_equal (value, TRV_PROXY_NONE))
    return TRUE;
  if (value[0] == '\0')
    return trv_invalid_config (error, key, _("%s: empty value (leave the key out to use the "
                                             "system's proxy settings)"), key);
  g_autoptr(TrvProxy) proxy = trv_proxy_parse (value, key, error);
  return proxy != NULL;
}

gboolean
trv_nat_config_validate (TrvNatConfig *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* Every mode is accepted here: which ones can run is the user agent's decision. */
  if (trv_enum_to_nick (TRV_TYPE_NAT_MODE, self->mode) == NULL)
    {
      trv_invalid_config (error, "nat.mode",
                          _("nat.mode: unknown mode %d (use none, stun, turn, ice or auto)"),
                          self->mode);
      return FALSE;
    }
  if (trv_enum_to_nick (TRV_TYPE_TURN_TRANSPORT, self->turn_transport) == NULL)
    {
      trv_invalid_config (error, "nat.turn-transport",
                          _("nat.turn-transport: unknown transport %d (use udp, tcp or tls)"),
                          self->turn_transport);
      return FALSE;
    }
  if (!check_server (&self->stun_server, "nat.stun-server", error) ||
      !check_turn_server (self, error) ||
      !check_text (self->turn_username, "nat.turn-username", error) ||
      !check_text (self->turn_password, "nat.turn-password", error) ||
      !check_http_proxy (self->http_proxy, error))
    return FALSE;

  /* TURN uses long-term credentials: half a pair is always a mistake. */
  if (self->turn_username && !self->turn_password)
    {
      trv_invalid_config (error, "nat.turn-password",
                          _("nat.turn-password: missing: a TURN user name is set, and the "
                            "relay needs both"));
      return FALSE;
    }
  if (self->turn_password && !self->turn_username)
    {
      trv_invalid_config (error, "nat.turn-username",
                          _("nat.turn-username: missing: a TURN password is set, and the "
                            "relay needs both"));
      return FALSE;
    }
  if (self->mode == TRV_NAT_MODE_TURN && !self->turn_username)
    {
      trv_invalid_config (error, "nat.turn-username",
                          _("nat.turn-username: mode TURN needs credentials for the relay: "
                            "a user name and password"));
      return FALSE;
    }

  if (self->public_address)
    {
      const char *pa = self->public_address;
      if (pa[0] == '\0')
        {
          trv_invalid_config (error, "nat.public-address",
                              _("nat.public-address: empty value (leave the key out instead)"));
          return FALSE;
        }
      /* An address only: the ports come from the media transport. "[v6]" is taken as
       * the IPv6 literal inside (the form that stands in URIs). */
      gsize len = strlen (pa);
      if (pa[0] == '[' && len > 2 && pa[len - 1] == ']')
        {
          g_autofree gchar *inner = g_strndup (pa + 1, len - 2);
          if (strchr (inner, ':') && g_hostname_is_ip_address (inner))
            {
              g_free (self->public_address);
              self->public_address = g_steal_pointer (&inner);
              pa = self->public_address;
            }
        }
      if (!g_hostname_is_ip_address (pa))
        {
          if (pa[0] == '[' || strchr (pa, ':'))
            {
              trv_invalid_config (error, "nat.public-address",
                                  _("nat.public-address: '%s' must be an IP address or host name "
                                    "without a port"), pa);
              return FALSE;
            }
          if (!trv_check_host (pa, "nat.public-address", error))
            return FALSE;
        }
    }
  return TRUE;
}
