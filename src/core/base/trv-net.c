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

/* One literal from a lookup's answer: the first IPv4 address, else the first. */
static gchar *
pick_address (GList *addrs)
{
  for (GList *l = addrs; l != NULL; l = l->next)
    if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
      return g_inet_address_to_string (l->data);
  return g_inet_address_to_string (addrs->data);
}

static void
set_unresolvable (GError **error, const char *host, const GError *cause)
{
  g_set_error (error, TRV_ERROR, TRV_ERROR_UNRESOLVABLE, _("cannot resolve host '%s': %s"),
               host, cause->message);
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
      set_unresolvable (error, host, local_error);
      return NULL;
    }
  gchar *result = pick_address (addrs);
  g_resolver_free_addresses (addrs);
  return result;
}

gboolean
trv_net_is_ip_literal (const char *host)
{
  g_autoptr(GInetAddress) literal = host ? g_inet_address_new_from_string (host) : NULL;
  return literal != NULL;
}

static void
on_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  GList *addrs = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (addrs == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        {
          GError *e = NULL;
          set_unresolvable (&e, g_task_get_task_data (task), error);
          g_task_return_error (task, e);
        }
      return;
    }
  g_task_return_pointer (task, pick_address (addrs), g_free);
  g_resolver_free_addresses (addrs);
}

void
trv_net_resolve_async (const char *host, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_net_resolve_async);
  g_task_set_task_data (task, g_strdup (host), g_free);
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (host);
  if (literal != NULL)
    {
      g_task_return_pointer (task, g_inet_address_to_string (literal), g_free);
      g_object_unref (task);
      return;
    }
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, host, cancellable, on_looked_up, task);
}

gchar *
trv_net_resolve_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Binds `port` (0: any) on ip and returns the port bound, 0 with the reason if it cannot. */
static guint16
bind_port (const char *ip, guint16 port, GSocketProtocol protocol, GError **error)
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
  g_autoptr(GSocketAddress) sa = g_inet_socket_address_new (addr, port);
  if (!g_socket_bind (sock, sa, FALSE, error))
    return 0;
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (sock, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

guint16
trv_net_free_port (const char *ip, GSocketProtocol protocol, GError **error)
{
  return bind_port (ip, 0, protocol, error);
}

gboolean
trv_net_port_is_free (const char *ip, guint16 port, GSocketProtocol protocol)
{
  return port != 0 && bind_port (ip, port, protocol, NULL) == port;
}

gchar *
trv_net_join_host_port (const char *ip, guint16 port)
{
  if (strchr (ip, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", ip, port);
  return g_strdup_printf ("%s:%u", ip, port);
}
