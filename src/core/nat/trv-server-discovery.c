/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-server-discovery.c: STUN/TURN server discovery through DNS SRV (GResolver). */
#include "config.h"

#include "trv-server-discovery.h"
#include "trv-error.h"
#include <glib/gi18n-lib.h>

typedef struct {
  TrvDiscoveredServers *servers;
  gchar *domain;
  guint pending;
} Lookup;

static void
lookup_free (Lookup *l)
{
  g_clear_pointer (&l->servers, trv_discovered_servers_free);
  g_free (l->domain);
  g_free (l);
}

void
trv_discovered_servers_free (TrvDiscoveredServers *servers)
{
  if (servers == NULL)
    return;
  g_free (servers->stun_host);
  g_free (servers->turn_udp_host);
  g_free (servers->turn_tcp_host);
  g_free (servers->turn_tls_host);
  g_ptr_array_unref (servers->warnings);
  g_free (servers);
}

typedef struct {
  GTask *task;          /* owned: one reference per lookup in flight */
  const char *service;
  const char *protocol;
  gboolean quiet;       /* a missing record is normal: no warning */
  gchar **host;
  guint16 *port;
} Query;

static void
on_srv_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Query *q = data;
  Lookup *l = g_task_get_task_data (q->task);
  g_autoptr(GError) error = NULL;
  GList *targets = g_resolver_lookup_service_finish (G_RESOLVER (source), result, &error);

  if (targets != NULL)
    {
      /* GResolver already orders the list by priority and weight (RFC 2782). */
      GSrvTarget *first = targets->data;
      *q->host = g_strdup (g_srv_target_get_hostname (first));
      *q->port = g_srv_target_get_port (first);
      g_resolver_free_targets (targets);
    }
  else if (!q->quiet && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_ptr_array_add (l->servers->warnings,
                     g_strdup_printf (_("no %s server configured and no DNS SRV record "
                                        "_%s._%s.%s (%s)"),
                                      g_str_equal (q->service, "stun") ? "STUN" : "TURN",
                                      q->service, q->protocol, l->domain, error->message));

  if (--l->pending == 0)
    {
      GCancellable *cancellable = g_task_get_cancellable (q->task);
      if (cancellable && g_cancellable_is_cancelled (cancellable))
        g_task_return_new_error (q->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("server discovery cancelled"));
      else
        g_task_return_pointer (q->task, g_steal_pointer (&l->servers),
                               (GDestroyNotify) trv_discovered_servers_free);
    }
  g_object_unref (q->task);
  g_free (q);
}

static void
start_query (GTask *task, GResolver *resolver, const char *service, const char *protocol,
             gchar **host, guint16 *port, gboolean quiet)
{
  Lookup *l = g_task_get_task_data (task);
  Query *q = g_new0 (Query, 1);
  q->task = g_object_ref (task);
  q->service = service;
  q->protocol = protocol;
  q->quiet = quiet;
  q->host = host;
  q->port = port;
  l->pending++;
  g_resolver_lookup_service_async (resolver, service, protocol, l->domain,
                                   g_task_get_cancellable (task), on_srv_done, q);
}

void
trv_server_discovery_lookup_async (const char *domain, TrvServerNeeds needs,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_server_discovery_lookup_async);

  g_autoptr(GInetAddress) literal = domain ? g_inet_address_new_from_string (domain) : NULL;
  if (domain == NULL || *domain == '\0' || literal != NULL)
    {
      /* In words, naming only the servers that were wanted (the others are set). */
      gboolean stun = (needs & TRV_SERVER_NEED_STUN) != 0;
      gboolean turn = (needs & (TRV_SERVER_NEED_TURN_UDP | TRV_SERVER_NEED_TURN_TCP)) != 0;
      const char *missing = stun && turn ? _("no STUN or TURN server is set, and none can be "
                                             "looked up in DNS")
                            : stun ? _("no STUN server is set, and none can be looked up in DNS")
                                   : _("no TURN server is set, and none can be looked up in DNS");
      g_autofree gchar *why = domain && *domain
        ? g_strdup_printf (_("the account's domain %s is an IP address"), domain)
        : g_strdup (_("there is no account domain"));
      g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE, "%s: %s", missing, why);
      return;
    }

  Lookup *l = g_new0 (Lookup, 1);
  l->domain = g_strdup (domain);
  l->servers = g_new0 (TrvDiscoveredServers, 1);
  l->servers->warnings = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, l, (GDestroyNotify) lookup_free);

  if (needs == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&l->servers),
                             (GDestroyNotify) trv_discovered_servers_free);
      return;
    }

  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  TrvDiscoveredServers *s = l->servers;
  /* Count every query before the first can complete (callbacks are always async). */
  if (needs & TRV_SERVER_NEED_STUN)
    start_query (task, resolver, "stun", "udp", &s->stun_host, &s->stun_port, FALSE);
  if (needs & TRV_SERVER_NEED_TURN_UDP)
    start_query (task, resolver, "turn", "udp", &s->turn_udp_host, &s->turn_udp_port, FALSE);
  if (needs & TRV_SERVER_NEED_TURN_TCP)
    start_query (task, resolver, "turn", "tcp", &s->turn_tcp_host, &s->turn_tcp_port, FALSE);
  if (needs & (TRV_SERVER_NEED_TURN_TLS | TRV_SERVER_TRY_TURN_TLS))
    start_query (task, resolver, "turns", "tcp", &s->turn_tls_host, &s->turn_tls_port,
                 !(needs & TRV_SERVER_NEED_TURN_TLS));
}

TrvDiscoveredServers *
trv_server_discovery_lookup_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
