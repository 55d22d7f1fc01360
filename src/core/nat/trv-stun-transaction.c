/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-stun-transaction.c: one STUN request/response exchange over UDP (retransmitted) or
 * over a TCP or TLS stream (RFC 5389 section 7.2), with blocking GIO calls: for the NAT
 * probe's worker threads. */
#include "config.h"

#include "trv-stun-transaction.h"
#include "trv-error.h"
#include "trv-net.h"
#include <glib/gi18n-lib.h>

#define BUF_SIZE 4096
#define RTO_FIRST_MS 250
#define RTO_MAX_MS 1000

/* Sends `req` over UDP with doubling retransmission intervals until a response the agent
 * matches to it arrives or `budget_ms` has passed. FALSE with TRV_ERROR_TIMEOUT then. */
gboolean
trv_stun_udp_transaction (GSocket *sock, GSocketAddress *to, StunAgent *agent,
                          const guint8 *req, gsize req_len, guint8 *resp, StunMessage *msg,
                          guint budget_ms, GCancellable *cancellable, GError **error)
{
  gint64 end = g_get_monotonic_time () + (gint64) budget_ms * 1000;
  gint64 rto = RTO_FIRST_MS * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GError) send_error = NULL;
      if (g_socket_send_to (sock, to, (const gchar *) req, req_len, cancellable,
                            &send_error) < 0)
        {
          if (g_error_matches (send_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&send_error));
              return FALSE;
            }
          /* No route / unreachable network: nothing will ever answer. */
          g_set_error (error, TRV_ERROR, TRV_ERROR_UNREACHABLE, "%s", send_error->message);
          return FALSE;
        }
      gint64 deadline = MIN (g_get_monotonic_time () + rto, end);
      for (;;)
        {
          gint64 left = deadline - g_get_monotonic_time ();
          g_autoptr(GError) wait_error = NULL;
          if (left <= 0)
            break;
          if (!g_socket_condition_timed_wait (sock, G_IO_IN, left, cancellable, &wait_error))
            {
              if (g_error_matches (wait_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
                break;
              g_propagate_error (error, g_steal_pointer (&wait_error));
              return FALSE;
            }
          gssize n = g_socket_receive_from (sock, NULL, (gchar *) resp, BUF_SIZE, cancellable,
                                            NULL);
          if (n <= 0)
            continue;
          /* Stray or late packets (an earlier transaction's retransmission) are skipped. */
          if (stun_agent_validate (agent, msg, resp, n, NULL, NULL) == STUN_VALIDATION_SUCCESS)
            return TRUE;
        }
      rto = MIN (rto * 2, (gint64) RTO_MAX_MS * 1000);
    }
  g_set_error (error, TRV_ERROR, TRV_ERROR_TIMEOUT, _("no answer within %.1f s"),
               budget_ms / 1000.0);
  return FALSE;
}

/* STUN over TCP (RFC 5389 section 7.2.2): messages are self-delimiting by their length. */
gboolean
trv_stun_tcp_transaction (GIOStream *stream, StunAgent *agent, const guint8 *req, gsize req_len,
                          guint8 *resp, StunMessage *msg, GCancellable *cancellable, GError **error)
{
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  GInputStream *in = g_io_stream_get_input_stream (stream);
  if (!g_output_stream_write_all (out, req, req_len, NULL, cancellable, error))
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      gsize got = 0;
      if (!g_input_stream_read_all (in, resp, 20, &got, cancellable, error))
        return FALSE;
      if (got < 20)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_UNREACHABLE, _("the server closed the connection"));
          return FALSE;
        }
      gsize body = ((gsize) resp[2] << 8) | resp[3];
      if (body + 20 > BUF_SIZE)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED, _("oversized STUN message"));
          return FALSE;
        }
      if (!g_input_stream_read_all (in, resp + 20, body, &got, cancellable, error))
        return FALSE;
      if (got < body)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_UNREACHABLE, _("the server closed the connection"));
          return FALSE;
        }
      if (stun_agent_validate (agent, msg, resp, body + 20, NULL, NULL) == STUN_VALIDATION_SUCCESS)
        return TRUE;
    }
  g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED, _("no matching STUN response"));
  return FALSE;
}

gchar *
trv_stun_native_address_to_string (const struct sockaddr_storage *ss, socklen_t len)
{
  g_autoptr(GSocketAddress) a = g_socket_address_new_from_native ((gpointer) ss, len);
  if (a == NULL || !G_IS_INET_SOCKET_ADDRESS (a))
    return NULL;
  GInetSocketAddress *isa = G_INET_SOCKET_ADDRESS (a);
  g_autofree gchar *ip = g_inet_address_to_string (g_inet_socket_address_get_address (isa));
  return trv_net_join_host_port (ip, g_inet_socket_address_get_port (isa));
}

gchar *
trv_stun_address_to_string (GSocketAddress *a)
{
  GInetSocketAddress *isa = G_INET_SOCKET_ADDRESS (a);
  g_autofree gchar *ip = g_inet_address_to_string (g_inet_socket_address_get_address (isa));
  return trv_net_join_host_port (ip, g_inet_socket_address_get_port (isa));
}
