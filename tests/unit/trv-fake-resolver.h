/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-fake-resolver.h: a GResolver for tests that answers SRV and name lookups from
 * a table, so DNS discovery is tested without sending a packet. Include from one .c. */
#pragma once

#include <gio/gio.h>

typedef struct {
  GResolver parent_instance;
  GHashTable *srv;     /* "_stun._udp.example.test" -> "host:port" */
  GHashTable *names;   /* "stun.example.test" -> "127.0.0.1" */
  guint srv_queries;
} TrvFakeResolver;

typedef struct {
  GResolverClass parent_class;
} TrvFakeResolverClass;

static GType trv_fake_resolver_get_type (void);
G_DEFINE_TYPE (TrvFakeResolver, trv_fake_resolver, G_TYPE_RESOLVER)

static GList *
fake_lookup_by_name (GResolver *resolver, const gchar *hostname, GCancellable *cancellable,
                     GError **error)
{
  TrvFakeResolver *self = (TrvFakeResolver *) resolver;
  const char *ip = g_hash_table_lookup (self->names, hostname);
  if (ip == NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                   "no address for '%s' (test resolver)", hostname);
      return NULL;
    }
  return g_list_append (NULL, g_inet_address_new_from_string (ip));
}

static void
fake_lookup_by_name_async (GResolver *resolver, const gchar *hostname,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *result = fake_lookup_by_name (resolver, hostname, cancellable, &error);
  if (result)
    g_task_return_pointer (task, result, (GDestroyNotify) g_resolver_free_addresses);
  else
    g_task_return_error (task, error);
}

static GList *
fake_lookup_by_name_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
fake_lookup_service (GResolver *resolver, const gchar *rrname, GCancellable *cancellable,
                     GError **error)
{
  TrvFakeResolver *self = (TrvFakeResolver *) resolver;
  g_atomic_int_inc (&self->srv_queries);
  const char *target = g_hash_table_lookup (self->srv, rrname);
  if (target == NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                   "no SRV record '%s' (test resolver)", rrname);
      return NULL;
    }
  g_auto(GStrv) hp = g_strsplit (target, ":", 2);
  return g_list_append (NULL, g_srv_target_new (hp[0], (guint16) atoi (hp[1]), 10, 10));
}

static void
fake_lookup_service_async (GResolver *resolver, const gchar *rrname, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *result = fake_lookup_service (resolver, rrname, cancellable, &error);
  if (result)
    g_task_return_pointer (task, result, (GDestroyNotify) g_resolver_free_targets);
  else
    g_task_return_error (task, error);
}

static GList *
fake_lookup_service_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
trv_fake_resolver_finalize (GObject *object)
{
  TrvFakeResolver *self = (TrvFakeResolver *) object;
  g_hash_table_unref (self->srv);
  g_hash_table_unref (self->names);
  G_OBJECT_CLASS (trv_fake_resolver_parent_class)->finalize (object);
}

static void
trv_fake_resolver_class_init (TrvFakeResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = trv_fake_resolver_finalize;
  resolver_class->lookup_by_name = fake_lookup_by_name;
  resolver_class->lookup_by_name_async = fake_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = fake_lookup_by_name_finish;
  resolver_class->lookup_service = fake_lookup_service;
  resolver_class->lookup_service_async = fake_lookup_service_async;
  resolver_class->lookup_service_finish = fake_lookup_service_finish;
}

static void
trv_fake_resolver_init (TrvFakeResolver *self)
{
  self->srv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Installs a fresh fake as the default resolver; the previous one comes back with
 * trv_fake_resolver_uninstall(). */
static TrvFakeResolver *
trv_fake_resolver_install (GResolver **previous)
{
  *previous = g_resolver_get_default ();
  TrvFakeResolver *fake = g_object_new (trv_fake_resolver_get_type (), NULL);
  g_resolver_set_default (G_RESOLVER (fake));
  return fake;
}

static void
trv_fake_resolver_uninstall (TrvFakeResolver *fake, GResolver *previous)
{
  g_resolver_set_default (previous);
  g_object_unref (previous);
  g_object_unref (fake);
}
