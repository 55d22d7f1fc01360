/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-turn-tls-relay.c: loopback TCP <-> TLS to the TURN server, one pair per connection
 * libnice opens, spliced by GIO without blocking the main loop. */
#include "config.h"

#include "trv-turn-tls-relay.h"
#include "trv-error.h"
#include "trv-tls.h"

#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#define CONNECT_TIMEOUT_S 3   /* within the gathering bound (TRV_ICE_GATHER_TIMEOUT_MS) */

struct _TrvTurnTlsRelay {
  GObject parent_instance;
  gchar *host;
  gchar *ip;
  guint16 port;
  gchar *extra_ca_file;
  TrvProxy *proxy;            /* NULL: straight to the server */
  GMainContext *context;
  GSocketListener *listener;
  guint16 local_port;
  GCancellable *cancellable;
  GError *error;
  gboolean reported;          /* "failed" emitted, no connection has worked since */
};

G_DEFINE_FINAL_TYPE (TrvTurnTlsRelay, trv_turn_tls_relay, G_TYPE_OBJECT)

enum { SIGNAL_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* One connection from libnice and its TLS counterpart. Holds the relay. */
typedef struct {
  TrvTurnTlsRelay *relay;
  GSocketConnection *local;
  GSocket *remote;     /* under tls */
  GIOStream *tls;
} Pair;

static void
pair_free (Pair *p)
{
  if (p->local)
    g_io_stream_close_async (G_IO_STREAM (p->local), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (p->tls)
    g_io_stream_close_async (p->tls, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&p->local);
  g_clear_object (&p->remote);
  g_clear_object (&p->tls);
  g_object_unref (p->relay);
  g_free (p);
}

/* TURN messages are small and each is a media packet: no Nagle delay. */
static void
set_nodelay (GSocketConnection *conn)
{
  g_socket_set_option (g_socket_connection_get_socket (conn), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

/* Takes the error. Closing libnice's connection (pair_free) makes its TURN fail at once. */
static void
relay_fail (TrvTurnTlsRelay *self, GError *error)
{
  g_debug ("TURN-TLS %p: %s", (gpointer) self, error->message);
  g_clear_error (&self->error);
  self->error = error;
  if (self->reported)
    return;
  self->reported = TRUE;
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, self->error);
}

static void
on_spliced (GObject *source, GAsyncResult *result, gpointer data)
{
  Pair *p = data;
  g_autoptr(GError) error = NULL;
  if (!g_io_stream_splice_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("TURN-TLS %p: connection ended: %s", (gpointer) p->relay, error->message);
  else
    g_debug ("TURN-TLS %p: connection closed", (gpointer) p->relay);
  pair_free (p);
}

static void
on_handshake (GObject *source, GAsyncResult *result, gpointer data)
{
  Pair *p = data;
  TrvTurnTlsRelay *self = p->relay;
  g_autoptr(GError) error = NULL;
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relay_fail (self, trv_tls_handshake_error (p->tls, self->host, self->port, error));
      pair_free (p);
      return;
    }
  g_debug ("TURN-TLS %p: TLS to %s:%u established", (gpointer) self, self->host, self->port);
  self->reported = FALSE;
  /* The connect timeout bounded connect and handshake; from now on a quiet spell (hold,
   * the minutes between TURN refreshes) must not count as a dead connection. */
  g_socket_set_timeout (p->remote, 0);
  g_io_stream_splice_async (G_IO_STREAM (p->local), p->tls, G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, self->cancellable, on_spliced, p);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Pair *p = data;
  TrvTurnTlsRelay *self = p->relay;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) conn =
    g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (conn == NULL)
    {
      g_autofree gchar *proxy = self->proxy ? trv_proxy_describe (self->proxy) : NULL;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ;
      else if (proxy)
        relay_fail (self, g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                                       _("cannot connect to the TURN server %s:%u over TCP "
                                         "for TLS through the HTTP proxy %s: %s"), self->host,
                                       self->port, proxy, error->message));
      else
        relay_fail (self, g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                                       _("cannot connect to the TURN server %s:%u over TCP "
                                         "for TLS: %s"), self->host, self->port,
                                       error->message));
      pair_free (p);
      return;
    }
  set_nodelay (conn);
  p->remote = g_object_ref (g_socket_connection_get_socket (conn));
  p->tls = trv_tls_client_new (G_IO_STREAM (conn), self->host, self->port, self->extra_ca_file,
                               &error);
  if (p->tls == NULL)
    {
      relay_fail (self, g_steal_pointer (&error));
      pair_free (p);
      return;
    }
  g_tls_connection_handshake_async (G_TLS_CONNECTION (p->tls), G_PRIORITY_DEFAULT,
                                    self->cancellable, on_handshake, p);
}

static void accept_next (TrvTurnTlsRelay *self);

static void
on_accepted (GObject *source, GAsyncResult *result, gpointer data)
{
  TrvTurnTlsRelay *self = data;   /* a reference, held while accepting */
  g_autoptr(GError) error = NULL;
  GSocketConnection *local =
    g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, &error);
  if (local == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("TURN-TLS %p: accept failed: %s", (gpointer) self, error->message);
      g_object_unref (self);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (local);
      g_object_unref (self);
      return;
    }
  set_nodelay (local);
  Pair *p = g_new0 (Pair, 1);
  p->relay = g_object_ref (self);
  p->local = local;
  g_debug ("TURN-TLS %p: connection from libnice, connecting to %s (%s:%u)", (gpointer) self,
           self->host, self->ip, self->port);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_S);
  if (self->proxy)
    {
      /* GIO's GHttpProxy sends the CONNECT (and Basic credentials from the URI). */
      g_autoptr(GProxyResolver) resolver = trv_proxy_new_resolver (self->proxy);
      g_socket_client_set_proxy_resolver (client, resolver);
    }
  else
    g_socket_client_set_enable_proxy (client, FALSE);   /* straight to the media relay */
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (self->ip);
  g_autoptr(GSocketAddress) server = g_inet_socket_address_new (addr, self->port);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (server), self->cancellable,
                                 on_connected, p);
  accept_next (self);
  g_object_unref (self);
}

static void
accept_next (TrvTurnTlsRelay *self)
{
  g_socket_listener_accept_async (self->listener, self->cancellable, on_accepted,
                                  g_object_ref (self));
}

TrvTurnTlsRelay *
trv_turn_tls_relay_new (const char *host, const char *ip, guint16 port,
                        const char *extra_ca_file, GMainContext *context, GError **error)
{
  g_return_val_if_fail (host != NULL && ip != NULL, NULL);
  g_autoptr(TrvTurnTlsRelay) self = g_object_new (TRV_TYPE_TURN_TLS_RELAY, NULL);
  self->host = g_strdup (host);
  self->ip = g_strdup (ip);
  self->port = port;
  self->extra_ca_file = g_strdup (extra_ca_file);
  self->context = context ? g_main_context_ref (context) : g_main_context_ref_thread_default ();

  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  if (!g_socket_listener_add_address (self->listener, any_port, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return NULL;
  self->local_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_debug ("TURN-TLS %p: 127.0.0.1:%u relays to %s (%s:%u)", (gpointer) self,
           self->local_port, host, ip, port);
  /* Async operations complete in the context that is thread-default when they start. */
  g_main_context_push_thread_default (self->context);
  accept_next (self);
  g_main_context_pop_thread_default (self->context);
  return g_steal_pointer (&self);
}

void
trv_turn_tls_relay_set_proxy (TrvTurnTlsRelay *self, const TrvProxy *proxy)
{
  g_return_if_fail (TRV_IS_TURN_TLS_RELAY (self));
  g_clear_pointer (&self->proxy, trv_proxy_free);
  self->proxy = proxy ? trv_proxy_copy (proxy) : NULL;
  g_debug ("TURN-TLS %p: through HTTP proxy %s:%u", (gpointer) self,
           proxy ? proxy->host : "(none)", proxy ? proxy->port : 0);
}

guint16
trv_turn_tls_relay_get_port (TrvTurnTlsRelay *self)
{
  g_return_val_if_fail (TRV_IS_TURN_TLS_RELAY (self), 0);
  return self->local_port;
}

const GError *
trv_turn_tls_relay_get_error (TrvTurnTlsRelay *self)
{
  g_return_val_if_fail (TRV_IS_TURN_TLS_RELAY (self), NULL);
  return self->error;
}

void
trv_turn_tls_relay_close (TrvTurnTlsRelay *self)
{
  g_return_if_fail (TRV_IS_TURN_TLS_RELAY (self));
  g_debug ("TURN-TLS %p: closed", (gpointer) self);
  g_cancellable_cancel (self->cancellable);
  g_socket_listener_close (self->listener);
}

static void
trv_turn_tls_relay_finalize (GObject *object)
{
  TrvTurnTlsRelay *self = TRV_TURN_TLS_RELAY (object);
  g_clear_object (&self->listener);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_main_context_unref (self->context);
  g_free (self->host);
  g_free (self->ip);
  g_free (self->extra_ca_file);
  g_clear_pointer (&self->proxy, trv_proxy_free);
  G_OBJECT_CLASS (trv_turn_tls_relay_parent_class)->finalize (object);
}

static void
trv_turn_tls_relay_class_init (TrvTurnTlsRelayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trv_turn_tls_relay_finalize;
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
trv_turn_tls_relay_init (TrvTurnTlsRelay *self)
{
  self->listener = g_socket_listener_new ();
  self->cancellable = g_cancellable_new ();
}
