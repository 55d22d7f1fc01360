/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-tls-check.c: one GIO TLS handshake to tell a refused certificate from a dead server. */
#include "config.h"

#include "trv-tls-check.h"
#include "trv-error.h"
#include "trv-tls.h"
#include <glib/gi18n-lib.h>

typedef struct {
  gchar *host;
  guint16 port;
  gchar *ca_bundle;
  GIOStream *tls;
} Check;

static void
check_free (Check *c)
{
  g_free (c->host);
  g_free (c->ca_bundle);
  g_clear_object (&c->tls);
  g_free (c);
}

static void
on_handshake (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Check *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      g_io_stream_close_async (c->tls, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_error (task, trv_tls_handshake_error (c->tls, c->host, c->port, error));
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Check *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) conn =
    g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (conn == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_UNREACHABLE,
                                 _("cannot connect to %s:%u: %s"), c->host, c->port,
                                 error->message);
      return;
    }

  c->tls = trv_tls_client_new (G_IO_STREAM (conn), c->host, c->port, NULL, &error);
  if (c->tls == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (c->ca_bundle)
    {
      g_autoptr(GTlsDatabase) db = g_tls_file_database_new (c->ca_bundle, &error);
      if (db == NULL)
        {
          g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_TLS,
                                   _("cannot read the trusted CAs: %s"), error->message);
          return;
        }
      g_tls_connection_set_database (G_TLS_CONNECTION (c->tls), db);
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (c->tls), G_PRIORITY_DEFAULT,
                                    cancellable, on_handshake, g_steal_pointer (&task));
}

void
trv_tls_check_async (const char *host, guint16 port, const char *ca_bundle, guint timeout_s,
                     GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  g_return_if_fail (host != NULL);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_tls_check_async);
  Check *c = g_new0 (Check, 1);
  c->host = g_strdup (host);
  c->port = port;
  c->ca_bundle = g_strdup (ca_bundle);
  g_task_set_task_data (task, c, (GDestroyNotify) check_free);

  g_autoptr(GSocketClient) client = g_socket_client_new ();
  /* Bounds connect and handshake alike; sofia's own timer would be 16 s. */
  g_socket_client_set_timeout (client, timeout_s);
  g_autoptr(GSocketConnectable) address = g_network_address_new (host, port);
  g_socket_client_connect_async (client, address, cancellable, on_connected, task);
}

gboolean
trv_tls_check_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
