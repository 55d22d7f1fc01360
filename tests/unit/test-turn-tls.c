/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-turn-tls.c: TURN over TLS (turn-transport = tls) against a coturn on loopback that
 * only speaks TLS, with a certificate from a CA the test makes: a call relayed both ways,
 * refused certificates (unknown CA, wrong name) reported as such during gathering, the
 * NAT probe's turn_tls check, and TURN over TLS and TCP through an HTTP CONNECT proxy the
 * test runs (credentials, a refusal). Skips when coturn or openssl is not installed. */
#include <gst/gst.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include "trv-error.h"
#include "trv-ice-transport.h"
#include "trv-nat-probe.h"
#include "trv-nat-enums.h"
#include "trv-net.h"
#include "trv-host-port.h"
#include "trv-stats.h"
#include "trv-test-util.h"
#include "trv-enum.h"
#include "trv-fake-resolver.h"
#include "trv-sip-enums.h"

#define WAIT_LIMIT_MS 10000

typedef struct {
  gchar *dir;
  gchar *ca;          /* the test CA (PEM) that signed the server's certificate */
  GSubprocess *server;
  guint16 port;       /* TLS */
  guint min_port;
} Turn;

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
openssl (Turn *t, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_autoptr(GError) error = NULL;
  gint status = -1;
  g_assert_true (g_spawn_sync (t->dir, (gchar **) argv->pdata, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                               &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* A CA and a server certificate for "localhost" (DNS name only: 127.0.0.1 does not match). */
static void
make_certs (Turn *t)
{
  openssl (t, (const char *[]) { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                 "-keyout", "ca.key", "-out", "ca.pem", "-subj",
                                 "/CN=Traverse test CA", "-addext",
                                 "basicConstraints=critical,CA:TRUE", "-addext",
                                 "keyUsage=critical,keyCertSign,cRLSign", NULL });
  openssl (t, (const char *[]) { "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
                                 "-out", "server.csr", "-subj", "/CN=localhost", NULL });
  g_autofree gchar *ext = g_build_filename (t->dir, "server.ext", NULL);
  g_assert_true (g_file_set_contents (ext, "subjectAltName=DNS:localhost\n"
                                           "basicConstraints=CA:FALSE\n"
                                           "extendedKeyUsage=serverAuth\n", -1, NULL));
  openssl (t, (const char *[]) { "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey",
                                 "ca.key", "-CAcreateserial", "-days", "2", "-out", "server.pem",
                                 "-extfile", "server.ext", NULL });
  t->ca = g_build_filename (t->dir, "ca.pem", NULL);
}

static gboolean
turn_listening (gpointer data)
{
  Turn *t = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn =
    g_socket_client_connect_to_host (client, "127.0.0.1", t->port, NULL, NULL);
  if (conn == NULL)
    g_usleep (20000);
  return conn != NULL;
}

/* FALSE (test skipped) when coturn or openssl is missing. Only TLS is served: no plain
 * UDP/TCP listener, so a relay that works went over TLS. */
static gboolean
turn_start (Turn *t)
{
  g_autofree gchar *prog = g_find_program_in_path ("turnserver");
  g_autofree gchar *ssl = g_find_program_in_path ("openssl");
  if (prog == NULL || ssl == NULL)
    {
      g_test_skip ("coturn (turnserver) or openssl is not installed");
      return FALSE;
    }
  g_autoptr(GError) error = NULL;
  t->dir = g_dir_make_tmp ("trv-turn-tls-XXXXXX", &error);
  g_assert_no_error (error);
  make_certs (t);
  t->port = trv_net_free_port ("127.0.0.1", G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  guint16 plain = trv_net_free_port ("127.0.0.1", G_SOCKET_PROTOCOL_TCP, &error);
  t->min_port = 20000 + g_random_int_range (0, 200) * 100;
  g_autofree gchar *port = g_strdup_printf ("%u", t->port);
  g_autofree gchar *plain_port = g_strdup_printf ("%u", plain);
  g_autofree gchar *min = g_strdup_printf ("%u", t->min_port);
  g_autofree gchar *max = g_strdup_printf ("%u", t->min_port + 99);
  g_autofree gchar *cert = g_build_filename (t->dir, "server.pem", NULL);
  g_autofree gchar *key = g_build_filename (t->dir, "server.key", NULL);
  g_autofree gchar *pidfile = g_build_filename (t->dir, "turnserver.pid", NULL);
  g_autofree gchar *log = g_build_filename (t->dir, "turnserver.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  t->server = g_subprocess_launcher_spawn (launcher, &error, prog, "-n",
                                           "--listening-ip", "127.0.0.1",
                                           "--relay-ip", "127.0.0.1",
                                           "--listening-port", plain_port,
                                           "--tls-listening-port", port,
                                           "--cert", cert, "--pkey", key,
                                           "--no-udp", "--no-tcp", "--no-dtls",
                                           "--lt-cred-mech", "--user", "alice:secret",
                                           "--realm", "traverse.test", "--allow-loopback-peers",
                                           "--no-cli", "--min-port", min, "--max-port", max,
                                           "--pidfile", pidfile, "--log-file", log,
                                           "--simple-log", "--verbose", NULL);
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (turn_listening, t, 5000));
  return TRUE;
}

static void
turn_stop (Turn *t)
{
  if (t->server)
    {
      g_subprocess_force_exit (t->server);
      g_subprocess_wait (t->server, NULL, NULL);
      g_clear_object (&t->server);
    }
  if (t->dir)
    {
      g_autoptr(GDir) d = g_dir_open (t->dir, 0, NULL);
      const char *name;
      while (d && (name = g_dir_read_name (d)))
        {
          g_autofree gchar *path = g_build_filename (t->dir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (t->dir);
    }
  g_clear_pointer (&t->dir, g_free);
  g_clear_pointer (&t->ca, g_free);
}

/* turn-transport = tls, the server as `host` ("localhost" matches the certificate). */
static TrvNatConfig *
tls_config (Turn *t, const char *host, const char *ca_file)
{
  TrvNatConfig *nat = trv_nat_config_new ();
  nat->mode = TRV_NAT_MODE_TURN;
  nat->turn_server = g_strdup_printf ("turns:%s:%u", host, t->port);
  nat->turn_username = g_strdup ("alice");
  nat->turn_password = g_strdup ("secret");
  nat->ca_file = g_strdup (ca_file);
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_nat_config_validate (nat, &error));
  g_assert_cmpint (nat->turn_transport, ==, TRV_TURN_TRANSPORT_TLS);
  return nat;
}

/* --- a call relayed over TLS ------------------------------------------------------- */

typedef struct {
  TrvCall *call;
} Incoming;

static void
on_incoming (TrvUserAgent *agent, TrvCall *call, Incoming *in)
{
  g_set_object (&in->call, call);
  g_assert_true (trv_call_answer (call, NULL));
}

static gboolean
callee_has_media (gpointer data)
{
  Incoming *in = data;
  return in->call && trv_call_get_first_rtp_ms (in->call) >= 0;
}

static void
assert_relayed_over_tls (TrvCall *call, Turn *t)
{
  g_autoptr(JsonNode) root = trv_stats_snapshot (call);
  JsonObject *ice = json_object_get_object_member (json_node_get_object (root), "ice");
  JsonObject *local = json_object_get_object_member (ice, "local");
  g_assert_cmpstr (json_object_get_string_member (ice, "mode"), ==, "turn");
  g_assert_cmpstr (json_object_get_string_member (local, "type"), ==, "relay");
  g_assert_cmpstr (json_object_get_string_member (local, "transport"), ==, "tls");
  /* The relayed address is the server's, from its relay port range. */
  g_autofree gchar *host = NULL;
  guint16 port = 0;
  g_assert_true (trv_parse_host_port (json_object_get_string_member (local, "address"), 0,
                                      "address", &host, &port, NULL));
  g_assert_cmpuint (port, >=, t->min_port);
  g_assert_cmpuint (port, <=, t->min_port + 99);
}

static void
test_call (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  /* The CA comes from account.ca-file, as for SIP over TLS. */
  g_autoptr(TrvNatConfig) nat = tls_config (&turn, "localhost", NULL);
  g_autoptr(TrvAccountConfig) acc_a = trv_test_account_new ("alice");
  g_autoptr(TrvAccountConfig) acc_b = trv_test_account_new ("bob");
  acc_a->ca_file = g_strdup (turn.ca);
  acc_b->ca_file = g_strdup (turn.ca);
  g_autoptr(TrvUserAgent) alice = trv_test_agent_start_full (acc_a, nat, NULL);
  g_autoptr(TrvUserAgent) bob = trv_test_agent_start_full (acc_b, nat, NULL);
  Incoming in = { 0 };
  g_signal_connect (bob, "incoming-call", G_CALLBACK (on_incoming), &in);

  g_autoptr(GError) error = NULL;
  TrvCall *dialed = trv_user_agent_dial (alice, trv_user_agent_get_contact_uri (bob), &error);
  g_assert_no_error (error);
  g_autoptr(TrvCall) call = g_object_ref (dialed);
  if (!trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS))
    {
      const GError *e = trv_call_get_error (call);
      g_error ("call not active: %s", e ? e->message : "no error");
    }
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (callee_has_media, &in, WAIT_LIMIT_MS));
  TrvMediaStats s1, s2;
  trv_media_session_get_stats (trv_call_get_media (in.call), &s1);
  trv_test_run_for (300);
  trv_media_session_get_stats (trv_call_get_media (in.call), &s2);
  g_assert_cmpuint (s2.rtp_received, >, s1.rtp_received + 5);
  assert_relayed_over_tls (call, &turn);
  assert_relayed_over_tls (in.call, &turn);

  trv_call_hangup (call);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, in.call, WAIT_LIMIT_MS));
  g_signal_handlers_disconnect_by_data (bob, &in);
  trv_test_agent_shutdown (alice, WAIT_LIMIT_MS);
  trv_test_agent_shutdown (bob, WAIT_LIMIT_MS);
  g_clear_object (&in.call);
  turn_stop (&turn);
}

/* --- refused certificates ---------------------------------------------------------- */

typedef struct {
  gboolean done;
  GError *error;
} Prepared;

static void
on_prepared (GObject *source, GAsyncResult *result, gpointer data)
{
  Prepared *p = data;
  trv_media_transport_prepare_finish (TRV_MEDIA_TRANSPORT (source), result, &p->error);
  p->done = TRUE;
}

static gboolean
prepared_done (gpointer data)
{
  return ((Prepared *) data)->done;
}

/* Gathering in turn mode fails with TRV_ERROR_TLS naming `reason`, before the gathering
 * bound (a refused certificate is not a timeout). */
static void
assert_refused (TrvNatConfig *nat, const char *reason)
{
  g_autoptr(TrvMediaTransport) t = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1",
                                                          NULL);
  Prepared p = { 0 };
  gint64 start = g_get_monotonic_time ();
  trv_media_transport_prepare_async (t, NULL, on_prepared, &p);
  g_assert_true (trv_test_wait_for (prepared_done, &p, WAIT_LIMIT_MS));
  g_test_message ("error: %s", p.error ? p.error->message : "none");
  g_assert_error (p.error, TRV_ERROR, TRV_ERROR_TLS);
  g_assert_nonnull (strstr (p.error->message, reason));
  g_assert_null (strstr (p.error->message, "did not answer"));
  if (!strstr (reason, "authority"))   /* the CA is trusted: only the named problem */
    g_assert_null (strstr (p.error->message, "authority"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);
  g_clear_error (&p.error);
  trv_media_transport_close (t);
}

static void
test_unknown_ca (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  g_autoptr(TrvNatConfig) nat = tls_config (&turn, "localhost", NULL);
  assert_refused (nat, "not signed by a trusted certificate authority");
  turn_stop (&turn);
}

static void
test_wrong_name (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  g_autoptr(TrvNatConfig) nat = tls_config (&turn, "127.0.0.1", turn.ca);
  assert_refused (nat, "does not name this server");
  turn_stop (&turn);
}

/* ice mode: the relay is left out with the certificate's reason as a warning; the call's
 * direct paths remain. */
static void
test_refused_warning_in_ice (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  g_autoptr(TrvNatConfig) nat = tls_config (&turn, "localhost", NULL);
  nat->mode = TRV_NAT_MODE_ICE;
  g_autoptr(TrvMediaTransport) t = trv_ice_transport_new (TRV_NAT_MODE_ICE, nat, "127.0.0.1",
                                                          NULL);
  Prepared p = { 0 };
  trv_media_transport_prepare_async (t, NULL, on_prepared, &p);
  g_assert_true (trv_test_wait_for (prepared_done, &p, WAIT_LIMIT_MS));
  g_assert_no_error (p.error);
  GPtrArray *warnings = trv_ice_transport_get_warnings (TRV_ICE_TRANSPORT (t));
  gboolean named = FALSE;
  for (guint i = 0; i < warnings->len; i++)
    {
      g_test_message ("warning: %s", (const char *) warnings->pdata[i]);
      named |= strstr (warnings->pdata[i], "not signed by a trusted certificate authority") != NULL;
    }
  g_assert_true (named);
  trv_media_transport_close (t);
  turn_stop (&turn);
}

static gboolean
has_relay_path (gpointer data)
{
  return trv_media_transport_get_local_type (data) == TRV_PATH_RELAY;
}

/* The TLS connection outlives a quiet spell longer than the connect timeout: the relay's
 * sockets must not time out between packets. */
static void
test_idle_connection (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  g_autoptr(TrvNatConfig) nat = tls_config (&turn, "localhost", turn.ca);
  g_autoptr(TrvMediaTransport) a = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1",
                                                          NULL);
  g_autoptr(TrvMediaTransport) b = trv_ice_transport_new (TRV_NAT_MODE_NONE, NULL, "127.0.0.1",
                                                          NULL);
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (a), TRUE);
  trv_test_prepare (a, WAIT_LIMIT_MS);
  trv_test_prepare (b, WAIT_LIMIT_MS);
  trv_test_run_for (4500);
  g_assert_cmpuint (trv_media_transport_get_warnings (a)->len, ==, 0);
  TrvMediaEndpoint da = { 0 }, db = { 0 };
  trv_media_transport_describe (a, &da);
  trv_media_transport_describe (b, &db);
  g_autoptr(GError) error = NULL;
  trv_media_transport_set_remote (a, &db, TRUE, &error);
  g_assert_no_error (error);
  trv_media_transport_set_remote (b, &da, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (has_relay_path, a, WAIT_LIMIT_MS));
  g_assert_cmpstr (trv_media_transport_get_protocol (a), ==, "tls");
  trv_media_transport_close (a);
  trv_media_transport_close (b);
  for (guint i = 0; i < 2; i++)
    {
      TrvMediaEndpoint *ep = i ? &db : &da;
      g_free (ep->address);
      g_free (ep->ice_ufrag);
      g_free (ep->ice_pwd);
      g_ptr_array_unref (ep->ice_candidates);
    }
  turn_stop (&turn);
}

/* No server configured: _turns._tcp.<domain> names it (a test resolver answers; no DNS
 * packet leaves), and the SRV target's name is what the certificate is checked against. */
static void
test_discovered (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  GResolver *previous;
  TrvFakeResolver *fake = trv_fake_resolver_install (&previous);
  g_hash_table_insert (fake->srv, g_strdup ("_turns._tcp.example.test"),
                       g_strdup_printf ("localhost:%u", turn.port));
  g_hash_table_insert (fake->names, g_strdup ("localhost"), g_strdup ("127.0.0.1"));
  g_autoptr(TrvNatConfig) nat = tls_config (&turn, "localhost", turn.ca);
  g_clear_pointer (&nat->turn_server, g_free);
  g_autoptr(TrvMediaTransport) t = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1",
                                                          "example.test");
  Prepared p = { 0 };
  trv_media_transport_prepare_async (t, NULL, on_prepared, &p);
  g_assert_true (trv_test_wait_for (prepared_done, &p, WAIT_LIMIT_MS));
  g_assert_no_error (p.error);
  TrvMediaEndpoint ep = { 0 };
  trv_media_transport_describe (t, &ep);
  g_assert_cmpuint (ep.ice_candidates->len, ==, 2);
  g_assert_nonnull (strstr (ep.ice_candidates->pdata[0], "typ relay"));
  g_assert_cmpuint (ep.port, >=, turn.min_port);
  g_assert_cmpuint (ep.port, <=, turn.min_port + 99);
  trv_media_transport_close (t);
  g_free (ep.address);
  g_free (ep.ice_ufrag);
  g_free (ep.ice_pwd);
  g_ptr_array_unref (ep.ice_candidates);
  trv_fake_resolver_uninstall (fake, previous);
  turn_stop (&turn);
}

/* --- the probe ---------------------------------------------------------------------- */

static TrvNatReport *
run_probe (TrvNatConfig *nat)
{
  g_autoptr(GError) error = NULL;
  TrvNatReport *report = trv_test_run_probe (nat, NULL, 1000, WAIT_LIMIT_MS, &error);
  g_assert_no_error (error);
  return report;
}

static void
test_probe (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  g_autoptr(TrvNatConfig) nat = tls_config (&turn, "localhost", turn.ca);
  g_autoptr(TrvNatReport) ok = run_probe (nat);
  g_autofree gchar *server = g_strdup_printf ("localhost:%u", turn.port);
  g_assert_cmpstr (ok->turn_tls_server, ==, server);
  g_assert_cmpint (ok->turn_tls.result, ==, TRV_TURN_CHECK_OK);
  g_assert_nonnull (ok->turn_tls.relay_address);
  /* No plain UDP/TCP server: the STUN check fails, the relay over TLS is the way. */
  g_assert_true (ok->udp_blocked);
  g_assert_cmpint (ok->recommended_mode, ==, TRV_NAT_MODE_TURN);
  g_assert_cmpint (ok->recommended_turn_transport, ==, TRV_TURN_TRANSPORT_TLS);
  g_autofree gchar *json = trv_nat_report_to_json_string (ok);
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonObject *tls = json_object_get_object_member (json_node_get_object (root), "turn_tls");
  g_assert_cmpstr (json_object_get_string_member (tls, "result"), ==, "ok");
  g_assert_true (json_object_get_null_member (tls, "error"));

  g_autoptr(TrvNatConfig) untrusted = tls_config (&turn, "localhost", NULL);
  g_autoptr(TrvNatReport) bad = run_probe (untrusted);
  g_assert_cmpint (bad->turn_tls.result, ==, TRV_TURN_CHECK_TLS_FAILED);
  g_assert_nonnull (strstr (bad->turn_tls.error, "not signed by a trusted certificate authority"));
  g_autofree gchar *bad_json = trv_nat_report_to_json_string (bad);
  g_autoptr(JsonNode) bad_root = json_from_string (bad_json, NULL);
  tls = json_object_get_object_member (json_node_get_object (bad_root), "turn_tls");
  g_assert_cmpstr (json_object_get_string_member (tls, "result"), ==, "tls-failed");
  g_assert_cmpstr (json_object_get_string_member (tls, "error"), ==, bad->turn_tls.error);
  gboolean warned = FALSE;
  for (guint i = 0; i < bad->warnings->len; i++)
    warned |= strstr (bad->warnings->pdata[i], bad->turn_tls.error) != NULL;
  g_assert_true (warned);
  g_assert_false (bad->usable);
  turn_stop (&turn);
}

/* --- through an HTTP proxy ------------------------------------------------------------ */

/* A CONNECT proxy on loopback (GThreadedSocketService: each connection's blocking I/O in a
 * thread of its own): records each request's head, answers 407 when `refuse`, else
 * connects and carries the bytes both ways. */
typedef struct {
  GSocketService *service;
  guint16 port;
  GMutex lock;
  GString *heads;
  gboolean refuse;
} Proxy;

typedef struct {
  GInputStream *in;
  GOutputStream *out;
} Pump;

static gpointer
pump_thread (gpointer data)
{
  Pump *p = data;
  g_output_stream_splice (p->out, p->in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL);
  return NULL;
}

static gboolean
on_proxy_run (GThreadedSocketService *service, GSocketConnection *conn, GObject *source,
              gpointer data)
{
  Proxy *px = data;
  g_autoptr(GDataInputStream) in =
    g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree gchar *target = NULL;
  for (guint i = 0; i < 50; i++)
    {
      g_autofree gchar *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      if (line == NULL || *g_strchomp (line) == '\0')
        break;
      g_string_append_printf (head, "%s\n", line);
      if (i == 0 && g_str_has_prefix (line, "CONNECT "))
        target = g_strndup (line + 8, strcspn (line + 8, " "));
    }
  g_mutex_lock (&px->lock);
  g_string_append (px->heads, head->str);
  g_mutex_unlock (&px->lock);
  if (px->refuse || target == NULL)
    {
      const char *no = "HTTP/1.1 407 Proxy Authentication Required\r\n"
                       "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n";
      g_output_stream_write_all (out, no, strlen (no), NULL, NULL, NULL);
      return TRUE;
    }
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (client, FALSE);
  g_autoptr(GSocketConnection) up = g_socket_client_connect_to_host (client, target, 0, NULL,
                                                                     NULL);
  if (up == NULL)
    return TRUE;
  const char *ok = "HTTP/1.1 200 Connection established\r\n\r\n";
  g_output_stream_write_all (out, ok, strlen (ok), NULL, NULL, NULL);
  Pump down = { g_io_stream_get_input_stream (G_IO_STREAM (up)), out };
  GThread *t = g_thread_new ("test-proxy-pump", pump_thread, &down);
  g_output_stream_splice (g_io_stream_get_output_stream (G_IO_STREAM (up)), G_INPUT_STREAM (in),
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (up), NULL, NULL);
  g_thread_join (t);
  return TRUE;
}

static void
proxy_start (Proxy *px)
{
  g_mutex_init (&px->lock);
  px->heads = g_string_new (NULL);
  px->service = g_threaded_socket_service_new (4);
  g_autoptr(GError) error = NULL;
  px->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (px->service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (px->service, "run", G_CALLBACK (on_proxy_run), px);
  g_socket_service_start (px->service);
}

static gchar *
proxy_heads (Proxy *px)
{
  g_mutex_lock (&px->lock);
  gchar *copy = g_strdup (px->heads->str);
  g_mutex_unlock (&px->lock);
  return copy;
}

static void
proxy_stop (Proxy *px)
{
  g_socket_service_stop (px->service);
  g_socket_listener_close (G_SOCKET_LISTENER (px->service));
  g_clear_object (&px->service);
  g_string_free (px->heads, TRUE);
  g_mutex_clear (&px->lock);
}

/* TURN over TLS through nat.http-proxy: the relay's upstream connection is a CONNECT with
 * the credentials; a proxy that refuses fails the gathering at once, naming the proxy; the
 * probe checks TURN over TLS through it too. */
static void
test_through_proxy (void)
{
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  Proxy px = { 0 };
  proxy_start (&px);
  g_autoptr(TrvNatConfig) nat = tls_config (&turn, "localhost", turn.ca);
  nat->http_proxy = g_strdup_printf ("http://u:p@127.0.0.1:%u", px.port);
  g_autoptr(TrvMediaTransport) t = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat, "127.0.0.1",
                                                          NULL);
  Prepared p = { 0 };
  trv_media_transport_prepare_async (t, NULL, on_prepared, &p);
  g_assert_true (trv_test_wait_for (prepared_done, &p, WAIT_LIMIT_MS));
  g_assert_no_error (p.error);   /* mode turn: gathered a relayed candidate */
  g_autofree gchar *heads = proxy_heads (&px);
  g_autofree gchar *connect = g_strdup_printf ("CONNECT 127.0.0.1:%u HTTP/1.", turn.port);
  g_test_message ("proxy saw:\n%s", heads);
  g_assert_nonnull (strstr (heads, connect));
  g_assert_nonnull (strstr (heads, "Proxy-Authorization: Basic dTpw"));   /* u:p */
  g_autofree gchar *used = trv_proxy_describe (trv_ice_transport_get_proxy (TRV_ICE_TRANSPORT (t)));
  g_assert_cmpstr (used, ==, strchr (nat->http_proxy, '@') + 1);

  g_autoptr(TrvNatReport) report = run_probe (nat);
  g_assert_cmpint (report->proxy_turn_tls.result, ==, TRV_TURN_CHECK_OK);
  g_assert_cmpstr (report->proxy_source, ==, "config");

  px.refuse = TRUE;
  g_autoptr(TrvMediaTransport) refused = trv_ice_transport_new (TRV_NAT_MODE_TURN, nat,
                                                                "127.0.0.1", NULL);
  Prepared q = { 0 };
  gint64 start = g_get_monotonic_time ();
  trv_media_transport_prepare_async (refused, NULL, on_prepared, &q);
  g_assert_true (trv_test_wait_for (prepared_done, &q, WAIT_LIMIT_MS));
  g_test_message ("refused: %s", q.error ? q.error->message : "no error");
  g_assert_error (q.error, TRV_ERROR, TRV_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (q.error->message, "through the HTTP proxy 127.0.0.1:"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);

  /* TURN over TCP: libnice sends the CONNECT itself, with the credentials; nothing listens
   * behind the proxy, and the error says the proxy was in the way. */
  px.refuse = FALSE;
  g_autoptr(TrvNatConfig) tcp = trv_nat_config_copy (nat);
  guint16 nobody = trv_net_free_port ("127.0.0.1", G_SOCKET_PROTOCOL_TCP, NULL);
  g_free (tcp->turn_server);
  tcp->turn_server = g_strdup_printf ("127.0.0.1:%u", nobody);
  tcp->turn_transport = TRV_TURN_TRANSPORT_TCP;
  g_autoptr(TrvMediaTransport) via_tcp = trv_ice_transport_new (TRV_NAT_MODE_TURN, tcp,
                                                                "127.0.0.1", NULL);
  Prepared r = { 0 };
  trv_media_transport_prepare_async (via_tcp, NULL, on_prepared, &r);
  g_assert_true (trv_test_wait_for (prepared_done, &r, WAIT_LIMIT_MS));
  g_test_message ("over TCP: %s", r.error ? r.error->message : "no error");
  g_assert_error (r.error, TRV_ERROR, TRV_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (r.error->message, "through the HTTP proxy 127.0.0.1:"));
  g_free (heads);
  heads = proxy_heads (&px);
  g_autofree gchar *tcp_connect = g_strdup_printf ("CONNECT 127.0.0.1:%u HTTP/1.", nobody);
  const char *tcp_head = strstr (heads, tcp_connect);
  g_assert_nonnull (tcp_head);
  g_assert_nonnull (strstr (tcp_head, "Proxy-Authorization: Basic dTpw"));

  g_clear_error (&p.error);
  g_clear_error (&q.error);
  g_clear_error (&r.error);
  trv_media_transport_close (t);
  trv_media_transport_close (refused);
  trv_media_transport_close (via_tcp);
  proxy_stop (&px);
  turn_stop (&turn);
}

/* traverse-cli probe with a key file: account.ca-file is what TURN over TLS trusts too. */
static void
test_cli_probe (void)
{
  const char *cli = g_getenv ("TRAVERSE_CLI");
  if (cli == NULL)
    {
      g_test_skip ("TRAVERSE_CLI is not set (run through meson test)");
      return;
    }
  Turn turn = { 0 };
  if (!turn_start (&turn))
    return;
  g_autofree gchar *conf = g_build_filename (turn.dir, "probe.conf", NULL);
  g_autofree gchar *text = g_strdup_printf ("[account]\naddress = sip:alice@127.0.0.1\n"
                                            "register = false\nca-file = %s\n\n"
                                            "[nat]\nturn-server = turns:localhost:%u\n"
                                            "turn-username = alice\nturn-password = secret\n",
                                            turn.ca, turn.port);
  g_assert_true (g_file_set_contents (conf, text, -1, NULL));
  for (guint json = 0; json < 2; json++)
    {
      const char *argv[] = { cli, "--config", conf, "--timeout", "1", "probe",
                             json ? "--json" : NULL, NULL };
      g_autofree gchar *out = NULL;
      gint status = -1;
      g_autoptr(GError) error = NULL;
      g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                   NULL, &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_test_message ("%s", out);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      if (json)
        {
          g_autoptr(JsonNode) root = json_from_string (out, &error);
          g_assert_no_error (error);
          JsonObject *tls = json_object_get_object_member (json_node_get_object (root),
                                                           "turn_tls");
          g_assert_cmpstr (json_object_get_string_member (tls, "result"), ==, "ok");
        }
      else
        {
          g_autofree gchar *line = g_strdup_printf ("TURN over TLS:  localhost:%u", turn.port);
          g_assert_nonnull (strstr (out, line));
          g_assert_nonnull (strstr (out, "  over TLS: ok, relay 127.0.0.1:"));
          g_assert_nonnull (strstr (out, "(turn-transport=tls)"));
        }
    }
  turn_stop (&turn);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/turn-tls/call", test_call);
  g_test_add_func ("/turn-tls/unknown-ca", test_unknown_ca);
  g_test_add_func ("/turn-tls/wrong-name", test_wrong_name);
  g_test_add_func ("/turn-tls/refused-warning-in-ice", test_refused_warning_in_ice);
  g_test_add_func ("/turn-tls/idle-connection", test_idle_connection);
  g_test_add_func ("/turn-tls/discovered", test_discovered);
  g_test_add_func ("/turn-tls/probe", test_probe);
  g_test_add_func ("/turn-tls/cli-probe", test_cli_probe);
  g_test_add_func ("/turn-tls/through-proxy", test_through_proxy);
  return g_test_run ();
}
