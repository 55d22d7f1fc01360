/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "trv-net.h"
#include "trv-error.h"
#include <glib/gi18n-lib.h>

gchar *
trv_net_local_address_for (const char *remote_ip, GError **error)
{
  g_autoptr(GInetAddress) remote = g_inet_address_new_from_string (remote_ip);
  if (remote == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED, _("'%s' is not an IP address"), remote_ip);
      return NULL;
    }
  if (g_inet_address_get_is_loopback (remote))
    return g_inet_address_to_string (remote);

  GSocketFamily family = g_inet_address_get_family (remote);
  g_autoptr(GSocket) sock = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, error);
  if (sock == NULL)
    return NULL;
  g_autoptr(GSocketAddress) dest = g_inet_socket_address_new (remote, 9);
  g_autoptr(GError) local_error = NULL;
  if (!g_socket_connect (sock, dest, NULL, &local_error))
    {
      /* A new error rather than the GIO one re-labelled: TRV_ERROR carries private data
       * (trv-error.c) that only errors created in its domain have. */
      g_prefix_error (&local_error, _("no route to %s: "), remote_ip);
      g_set_error_literal (error, TRV_ERROR, TRV_ERROR_UNREACHABLE, local_error->message);
      return NULL;
    }
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (sock, error);
  if (local == NULL)
    return NULL;
  return g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
}

gchar *
trv_net_resolve (const char *host, GCancellable *cancellable, GError **error)
{
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (host);
  if (literal != NULL)
    return g_inet_address_to_string (literal);

  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GError) local_error = NULL;
  GList *addrs = g_resolver_lookup_by_name (resolver, host, cancellable, &local_error);
  if (addrs == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_UNRESOLVABLE,
                   _("cannot resolve host '%s': %s"), host, local_error->message);
      return NULL;
    }
  gchar *result = NULL;
  for (GList *l = addrs; l != NULL && result == NULL; l = l->next)
    if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
      result = g_inet_address_to_string (l->data);
  if (result == NULL)
    result = g_inet_address_to_string (addrs->data);
  g_resolver_free_addresses (addrs);
  return result;
}

guint16
trv_net_free_port (const char *ip, GSocketProtocol protocol, GError **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (ip);
  if (addr == NULL)
    addr = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  GSocketType type = protocol == G_SOCKET_PROTOCOL_UDP ? G_SOCKET_TYPE_DATAGRAM
                                                       : G_SOCKET_TYPE_STREAM;
  g_autoptr(GSocket) sock = g_socket_new (g_inet_address_get_family (addr), type,
                                          protocol, error);
  if (sock == NULL)
    return 0;
  g_autoptr(GSocketAddress) sa = g_inet_socket_address_new (addr, 0);
  if (!g_socket_bind (sock, sa, FALSE, error))
    return 0;
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (sock, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

gchar *
trv_net_join_host_port (const char *ip, guint16 port)
{
  if (strchr (ip, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", ip, port);
  return g_strdup_printf ("%s:%u", ip, port);
}
