/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-proxy.c: an HTTP proxy from a setting or the system's settings, resolved without
 * blocking the main loop. */
#include "config.h"

#include "trv-proxy.h"
#include "trv-error.h"
#include "trv-host-port.h"
#include "trv-net.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_BOXED_TYPE (TrvProxy, trv_proxy, trv_proxy_copy, trv_proxy_free)

TrvProxy *
trv_proxy_copy (const TrvProxy *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  TrvProxy *copy = g_new0 (TrvProxy, 1);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->username = g_strdup (self->username);
  copy->password = g_strdup (self->password);
  copy->ip = g_strdup (self->ip);
  copy->from_system = self->from_system;
  return copy;
}

void
trv_proxy_free (TrvProxy *self)
{
  if (self == NULL)
    return;
  g_free (self->host);
  g_free (self->username);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->ip);
  g_free (self);
}

/* The messages never quote the value: it may carry a password. */
static gboolean
check_uri (GUri *uri, const char *key, GError **error)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);
  const char *path = g_uri_get_path (uri);
  const char *user = g_uri_get_user (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return trv_invalid_config (error, key, _("%s: a proxy reached over TLS (https://) is not "
                                             "supported; use http://host:port"), key);
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    return trv_invalid_config (error, key, _("%s: only HTTP proxies are supported: use "
                                             "http://host:port, or %s for none"), key,
                               TRV_PROXY_NONE);
  if (host == NULL || *host == '\0')
    return trv_invalid_config (error, key, _("%s: the proxy address has no host: use "
                                             "http://host:port"), key);
  if (g_uri_get_port (uri) <= 0)
    return trv_invalid_config (error, key, _("%s: the proxy address needs a port, as in "
                                             "http://%s:3128"), key, host);
  if ((*path != '\0' && !g_str_equal (path, "/")) || g_uri_get_query (uri) ||
      g_uri_get_fragment (uri))
    return trv_invalid_config (error, key, _("%s: a proxy address has no path or parameters: "
                                             "use http://host:port"), key);
  /* Basic authentication joins them with ':' (RFC 7617), so the name cannot hold one. */
  if (user && (*user == '\0' || strchr (user, ':')))
    return trv_invalid_config (error, key, _("%s: the proxy user name is empty or contains "
                                             "':'"), key);
  return trv_check_host (host, key, error);
}

TrvProxy *
trv_proxy_parse (const char *value, const char *key, GError **error)
{
  g_return_val_if_fail (value != NULL, NULL);
  for (const char *c = value; *c; c++)
    if (g_ascii_iscntrl (*c) || *c == ' ')
      {
        trv_invalid_config (error, key, _("%s: the proxy address contains a space or a "
                                          "control character"), key);
        return NULL;
      }
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (uri == NULL)
    {
      trv_invalid_config (error, key, _("%s: not a proxy address: use http://host:port, with "
                                        "user:password@ before the host if the proxy asks "
                                        "for them"), key);
      return NULL;
    }
  if (!check_uri (uri, key, error))
    return NULL;
  TrvProxy *self = g_new0 (TrvProxy, 1);
  self->host = g_strdup (g_uri_get_host (uri));
  self->port = (guint16) g_uri_get_port (uri);
  self->username = g_strdup (g_uri_get_user (uri));
  self->password = g_strdup (g_uri_get_password (uri));
  if (self->username && self->password == NULL)
    self->password = g_strdup ("");
  return self;
}

gchar *
trv_proxy_to_uri (const TrvProxy *self, gboolean with_credentials)
{
  g_return_val_if_fail (self != NULL, NULL);
  gboolean auth = with_credentials && self->username;
  return g_uri_join_with_user (G_URI_FLAGS_HAS_PASSWORD, "http", auth ? self->username : NULL,
                               auth ? self->password : NULL, NULL, self->host, self->port, "",
                               NULL, NULL);
}

static TrvProxy *
parse_quietly (const char *value)
{
  if (value == NULL || g_str_equal (value, TRV_PROXY_NONE))
    return NULL;
  return trv_proxy_parse (value, "nat.http-proxy", NULL);
}

gchar *
trv_proxy_split_password (const char *value, gchar **password)
{
  g_return_val_if_fail (password != NULL, NULL);
  *password = NULL;
  g_autoptr(TrvProxy) proxy = parse_quietly (value);
  if (proxy == NULL || proxy->password == NULL || proxy->password[0] == '\0')
    return g_strdup (value);
  *password = g_steal_pointer (&proxy->password);
  return trv_proxy_to_uri (proxy, TRUE);
}

gchar *
trv_proxy_join_password (const char *value, const char *password)
{
  g_autoptr(TrvProxy) proxy = parse_quietly (value);
  if (proxy == NULL || proxy->username == NULL || (proxy->password && proxy->password[0]) ||
      password == NULL || password[0] == '\0')
    return g_strdup (value);
  g_free (proxy->password);
  proxy->password = g_strdup (password);
  return trv_proxy_to_uri (proxy, TRUE);
}

gboolean
trv_proxy_has_user (const char *value)
{
  g_autoptr(TrvProxy) proxy = parse_quietly (value);
  return proxy != NULL && proxy->username != NULL;
}

gchar *
trv_proxy_describe (const TrvProxy *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return trv_net_join_host_port (self->host, self->port);
}

GProxyResolver *
trv_proxy_new_resolver (const TrvProxy *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  /* The address already resolved: no second lookup, and the same proxy as libnice's. */
  TrvProxy resolved = *self;
  if (self->ip)
    resolved.host = self->ip;
  g_autofree gchar *uri = trv_proxy_to_uri (&resolved, TRUE);
  return g_simple_proxy_resolver_new (uri, NULL);
}

/* --- lookup ------------------------------------------------------------------------------ */

/* The first of the system's answers that we can use: NULL for "direct://" (or only
 * proxies other than HTTP ones, which the TURN sockets cannot use). */
static TrvProxy *
pick_system_proxy (gchar **uris)
{
  for (guint i = 0; uris && uris[i]; i++)
    {
      if (g_str_has_prefix (uris[i], "direct://"))
        return NULL;
      g_autoptr(GError) error = NULL;
      TrvProxy *proxy = g_str_has_prefix (uris[i], "http://")
                        ? trv_proxy_parse (uris[i], "system proxy", &error) : NULL;
      if (proxy)
        {
          proxy->from_system = TRUE;
          return proxy;
        }
      g_debug ("proxy: skipping a system proxy that is not http://host:port");
    }
  return NULL;
}

/* The system's proxy is for the world outside: a server on this machine is reached
 * directly (GNOME's settings ignore these too; an https_proxy variable does not). */
static gboolean
is_local (const char *host)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);
  return addr ? g_inet_address_get_is_loopback (addr)
              : g_ascii_strcasecmp (host, "localhost") == 0;
}

static gchar *
system_lookup_uri (const char *host, guint16 port)
{
  /* A CONNECT tunnel is what the system's settings give https: addresses. */
  g_autofree gchar *host_port = trv_net_join_host_port (host, port);
  return g_strdup_printf ("https://%s", host_port);
}

static void
on_proxy_resolved (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  TrvProxy *proxy = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  proxy->ip = trv_net_resolve_finish (result, &error);
  if (proxy->ip == NULL)
    {
      g_prefix_error (&error, _("HTTP proxy: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_debug ("proxy: %s:%u (%s) from %s", proxy->host, proxy->port, proxy->ip,
           proxy->from_system ? "the system" : "the setting");
  g_task_return_pointer (task, trv_proxy_copy (proxy), (GDestroyNotify) trv_proxy_free);
}

/* Takes the proxy (NULL: direct). */
static void
resolve_proxy (GTask *task, TrvProxy *proxy)
{
  if (proxy == NULL)
    {
      g_debug ("proxy: none, connecting directly");
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, proxy, (GDestroyNotify) trv_proxy_free);
  trv_net_resolve_async (proxy->host, g_task_get_cancellable (task), on_proxy_resolved, task);
}

static void
on_system_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) uris = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result, &error);
  if (uris == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  resolve_proxy (task, pick_system_proxy (uris));
}

void
trv_proxy_lookup_async (const char *setting, const char *host, guint16 port,
                        GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_return_if_fail (host != NULL);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_proxy_lookup_async);
  if ((setting && g_str_equal (setting, TRV_PROXY_NONE)) || (setting == NULL && is_local (host)))
    {
      resolve_proxy (task, NULL);
      return;
    }
  if (setting)
    {
      GError *error = NULL;
      TrvProxy *proxy = trv_proxy_parse (setting, "nat.http-proxy", &error);
      if (proxy == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      resolve_proxy (task, proxy);
      return;
    }
  g_autofree gchar *uri = system_lookup_uri (host, port);
  g_proxy_resolver_lookup_async (g_proxy_resolver_get_default (), uri, cancellable,
                                 on_system_looked_up, task);
}

TrvProxy *
trv_proxy_lookup_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

TrvProxy *
trv_proxy_lookup (const char *setting, const char *host, guint16 port,
                  GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (host != NULL, NULL);
  g_autoptr(TrvProxy) proxy = NULL;
  if ((setting && g_str_equal (setting, TRV_PROXY_NONE)) || (setting == NULL && is_local (host)))
    return NULL;
  if (setting && !(proxy = trv_proxy_parse (setting, "nat.http-proxy", error)))
    return NULL;
  if (setting == NULL)
    {
      g_autofree gchar *uri = system_lookup_uri (host, port);
      g_auto(GStrv) uris = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), uri,
                                                    cancellable, error);
      if (uris == NULL)
        return NULL;
      if (!(proxy = pick_system_proxy (uris)))
        return NULL;
    }
  if (!(proxy->ip = trv_net_resolve (proxy->host, cancellable, error)))
    {
      g_prefix_error (error, _("HTTP proxy: "));
      return NULL;
    }
  return g_steal_pointer (&proxy);
}
