/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-probe.c: STUN/TURN network check with libnice's STUN library.
 *
 * The probe runs in a GTask worker thread with blocking GSockets (bounded by timeouts and
 * the cancellable); the two TURN checks run in their own threads meanwhile, so a network
 * that blocks UDP costs one retransmission budget, not three. */
#include "config.h"

#include "trv-nat-probe-private.h"

#include <glib/gi18n-lib.h>
#include <stun/stunagent.h>
#include <stun/usages/bind.h>
#include <stun/usages/turn.h>
#include <string.h>

#include "trv-error.h"
#include "trv-main-context.h"
#include "trv-net.h"
#include "trv-server-discovery.h"
#include "trv-host-port.h"
#include "trv-log.h"
#include "trv-tls.h"
#include "trv-stun-transaction.h"

#define STUN_PORT 3478
#define TURNS_PORT 5349
#define BUF_SIZE 4096
#define ATTR_OTHER_ADDRESS 0x802C   /* RFC 5780; libnice has no constant for it */

struct _TrvNatProbe {
  GObject parent_instance;
  TrvNatConfig *config;
  gchar *domain;
  guint timeout_ms;
};

G_DEFINE_FINAL_TYPE (TrvNatProbe, trv_nat_probe, G_TYPE_OBJECT)

/* --- addresses ------------------------------------------------------------------------- */

static gchar *
sockaddr_to_string (const struct sockaddr_storage *ss, socklen_t len)
{
  g_autoptr(GSocketAddress) a = g_socket_address_new_from_native ((gpointer) ss, len);
  if (a == NULL || !G_IS_INET_SOCKET_ADDRESS (a))
    return NULL;
  GInetSocketAddress *isa = G_INET_SOCKET_ADDRESS (a);
  g_autofree gchar *ip = g_inet_address_to_string (g_inet_socket_address_get_address (isa));
  return trv_net_join_host_port (ip, g_inet_socket_address_get_port (isa));
}

static gchar *
gaddr_to_string (GSocketAddress *a)
{
  GInetSocketAddress *isa = G_INET_SOCKET_ADDRESS (a);
  g_autofree gchar *ip = g_inet_address_to_string (g_inet_socket_address_get_address (isa));
  return trv_net_join_host_port (ip, g_inet_socket_address_get_port (isa));
}

/* host[:port] from the config, else what SRV discovery found (host may be NULL).
 * Returns NULL (no error) when neither gives anything; `source` says which one did. */
static GSocketAddress *
find_server (const char *configured, const char *key, const char *what,
             guint16 default_port, const char *discovered_host, guint16 discovered_port,
             const char **source, gchar **host_out, GCancellable *cancellable, GError **error)
{
  g_autofree gchar *host = NULL;
  guint16 port = default_port;

  if (configured && *configured)
    {
      /* The key stays on the error as data (trv_error_get_config_key); the text is words. */
      if (!trv_parse_host_port (configured, default_port, key, &host, &port, error))
        return NULL;
      *source = "config";
    }
  else if (discovered_host)
    {
      host = g_strdup (discovered_host);
      port = discovered_port;
      *source = "srv";
    }
  else
    return NULL;

  g_autofree gchar *ip = trv_net_resolve (host, cancellable, error);
  if (ip == NULL)
    {
      g_prefix_error (error, "%s %s: ", what, *source && g_str_equal (*source, "srv")
                                              ? _("found in DNS") : host);
      return NULL;
    }
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (ip);
  if (host_out)
    *host_out = g_steal_pointer (&host);
  return g_inet_socket_address_new (addr, port);
}

/* --- STUN ------------------------------------------------------------------------------ */

/* One Binding request from `sock` to `server`; fills mapped (and RFC 5780 OTHER-ADDRESS). */
static gboolean
stun_binding (GSocket *sock, GSocketAddress *server, guint budget_ms, gchar **mapped,
              GSocketAddress **other, GCancellable *cancellable, GError **error)
{
  StunAgent agent;
  StunMessage req, resp;
  guint8 req_buf[BUF_SIZE], resp_buf[BUF_SIZE];

  stun_agent_init (&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                   STUN_AGENT_USAGE_USE_FINGERPRINT);
  gsize len = stun_usage_bind_create (&agent, &req, req_buf, sizeof req_buf);
  if (!trv_stun_udp_transaction (sock, server, &agent, req_buf, len, resp_buf, &resp, budget_ms,
                                 cancellable, error))
    return FALSE;

  struct sockaddr_storage addr, alt;
  socklen_t addrlen = sizeof addr, altlen = sizeof alt;
  StunUsageBindReturn ret = stun_usage_bind_process (&resp, (struct sockaddr *) &addr, &addrlen,
                                                     (struct sockaddr *) &alt, &altlen);
  if (ret != STUN_USAGE_BIND_RETURN_SUCCESS)
    {
      int code = 0;
      stun_message_find_error (&resp, &code);
      g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED,
                   _("the STUN server answered with an error (%d)"), code);
      return FALSE;
    }
  *mapped = sockaddr_to_string (&addr, addrlen);
  if (other)
    {
      struct sockaddr_storage oa;
      socklen_t oalen = sizeof oa;
      *other = NULL;
      if (stun_message_find_addr (&resp, ATTR_OTHER_ADDRESS, &oa, &oalen) ==
          STUN_MESSAGE_RETURN_SUCCESS)
        *other = g_socket_address_new_from_native (&oa, oalen);
    }
  return *mapped != NULL;
}

/* --- TURN ------------------------------------------------------------------------------ */

typedef struct {
  GSocketAddress *server;
  gboolean tcp;
  gboolean tls;            /* over TCP, then TLS with tls_host's certificate checked */
  const gchar *tls_host;
  const gchar *ca_file;
  const gchar *username;
  const gchar *password;
  guint budget_ms;
  GCancellable *cancellable;
  TrvTurnCheckResult result;
} TurnCheck;

typedef struct {
  GSocket *sock;         /* UDP */
  GIOStream *stream;     /* TCP */
  TurnCheck *check;
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
turn_fail (TurnCheck *c, TrvTurnCheck result, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
turn_fail (TurnCheck *c, TrvTurnCheck result, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  c->result.result = result;
  c->result.error = g_strdup_vprintf (format, args);
  va_end (args);
}

/* The thread's end: says in the debug log how the check went. */
static gpointer
turn_check_done (TurnCheck *c, const char *server, const char *via)
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
turn_start_tls (TurnCheck *c, TurnChannel *ch, GSocketConnection *conn, GIOStream **tls)
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
turn_open_channel (TurnCheck *c, TurnChannel *ch, GSocket **sock, GSocketConnection **conn,
                   GIOStream **tls)
{
  g_autoptr(GError) error = NULL;

  if (c->tcp)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_socket_client_set_timeout (client, MAX (1, (c->budget_ms + 999) / 1000));
      /* Straight to the TURN server: a desktop proxy setting is not for media relays (and
       * the proxy resolver would load GIO modules and D-Bus threads just for this). */
      g_socket_client_set_enable_proxy (client, FALSE);
      *conn = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (c->server), c->cancellable,
                                       &error);
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

static gpointer
turn_check_thread (gpointer data)
{
  TurnCheck *c = data;
  TurnChannel ch = { .check = c };
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;
  const char *via = c->tls ? "TLS" : c->tcp ? "TCP" : "UDP";

  g_autofree gchar *server = gaddr_to_string (c->server);
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
  c->result.relay_address = sockaddr_to_string (&relay, relaylen);

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

/* --- the probe ------------------------------------------------------------------------- */

/* Mapping test: one local socket, Binding to two server addresses. The same public
 * ip:port from both means endpoint-independent mapping (STUN alone works). Fills r; an
 * unanswered Binding is a warning in r, a socket that cannot be bound or a cancellation an
 * error. */
static void
mapping_test (TrvNatProbe *self, GSocketAddress *stun, TrvNatReport *r,
              GCancellable *cancellable, GError **out_error)
{
  g_autoptr(GError) error = NULL;
  GSocketFamily family = g_socket_address_get_family (stun);
  g_autoptr(GSocket) sock = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) any = g_inet_address_new_any (family);
  g_autoptr(GSocketAddress) bind_addr = g_inet_socket_address_new (any, 0);
  if (sock && g_socket_bind (sock, bind_addr, FALSE, &error))
    {
      g_autoptr(GSocketAddress) other = NULL;
      g_autoptr(GError) stun_error = NULL;
      if (stun_binding (sock, stun, self->timeout_ms, &r->mapped_address, &other, cancellable,
                        &stun_error))
        {
          r->stun_reachable = TRUE;
          g_autoptr(GSocketAddress) bound = g_socket_get_local_address (sock, NULL);
          GInetAddress *sip = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (stun));
          g_autofree gchar *sip_str = g_inet_address_to_string (sip);
          g_autofree gchar *local_ip = trv_net_local_address_for (sip_str, NULL);
          if (local_ip && bound)
            r->local_address = trv_net_join_host_port (
              local_ip, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
          r->behind_nat = g_strcmp0 (r->local_address, r->mapped_address) != 0;
          g_debug ("NAT probe: STUN %s maps %s to %s", r->stun_server,
                   r->local_address ? r->local_address : "?", r->mapped_address);
          if (!r->behind_nat)
            r->mapping = TRV_NAT_MAPPING_NO_NAT;
          else if (other)
            {
              /* RFC 5780 test II: the alternate IP at the primary port, so only the
               * destination address differs. */
              g_autoptr(GSocketAddress) second = g_inet_socket_address_new (
                g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (other)),
                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (stun)));
              r->other_server = gaddr_to_string (second);
              g_debug ("NAT probe: mapping test against %s", r->other_server);
              if (stun_binding (sock, second, self->timeout_ms, &r->other_mapped_address, NULL,
                                cancellable, &stun_error))
                r->mapping = g_str_equal (r->mapped_address, r->other_mapped_address)
                             ? TRV_NAT_MAPPING_ENDPOINT_INDEPENDENT
                             : TRV_NAT_MAPPING_ENDPOINT_DEPENDENT;
              else
                g_ptr_array_add (r->warnings,
                                 g_strdup_printf (_("STUN: the server's second address %s did not "
                                                    "answer (%s)"), r->other_server,
                                                  stun_error->message));
            }
          else
            g_ptr_array_add (r->warnings,
                             g_strdup (_("STUN: the server does not support RFC 5780 (no "
                                         "OTHER-ADDRESS), so the mapping behaviour is unknown")));
        }
      else if (g_error_matches (stun_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (&error, g_steal_pointer (&stun_error));
      else
        {
          g_debug ("NAT probe: STUN %s: %s", r->stun_server, stun_error->message);
          g_ptr_array_add (r->warnings, g_strdup_printf ("STUN: %s: %s", r->stun_server,
                                                         stun_error->message));
        }
    }
  if (error)
    g_propagate_error (out_error, g_steal_pointer (&error));
}

/* The TURN servers to check: `turn` over UDP and TCP, `tls` (the configured server with
 * turn-transport = tls, or a discovered _turns._tcp one) over TLS. */
typedef struct {
  GSocketAddress *turn;
  GSocketAddress *tls;
  gchar *tls_host;
  TurnCheck checks[3];
  GThread *threads[3];
} TurnChecks;

static gboolean
find_turn_servers (TrvNatConfig *cfg, TrvDiscoveredServers *found, TurnChecks *t,
                   const char **source, GCancellable *cancellable, GError **error)
{
  gboolean tls_only = cfg->turn_transport == TRV_TURN_TRANSPORT_TLS;
  gboolean tcp = cfg->turn_transport == TRV_TURN_TRANSPORT_TCP;
  const char *tls_source = NULL;
  if (!tls_only)
    t->turn = find_server (cfg->turn_server, "nat.turn-server", _("TURN server"), STUN_PORT,
                           found ? (tcp ? found->turn_tcp_host : found->turn_udp_host) : NULL,
                           found ? (tcp ? found->turn_tcp_port : found->turn_udp_port) : 0,
                           source, NULL, cancellable, error);
  if (error && *error)
    return FALSE;
  t->tls = find_server (tls_only ? cfg->turn_server : NULL, "nat.turn-server",
                        _("TURN server"), TURNS_PORT,
                        found ? found->turn_tls_host : NULL, found ? found->turn_tls_port : 0,
                        &tls_source, &t->tls_host, cancellable, error);
  if (*source == NULL)
    *source = tls_source;
  return !(error && *error);
}

static void
start_turn_checks (TrvNatProbe *self, TrvNatReport *r, TurnChecks *t, GCancellable *cancellable)
{
  TrvNatConfig *cfg = self->config;
  gboolean have_credentials = cfg->turn_username && *cfg->turn_username && cfg->turn_password;
  GSocketAddress *servers[3] = { t->turn, t->turn, t->tls };
  if (t->turn)
    r->turn_server = gaddr_to_string (t->turn);
  if (t->tls)
    r->turn_tls_server = trv_net_join_host_port (
      t->tls_host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (t->tls)));
  if (!t->turn && !t->tls)
    g_ptr_array_add (r->warnings, g_strdup (_("TURN: no server configured or discovered; "
                                              "calls behind symmetric NATs or UDP-blocking "
                                              "firewalls will have no audio")));
  else if (!have_credentials)
    g_ptr_array_add (r->warnings, g_strdup (_("TURN: no user name and password are set, so "
                                              "the relay was not tested")));
  for (guint i = 0; i < 3 && have_credentials; i++)
    {
      TurnCheck *c = &t->checks[i];
      if (servers[i] == NULL)
        continue;
      c->server = servers[i];
      c->tcp = i >= 1;
      c->tls = i == 2;
      c->tls_host = t->tls_host;
      c->ca_file = cfg->ca_file;
      c->username = cfg->turn_username;
      c->password = cfg->turn_password;
      c->budget_ms = self->timeout_ms;
      c->cancellable = cancellable;
      const char *names[] = { "trv-turn-udp", "trv-turn-tcp", "trv-turn-tls" };
      t->threads[i] = g_thread_new (names[i], turn_check_thread, c);
    }
}

static void
join_turn_checks (TrvNatReport *r, TurnChecks *t)
{
  for (guint i = 0; i < 3; i++)
    if (t->threads[i])
      g_thread_join (t->threads[i]);
  r->turn_udp = t->checks[0].result;
  r->turn_tcp = t->checks[1].result;
  r->turn_tls = t->checks[2].result;
  g_clear_object (&t->turn);
  g_clear_object (&t->tls);
  g_clear_pointer (&t->tls_host, g_free);
}

static TrvNatReport *
probe_work (TrvNatProbe *self, TrvDiscoveredServers *found, GCancellable *cancellable,
            GError **out_error)
{
  TrvNatConfig *cfg = self->config;
  g_autoptr(TrvNatReport) r = trv_nat_report_new ();
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  const char *stun_source = NULL, *turn_source = NULL;
  TurnChecks t = { 0 };

  /* What SRV discovery found (run_async looked up whatever the config leaves empty). */
  if (found)
    for (guint i = 0; i < found->warnings->len; i++)
      g_ptr_array_add (r->warnings, g_strdup (found->warnings->pdata[i]));

  if (!find_turn_servers (cfg, found, &t, &turn_source, cancellable, out_error))
    {
      join_turn_checks (r, &t);
      return NULL;
    }
  g_autoptr(GSocketAddress) stun = find_server (cfg->stun_server, "nat.stun-server",
                                                _("STUN server"), STUN_PORT,
                                                found ? found->stun_host : NULL,
                                                found ? found->stun_port : 0,
                                                &stun_source, NULL, cancellable, &error);
  /* With no STUN server of its own the probe asks the TURN server, which answers
   * Binding requests too; a TURN-over-TLS server's host at the STUN port. */
  if (stun == NULL && !error && t.turn)
    stun = g_object_ref (t.turn);
  else if (stun == NULL && !error && t.tls)
    stun = g_inet_socket_address_new (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (t.tls)), STUN_PORT);
  if (stun_source == NULL && stun)
    stun_source = "turn-server";
  if (stun == NULL)
    {
      join_turn_checks (r, &t);
      if (error)
        {
          g_propagate_error (out_error, g_steal_pointer (&error));
          return NULL;
        }
      /* The SRV warnings say which records were looked up and what DNS answered. */
      g_ptr_array_add (r->warnings, NULL);
      g_autofree gchar *lookups = g_strjoinv ("; ", (gchar **) r->warnings->pdata);
      /* The key leads the message (the CLI's usage error); the UI shows the reason. */
      if (found)
        trv_invalid_config (out_error, "nat.stun-server",
                            _("nat.stun-server: no STUN or TURN server is set, and none was "
                              "found in DNS: %s"), lookups);
      else
        trv_invalid_config (out_error, "nat.stun-server",
                            _("nat.stun-server: no STUN or TURN server is set, and there is no "
                              "account domain to look one up in DNS"));
      return NULL;
    }
  r->stun_server = gaddr_to_string (stun);
  r->stun_source = g_strdup (stun_source);
  g_debug ("NAT probe: STUN server %s (%s)", r->stun_server, stun_source ? stun_source : "config");

  start_turn_checks (self, r, &t, cancellable);
  mapping_test (self, stun, r, cancellable, &error);
  if (!error)
    {
      /* The same server by name, so that its IPv6 address (AAAA) can be tried. */
      const char *v6 = cfg->stun_server ? cfg->stun_server : cfg->turn_server;
      g_autofree gchar *found_v6 = NULL;
      if (v6 == NULL && found && found->stun_host)
        v6 = found_v6 = trv_net_join_host_port (found->stun_host, found->stun_port);
      _trv_nat_probe_check_ipv6 (v6, STUN_PORT, r, cancellable);
    }
  join_turn_checks (r, &t);

  if (error)
    {
      g_propagate_error (out_error, g_steal_pointer (&error));
      return NULL;
    }
  trv_nat_report_conclude (r);
  r->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_debug ("NAT probe: done in %.0f ms, behind NAT: %s, mapping %d", r->duration_ms,
           r->behind_nat ? "yes" : "no", r->mapping);
  return g_steal_pointer (&r);
}

/* The work runs in a thread of its own that is joined on the caller's main context before
 * the task completes: once the caller has the result no probe thread is left running, so a
 * process may exit right away (a pooled GTask thread still unwinding then aborted GLib). */
typedef struct {
  GTask *task;
  GThread *thread;
  TrvNatReport *report;
  GError *error;
} Job;

static gboolean
job_done (gpointer data)
{
  Job *job = data;
  g_thread_join (job->thread);
  if (job->report)
    g_task_return_pointer (job->task, job->report, (GDestroyNotify) trv_nat_report_free);
  else
    g_task_return_error (job->task, job->error);
  g_object_unref (job->task);
  g_free (job);
  return G_SOURCE_REMOVE;
}

static gpointer
job_thread (gpointer data)
{
  Job *job = data;
  job->report = probe_work (g_task_get_source_object (job->task),
                            g_task_get_task_data (job->task),
                            g_task_get_cancellable (job->task), &job->error);
  trv_main_context_defer (g_task_get_context (job->task), job_done, job, NULL);
  return NULL;
}

static void
start_job (GTask *task)
{
  Job *job = g_new0 (Job, 1);
  job->task = task;
  job->thread = g_thread_new ("trv-nat-probe", job_thread, job);
}


/* --- object ---------------------------------------------------------------------------- */

static void
trv_nat_probe_finalize (GObject *object)
{
  TrvNatProbe *self = TRV_NAT_PROBE (object);
  trv_nat_config_free (self->config);
  g_free (self->domain);
  G_OBJECT_CLASS (trv_nat_probe_parent_class)->finalize (object);
}

static void
trv_nat_probe_class_init (TrvNatProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trv_nat_probe_finalize;
}

static void
trv_nat_probe_init (TrvNatProbe *self)
{
  self->timeout_ms = 3750;  /* 250 + 500 + 1000 + 1000 + 1000 ms between retransmissions */
}

TrvNatProbe *
trv_nat_probe_new (const TrvNatConfig *config, const char *domain)
{
  TrvNatProbe *self = g_object_new (TRV_TYPE_NAT_PROBE, NULL);
  self->config = config ? trv_nat_config_copy (config) : trv_nat_config_new ();
  trv_log_add_secret (self->config->turn_password);
  self->domain = g_strdup (domain);
  return self;
}

void
trv_nat_probe_set_timeout (TrvNatProbe *self, guint timeout_ms)
{
  g_return_if_fail (TRV_IS_NAT_PROBE (self));
  self->timeout_ms = MAX (timeout_ms, 100);
}

static void
on_discovered (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  TrvDiscoveredServers *found = trv_server_discovery_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (found == NULL)
    {
      /* Nothing to look up (the domain is an IP literal). With no server set at all that
       * is why the probe cannot run; with a TURN server the probe asks it for the public
       * address too, and a note that servers could not be looked up would read as if
       * none worked. */
      TrvNatProbe *self = g_task_get_source_object (task);
      gboolean any_server = (self->config->stun_server && *self->config->stun_server) ||
                            (self->config->turn_server && *self->config->turn_server);
      if (!any_server)
        {
          GError *config_error = NULL;
          trv_invalid_config (&config_error, "nat.stun-server", "nat.stun-server: %s",
                              error->message);
          g_task_return_error (task, config_error);
          return;
        }
      g_debug ("NAT probe: no SRV discovery: %s", error->message);
      found = g_new0 (TrvDiscoveredServers, 1);
      found->warnings = g_ptr_array_new_with_free_func (g_free);
    }
  g_task_set_task_data (task, found, (GDestroyNotify) trv_discovered_servers_free);
  start_job (g_steal_pointer (&task));
}

void
trv_nat_probe_run_async (TrvNatProbe *self, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TRV_IS_NAT_PROBE (self));
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_nat_probe_run_async);

  TrvNatConfig *cfg = self->config;
  TrvServerNeeds needs = 0;
  if (cfg->stun_server == NULL || *cfg->stun_server == '\0')
    needs |= TRV_SERVER_NEED_STUN;
  /* A discovered TURN-over-TLS server is checked too, whatever the configured transport
   * (the way out of networks that pass only TLS); only with tls is its absence news. */
  gboolean no_turn = cfg->turn_server == NULL || *cfg->turn_server == '\0';
  if (no_turn && cfg->turn_transport == TRV_TURN_TRANSPORT_TLS)
    needs |= TRV_SERVER_NEED_TURN_TLS;
  else if (no_turn)
    needs |= TRV_SERVER_TRY_TURN_TLS | (cfg->turn_transport == TRV_TURN_TRANSPORT_TCP
                                          ? TRV_SERVER_NEED_TURN_TCP : TRV_SERVER_NEED_TURN_UDP);
  if (needs != 0 && self->domain != NULL)
    trv_server_discovery_lookup_async (self->domain, needs, cancellable, on_discovered,
                                       g_steal_pointer (&task));
  else
    start_job (g_steal_pointer (&task));
}

TrvNatReport *
trv_nat_probe_run_finish (TrvNatProbe *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
