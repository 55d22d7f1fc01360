/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-proxy.h: the HTTP proxy that TCP connections to media relays go through (HTTP
 * CONNECT): from a setting ("http://[user:pass@]host:port") or from the system's proxy
 * settings (GProxyResolver). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The setting's value that means "never a proxy", whatever the system says. */
#define TRV_PROXY_NONE "none"

typedef struct {
  gchar *host;         /* name or IP literal (no brackets) */
  guint16 port;
  gchar *username;     /* NULL: no Proxy-Authorization */
  gchar *password;
  gchar *ip;           /* the host resolved (libnice wants a literal); NULL until looked up */
  gboolean from_system;
} TrvProxy;

#define TRV_TYPE_PROXY (trv_proxy_get_type ())

GType     trv_proxy_get_type (void) G_GNUC_CONST;
TrvProxy *trv_proxy_copy     (const TrvProxy *self);
void      trv_proxy_free     (TrvProxy *self);

/* "http://[user[:password]@]host:port" (the port is required; no path, query or
 * fragment). Errors: TRV_ERROR_INVALID_CONFIG naming `key`. */
TrvProxy *trv_proxy_parse    (const char *value, const char *key, GError **error);
/* "http://host:port" (with the credentials if asked: for GIO's GHttpProxy). */
gchar    *trv_proxy_to_uri   (const TrvProxy *self, gboolean with_credentials);
/* For a store that keeps passwords apart (the desktop's keyring): the setting without its
 * password (the user stays), and the password in *password (NULL when it has none). Any
 * other value (unset, "none", not a proxy address) comes back as it is. */
gchar    *trv_proxy_split_password (const char *value, gchar **password);
/* The setting with `password` put back in: only for an address with a user and no
 * password; any other value comes back as it is. */
gchar    *trv_proxy_join_password  (const char *value, const char *password);
/* TRUE for a proxy address with a user name (a password may belong to it). */
gboolean  trv_proxy_has_user       (const char *value);
/* "host:port" for people; never the credentials. */
gchar    *trv_proxy_describe (const TrvProxy *self);
/* A resolver that sends every connection through this proxy, for a GSocketClient. */
GProxyResolver *trv_proxy_new_resolver (const TrvProxy *self);

/* The proxy for a TCP connection to host:port: `setting` when it is one (TRV_PROXY_NONE:
 * none), the system's HTTP proxy for "https://host:port" when `setting` is NULL (none for
 * a loopback host). The
 * proxy's name is resolved too. Returns NULL without an error for a direct connection;
 * errors: the system's resolver failed, the proxy's name did not resolve. */
void      trv_proxy_lookup_async  (const char *setting, const char *host, guint16 port,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
TrvProxy *trv_proxy_lookup_finish (GAsyncResult *result, GError **error);
/* The same, blocking: for worker threads only. */
TrvProxy *trv_proxy_lookup        (const char *setting, const char *host, guint16 port,
                                   GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvProxy, trv_proxy_free)

G_END_DECLS
