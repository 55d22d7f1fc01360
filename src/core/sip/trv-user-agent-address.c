/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent-address.c: where the agent listens and whom it talks to: the registrar
 * and proxy URIs, the registrar's address (looked up without blocking the main loop),
 * the local address and port, and the CA directory sofia's TLS transport reads. */
#include "config.h"

#include "trv-user-agent-private.h"
#include "trv-error.h"
#include "trv-net.h"
#include "trv-host-port.h"
#include "trv-nat-report.h"
#include "trv-tls.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

gboolean
_trv_user_agent_prepare_tls_dir (TrvUserAgent *self, GError **error)
{
  /* sofia-sip 1.12.11 reads trusted CAs from <dir>/cafile.pem: the system store plus
   * the account's ca-file. */
  g_autofree gchar *dir = g_dir_make_tmp ("traverse-tls-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  g_autoptr(GString) pem = g_string_new (NULL);
  g_autofree gchar *system = NULL;
  const char *bundle = trv_tls_system_ca_bundle ();
  if (g_file_get_contents (bundle, &system, NULL, NULL))
    g_string_append (pem, system);
  else
    g_debug ("no system CAs in %s", bundle);
  if (self->account->ca_file)
    {
      g_autofree gchar *extra = NULL;
      if (!g_file_get_contents (self->account->ca_file, &extra, NULL, error))
        {
          g_prefix_error (error, "account.ca-file: ");
          return FALSE;
        }
      g_string_append_c (pem, '\n');
      g_string_append (pem, extra);
    }
  g_autofree gchar *path = g_build_filename (dir, "cafile.pem", NULL);
  if (!g_file_set_contents (path, pem->str, pem->len, error))
    return FALSE;
  self->tls_dir = g_steal_pointer (&dir);
  return TRUE;
}

void
_trv_user_agent_remove_tls_dir (TrvUserAgent *self)
{
  if (self->tls_dir == NULL)
    return;
  g_autofree gchar *path = g_build_filename (self->tls_dir, "cafile.pem", NULL);
  g_unlink (path);
  g_rmdir (self->tls_dir);
  g_clear_pointer (&self->tls_dir, g_free);
}

/* A server setting (host[:port], optionally with sip:/sips:) as a sofia URI for the
 * account's transport; host_out gets the bare host. */
static gchar *
server_uri (const TrvAccountConfig *acc, const char *value, const char *key,
            gchar **host_out, GError **error)
{
  if (g_str_has_prefix (value, "sips:"))
    value += 5;
  else if (g_str_has_prefix (value, "sip:"))
    value += 4;
  guint16 default_port = acc->transport == TRV_SIP_TRANSPORT_TLS ? 5061 : 5060;
  g_autofree gchar *host = NULL;
  guint16 port = 0;
  if (!trv_parse_host_port (value, default_port, key, &host, &port, error))
    return NULL;
  g_autofree gchar *h = strchr (host, ':') ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  gchar *uri;
  switch (acc->transport)
    {
    case TRV_SIP_TRANSPORT_TLS:
      uri = g_strdup_printf ("sips:%s:%u", h, port);
      break;
    case TRV_SIP_TRANSPORT_TCP:
      uri = g_strdup_printf ("sip:%s:%u;transport=tcp", h, port);
      break;
    default:
      uri = g_strdup_printf ("sip:%s:%u;transport=udp", h, port);
      break;
    }
  if (host_out)
    *host_out = g_steal_pointer (&host);
  return uri;
}

/* Registrar host[:port] and the sofia URI for it; the outbound proxy for all requests is
 * the configured proxy, else the registrar of a registering account (calls to "bob" or
 * sip:bob@domain then go through it, never to wherever the domain resolves). */
gboolean
_trv_user_agent_resolve_registrar (TrvUserAgent *self, gchar **host_out, GError **error)
{
  const TrvAccountConfig *acc = self->account;
  g_clear_pointer (&self->registrar_uri, g_free);
  g_clear_pointer (&self->proxy_uri, g_free);
  self->registrar_uri = server_uri (acc, acc->registrar ? acc->registrar : acc->domain,
                                    "account.registrar", host_out, error);
  if (self->registrar_uri == NULL)
    return FALSE;
  if (acc->proxy)
    {
      self->proxy_uri = server_uri (acc, acc->proxy, "account.proxy", NULL, error);
      if (self->proxy_uri == NULL)
        return FALSE;
    }
  else if (acc->do_register)
    self->proxy_uri = g_strdup (self->registrar_uri);
  return TRUE;
}

/* The address and port sofia listens on: the local address that routes to the registrar
 * (registrar_ip, unless the caller gave an address) and the configured port or a free
 * one. */
gboolean
_trv_user_agent_choose_listen_address (TrvUserAgent *self, const char *listen_address,
                                       TrvSipTransport transport, gchar **bind_out,
                                       guint16 *port_out, GError **error)
{
  g_autofree gchar *bind = NULL;
  if (self->account && listen_address == NULL)
    {
      /* A literal (trv_net_resolve only copies it), or looked up already without
       * blocking: start() sends every name through _trv_user_agent_lookup_registrar. */
      if (self->registrar_ip == NULL &&
          (self->registrar_ip = trv_net_resolve (self->registrar_host, NULL, error)) == NULL)
        return FALSE;
      bind = trv_net_local_address_for (self->registrar_ip, error);
      if (bind == NULL)
        return FALSE;
    }
  if (bind == NULL)
    bind = g_strdup (listen_address ? listen_address : "0.0.0.0");

  guint16 port = self->account ? self->account->local_port : 0;
  GSocketProtocol protocol = transport == TRV_SIP_TRANSPORT_UDP ? G_SOCKET_PROTOCOL_UDP
                                                                : G_SOCKET_PROTOCOL_TCP;
  /* The port of last time keeps the address for direct calls the same, while it is free. */
  if (port == 0 && trv_net_port_is_free (bind, self->preferred_port, protocol))
    port = self->preferred_port;
  else if (port == 0)
    {
      if (self->preferred_port != 0)
        g_debug ("port %u is taken: listening on another one", self->preferred_port);
      port = trv_net_free_port (bind, protocol, error);
      if (port == 0)
        return FALSE;
    }
  *bind_out = g_steal_pointer (&bind);
  *port_out = port;
  return TRUE;
}

static void
on_registrar_resolved (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvUserAgent) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *ip = trv_net_resolve_finish (result, &error);
  if (self->shutting_down || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->lookup_cancel);
  g_debug ("%s %s is %s", self->account->do_register ? "registrar" : "domain",
           self->registrar_host, ip ? ip : error->message);
  if (ip != NULL)
    {
      g_free (self->registrar_ip);
      self->registrar_ip = g_steal_pointer (&ip);
      if (_trv_user_agent_start_stack (self, NULL, &error))
        {
          _trv_user_agent_emit_started (self, NULL);
          return;
        }
    }
  if (self->account->do_register)
    {
      /* Reported and retried as a registration failure: DNS may come back. */
      _trv_user_agent_registration_failed (self, g_steal_pointer (&error));
      return;
    }
  /* Nothing to retry without registration: the start failed, as it did when start()
   * looked the name up itself. */
  g_debug ("SIP agent %p: not started: %s", (gpointer) self, error->message);
  _trv_user_agent_emit_started (self, error);
}

void
_trv_user_agent_lookup_registrar (TrvUserAgent *self)
{
  if (self->shutting_down)
    return;
  if (self->account->do_register)
    _trv_user_agent_set_reg_state (self, TRV_REGISTRATION_REGISTERING, NULL);
  g_cancellable_cancel (self->lookup_cancel);
  g_clear_object (&self->lookup_cancel);
  self->lookup_cancel = g_cancellable_new ();
  g_debug ("looking up the %s %s", self->account->do_register ? "registrar" : "domain",
           self->registrar_host);
  trv_net_resolve_async (self->registrar_host, self->lookup_cancel, on_registrar_resolved,
                         g_object_ref (self));
}

/* "sip:user@host:port" (sips: over TLS, ";transport=tcp" over TCP): where this agent
 * answers on `host`. */
gchar *
_trv_user_agent_contact_uri_on (TrvUserAgent *self, const char *host)
{
  TrvSipTransport transport = self->account ? self->account->transport : TRV_SIP_TRANSPORT_UDP;
  const char *user = self->account ? self->account->user : "traverse";
  g_autofree gchar *host_port = trv_net_join_host_port (host, self->local_port);
  return g_strdup_printf ("%s:%s@%s%s", transport == TRV_SIP_TRANSPORT_TLS ? "sips" : "sip",
                          user, host_port,
                          transport == TRV_SIP_TRANSPORT_TCP ? ";transport=tcp" : "");
}

TrvPublicReach
trv_user_agent_get_public_reach (TrvUserAgent *self, const TrvNatReport *report, gchar **uri)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), TRV_PUBLIC_REACH_UNKNOWN);
  g_return_val_if_fail (uri != NULL, TRV_PUBLIC_REACH_UNKNOWN);
  *uri = NULL;
  if (self->local_port == 0 || !_trv_user_agent_takes_direct_calls (self))
    return TRV_PUBLIC_REACH_UNKNOWN;

  /* A configured public address says the router forwards our port there. */
  if (self->nat && self->nat->public_address)
    {
      *uri = _trv_user_agent_contact_uri_on (self, self->nat->public_address);
      g_debug ("direct calls from outside: configured %s", *uri);
      return TRV_PUBLIC_REACH_CONFIGURED;
    }
  if (report == NULL || !report->stun_reachable || report->mapped_address == NULL)
    return TRV_PUBLIC_REACH_UNKNOWN;
  if (!report->behind_nat || report->mapping == TRV_NAT_MAPPING_NO_NAT)
    return TRV_PUBLIC_REACH_SAME;
  if (report->mapping == TRV_NAT_MAPPING_ENDPOINT_DEPENDENT)
    return TRV_PUBLIC_REACH_SYMMETRIC;

  g_autofree gchar *host = trv_host_port_dup_host (report->mapped_address);
  if (host == NULL)
    return TRV_PUBLIC_REACH_UNKNOWN;
  /* The probe's own port is not ours: the public address, with our port forwarded. */
  *uri = _trv_user_agent_contact_uri_on (self, host);
  return TRV_PUBLIC_REACH_MAPPED;
}
