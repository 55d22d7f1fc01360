/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-turn-check.c: the NAT probe's TURN check: one allocation (RFC 5766) over UDP, TCP
 * or TLS with long-term credentials, released again at once; blocking GIO calls, for a
 * worker thread. */
#include "config.h"

#include "trv-turn-check.h"

#include <glib/gi18n-lib.h>
#include <stun/stunagent.h>
#include <stun/usages/turn.h>
#include <string.h>

#include "trv-error.h"
#include "trv-tls.h"
#include "trv-stun-transaction.h"

#define BUF_SIZE 4096

typedef struct {
  GSocket *sock;         /* UDP */
  GIOStream *stream;     /* TCP */
  TrvTurnAllocCheck *check;
} TurnChannel;

static gboolean
turn_send (TurnChannel *ch, StunAgent *agent, const guint8 *req, gsize len, guint8 *resp,
           StunMessage *msg, GError **error)
{
  if (ch->stream)
    return trv_stun_tcp_transaction (ch->stream, agent, req, len, resp, msg, ch->check->cancellable, error);
  return trv_stun_udp_transaction (ch->sock, ch->check->server, agent, req, len, resp, msg,
                                   ch->check->budget_ms, ch->check->cancellable, error);
}

static void
turn_fail (TrvTurnAllocCheck *c, TrvTurnCheck result, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
turn_fail (TrvTurnAllocCheck *c, TrvTurnCheck result, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  c->result.result = result;
  c->result.error = g_strdup_vprintf (format, args);
  va_end (args);
}

/* The thread's end: says in the debug log how the check went. */
static gpointer
turn_check_done (TrvTurnAllocCheck *c, const char *server, const char *via)
{
  if (c->result.result == TRV_TURN_CHECK_OK)
    g_debug ("NAT probe: TURN %s over %s: relayed address %s", server, via,
             c->result.relay_address);
  else
    g_debug ("NAT probe: TURN %s over %s failed: %s", server, via,
             c->result.error ? c->result.error : "?");
  return NULL;
}

/* TLS over the TCP connection, the handshake done; on failure the check says why. */
static gboolean
turn_start_tls (TrvTurnAllocCheck *c, TurnChannel *ch, GSocketConnection *conn, GIOStream **tls)
{
  g_autoptr(GError) error = NULL;
  guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (c->server));
  *tls = trv_tls_client_new (G_IO_STREAM (conn), c->tls_host, port, c->ca_file, &error);
  if (*tls == NULL)
    {
      turn_fail (c, TRV_TURN_CHECK_TLS_FAILED, "%s", error->message);
      return FALSE;
    }
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (*tls), c->cancellable, &error))
    {
      g_autoptr(GError) why = trv_tls_handshake_error (*tls, c->tls_host, port, error);
      turn_fail (c, TRV_TURN_CHECK_TLS_FAILED, "%s", why->message);
      return FALSE;
    }
  ch->stream = *tls;
  return TRUE;
}

/* The UDP socket or TCP connection (with TLS) to the TURN server; on failure the check
 * says why. */
static gboolean
turn_open_channel (TrvTurnAllocCheck *c, TurnChannel *ch, GSocket **sock, GSocketConnection **conn,
                   GIOStream **tls)
{
  g_autoptr(GError) error = NULL;

  if (c->tcp)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_socket_client_set_timeout (client, MAX (1, (c->budget_ms + 999) / 1000));
      /* Straight to the TURN server, or through the given proxy (GIO's GHttpProxy sends
       * the CONNECT); never whatever GSocketClient's default resolver would pick. */
      if (c->proxy)
        g_socket_client_set_proxy_resolver (client, c->proxy);
      else
        g_socket_client_set_enable_proxy (client, FALSE);
      *conn = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (c->server), c->cancellable,
                                       &error);
      if (*conn == NULL && c->proxy)
        {
          turn_fail (c, TRV_TURN_CHECK_UNREACHABLE, _("cannot connect over TCP through the HTTP "
                                                      "proxy: %s"), error->message);
          return FALSE;
        }
      if (*conn == NULL)
        {
          turn_fail (c, TRV_TURN_CHECK_UNREACHABLE, _("cannot connect over TCP: %s"), error->message);
          return FALSE;
        }
      ch->stream = G_IO_STREAM (*conn);
      if (c->tls)
        return turn_start_tls (c, ch, *conn, tls);
    }
  else
    {
      GSocketFamily family = g_socket_address_get_family (c->server);
      *sock = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
      g_autoptr(GInetAddress) any = g_inet_address_new_any (family);
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new (any, 0);
      if (*sock == NULL || !g_socket_bind (*sock, local, FALSE, &error))
        {
          turn_fail (c, TRV_TURN_CHECK_FAILED, "%s", error->message);
          return FALSE;
        }
      ch->sock = *sock;
    }
  return TRUE;
}

gpointer
trv_turn_alloc_check_thread (gpointer data)
{
  TrvTurnAllocCheck *c = data;
  TurnChannel ch = { .check = c };
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;
  const char *via = c->tls ? "TLS" : c->tcp ? "TCP" : "UDP";

  g_autofree gchar *server = trv_stun_address_to_string (c->server);
  g_debug ("NAT probe: TURN allocation at %s over %s", server, via);
  if (!turn_open_channel (c, &ch, &sock, &conn, &tls))
    return turn_check_done (c, server, via);

  StunAgent agent;
  StunMessage req, resp, challenge;
  guint8 req_buf[BUF_SIZE], resp_buf[BUF_SIZE], challenge_buf[BUF_SIZE];
  gsize ulen = strlen (c->username), plen = strlen (c->password);
  stun_agent_init (&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                   STUN_AGENT_USAGE_LONG_TERM_CREDENTIALS);

  /* First Allocate without credentials: the server answers 401 with REALM and NONCE. */
  gsize len = stun_usage_turn_create (&agent, &req, req_buf, sizeof req_buf, NULL,
                                      STUN_USAGE_TURN_REQUEST_PORT_NORMAL, -1, -1,
                                      (uint8_t *) c->username, ulen,
                                      (uint8_t *) c->password, plen,
                                      STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
  if (!turn_send (&ch, &agent, req_buf, len, resp_buf, &resp, &error))
    {
      turn_fail (c, TRV_TURN_CHECK_UNREACHABLE, _("no answer over %s: %s"), via, error->message);
      return turn_check_done (c, server, via);
    }
  int code = 0;
  gboolean have_challenge = FALSE;
  for (guint attempt = 0; attempt < 3 && stun_message_get_class (&resp) == STUN_ERROR; attempt++)
    {
      if (stun_message_find_error (&resp, &code) != STUN_MESSAGE_RETURN_SUCCESS)
        code = 0;
      /* 401 the first time asks for credentials; 438 (stale nonce) asks to retry. A 401 to
       * a request that carried credentials means they are wrong. */
      if (!(code == STUN_ERROR_UNAUTHORIZED || code == STUN_ERROR_STALE_NONCE) ||
          (code == STUN_ERROR_UNAUTHORIZED && have_challenge))
        break;
      memcpy (challenge_buf, resp_buf, BUF_SIZE);
      challenge = resp;
      challenge.buffer = challenge_buf;
      have_challenge = TRUE;
      len = stun_usage_turn_create (&agent, &req, req_buf, sizeof req_buf, &challenge,
                                    STUN_USAGE_TURN_REQUEST_PORT_NORMAL, -1, -1,
                                    (uint8_t *) c->username, ulen,
                                    (uint8_t *) c->password, plen,
                                    STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
      if (!turn_send (&ch, &agent, req_buf, len, resp_buf, &resp, &error))
        {
          turn_fail (c, TRV_TURN_CHECK_UNREACHABLE, _("no answer over %s: %s"), via,
                     error->message);
          return turn_check_done (c, server, via);
        }
    }

  if (stun_message_get_class (&resp) == STUN_ERROR)
    {
      stun_message_find_error (&resp, &code);
      if (code == STUN_ERROR_UNAUTHORIZED)
        turn_fail (c, TRV_TURN_CHECK_AUTH_FAILED,
                   _("the TURN server refused username '%s' or its password (401 over %s)"),
                   c->username, via);
      else
        turn_fail (c, TRV_TURN_CHECK_FAILED, _("the TURN server refused the allocation (%d over %s)"),
                   code, via);
      return turn_check_done (c, server, via);
    }

  struct sockaddr_storage relay;
  socklen_t relaylen = sizeof relay;
  if (stun_message_find_xor_addr (&resp, STUN_ATTRIBUTE_XOR_RELAYED_ADDRESS, &relay,
                                  &relaylen) != STUN_MESSAGE_RETURN_SUCCESS)
    {
      turn_fail (c, TRV_TURN_CHECK_FAILED, _("the allocation response over %s has no relayed address"),
                 via);
      return turn_check_done (c, server, via);
    }
  c->result.result = TRV_TURN_CHECK_OK;
  c->result.relay_address = trv_stun_native_address_to_string (&relay, relaylen);

  /* Release the allocation at once (lifetime 0) so it does not linger for 10 minutes. */
  if (have_challenge)
    {
      len = stun_usage_turn_create_refresh (&agent, &req, req_buf, sizeof req_buf, &challenge, 0,
                                            (uint8_t *) c->username, ulen,
                                            (uint8_t *) c->password, plen,
                                            STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
      c->budget_ms = MIN (c->budget_ms, 600);
      g_clear_error (&error);
      if (len > 0)
        turn_send (&ch, &agent, req_buf, len, resp_buf, &resp, NULL);
    }
  return turn_check_done (c, server, via);
}
