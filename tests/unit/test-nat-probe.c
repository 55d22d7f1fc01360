/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nat-probe.c: TrvNatProbe against a coturn on loopback (no root, no namespaces; the
 * NAT kinds themselves are covered by tests/nat). Skips when coturn is not installed. */
#include <signal.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "trv-error.h"
#include "trv-nat-auto.h"
#include "trv-nat-probe.h"
#include "trv-net.h"
#include "trv-test-util.h"

typedef struct {
  GSubprocess *server;
  gchar *dir;
  guint16 port;
} Turn;

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
tcp_open (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (client, FALSE);
  g_autoptr(GSocketConnection) conn =
    g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return conn != NULL;
}

static gboolean
turn_start (Turn *t)
{
  g_autofree gchar *prog = g_find_program_in_path ("turnserver");
  if (prog == NULL)
    {
      g_test_skip ("coturn (turnserver) is not installed");
      return FALSE;
    }
  g_autoptr(GError) error = NULL;
  t->port = trv_net_free_port ("127.0.0.1", G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_autofree gchar *port = g_strdup_printf ("%u", t->port);
  guint min_port = 30000 + g_random_int_range (0, 200) * 100;
  g_autofree gchar *min = g_strdup_printf ("%u", min_port);
  g_autofree gchar *max = g_strdup_printf ("%u", min_port + 99);
  t->dir = g_dir_make_tmp ("trv-probe-turn-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *pidfile = g_build_filename (t->dir, "turnserver.pid", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Two listening addresses: coturn then offers RFC 5780 OTHER-ADDRESS. */
  t->server = g_subprocess_launcher_spawn (launcher, &error, prog, "-n",
                                           "--listening-ip", "127.0.0.1",
                                           "--listening-ip", "127.0.0.2",
                                           "--relay-ip", "127.0.0.1", "--listening-port", port,
                                           "--lt-cred-mech", "--user", "carol:s3cret",
                                           "--realm", "probe.test", "--no-cli", "--no-tls",
                                           "--no-dtls", "--min-port", min, "--max-port", max,
                                           "--pidfile", pidfile, "--log-file", "stdout", NULL);
  g_assert_no_error (error);
  for (guint i = 0; i < 250 && !tcp_open (t->port); i++)
    g_usleep (20000);
  g_assert_true (tcp_open (t->port));
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
      g_autofree gchar *pidfile = g_build_filename (t->dir, "turnserver.pid", NULL);
      g_unlink (pidfile);
      g_rmdir (t->dir);
      g_clear_pointer (&t->dir, g_free);
    }
}

static TrvNatReport *
run_probe (TrvNatConfig *nat, const char *domain, guint timeout_ms, GError **error)
{
  return trv_test_run_probe (nat, domain, timeout_ms, 60000, error);
}

static TrvNatConfig *
config_for (Turn *t, const char *password)
{
  TrvNatConfig *nat = trv_nat_config_new ();
  nat->stun_server = g_strdup_printf ("127.0.0.1:%u", t->port);
  nat->turn_server = g_strdup_printf ("127.0.0.1:%u", t->port);
  nat->turn_username = g_strdup ("carol");
  nat->turn_password = g_strdup (password);
  return nat;
}

/* No NAT on loopback: the mapped address is our own, TURN works both ways, mode none. */
static void
test_no_nat (void)
{
  Turn t = { 0 };
  if (!turn_start (&t))
    return;
  g_autoptr(TrvNatConfig) nat = config_for (&t, "s3cret");
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatReport) r = run_probe (nat, NULL, 0, &error);
  turn_stop (&t);
  g_assert_no_error (error);
  g_assert_true (r->stun_reachable);
  g_assert_cmpstr (r->stun_source, ==, "config");
  g_assert_nonnull (r->mapped_address);
  g_assert_cmpstr (r->mapped_address, ==, r->local_address);
  g_assert_true (g_str_has_prefix (r->mapped_address, "127.0.0.1:"));
  g_assert_false (r->behind_nat);
  g_assert_cmpint (r->mapping, ==, TRV_NAT_MAPPING_NO_NAT);
  g_assert_false (r->udp_blocked);
  g_assert_cmpint (r->turn_udp.result, ==, TRV_TURN_CHECK_OK);
  g_assert_cmpint (r->turn_tcp.result, ==, TRV_TURN_CHECK_OK);
  g_assert_true (g_str_has_prefix (r->turn_udp.relay_address, "127.0.0.1:"));
  g_assert_cmpint (r->recommended_mode, ==, TRV_NAT_MODE_NONE);
  g_assert_true (r->usable);
  g_assert_nonnull (strstr (r->verdict, "public address"));

  /* The JSON carries the same facts; the boxed copy is deep. */
  g_autoptr(TrvNatReport) copy = trv_nat_report_copy (r);
  g_autofree gchar *json = trv_nat_report_to_json_string (copy);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *stun = json_object_get_object_member (root, "stun");
  g_assert_cmpstr (json_object_get_string_member (stun, "mapped"), ==, r->mapped_address);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "nat"),
                                                  "mapping"), ==, "none");
  JsonObject *turn = json_object_get_object_member (root, "turn");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (turn, "tcp"),
                                                  "result"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root,
                                                                                 "recommended"), "mode"), ==, "none");
  /* 127.0.0.1 has no IPv6 address: nothing tried over IPv6; "works" says false only where
   * this machine has no global IPv6 address, else it is unknown. */
  JsonObject *v6 = json_object_get_object_member (root, "ipv6");
  g_assert_nonnull (v6);
  g_assert_true (json_object_get_null_member (v6, "stun_server"));
  g_assert_true (json_object_get_null_member (v6, "stun_reachable"));
  g_assert_false (r->ipv6_stun_tested);
  if (r->ipv6_global_address == NULL)
    g_assert_false (json_object_get_boolean_member (v6, "works"));
  else
    g_assert_true (json_object_get_null_member (v6, "works"));
}

/* The issue-12 contradiction: only a TURN server is set and the account's domain is an IP
 * address (nothing to look up in DNS). The probe asks the TURN server for the public
 * address too, so the report carries no note that servers are missing; and no key names. */
static void
test_turn_only_ip_domain (void)
{
  Turn t = { 0 };
  if (!turn_start (&t))
    return;
  g_autoptr(TrvNatConfig) nat = config_for (&t, "s3cret");
  g_clear_pointer (&nat->stun_server, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatReport) r = run_probe (nat, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->stun_source, ==, "turn-server");
  g_assert_cmpint (r->turn_udp.result, ==, TRV_TURN_CHECK_OK);
  g_assert_cmpuint (r->warnings->len, ==, 0);
  g_assert_null (strstr (r->verdict, "nat."));

  /* Without credentials the relay is not tested, and the note says so in words. */
  g_clear_pointer (&nat->turn_username, g_free);
  g_clear_pointer (&nat->turn_password, g_free);
  g_autoptr(TrvNatReport) untested = run_probe (nat, "127.0.0.1", 0, &error);
  turn_stop (&t);
  g_assert_no_error (error);
  g_assert_cmpuint (untested->warnings->len, ==, 1);
  g_assert_null (strstr (untested->warnings->pdata[0], "nat."));
  g_assert_nonnull (strstr (untested->warnings->pdata[0], "not tested"));
}

/* Wrong TURN password: auth-failed over UDP and TCP with a warning; STUN still fine. */
static void
test_wrong_password (void)
{
  Turn t = { 0 };
  if (!turn_start (&t))
    return;
  g_autoptr(TrvNatConfig) nat = config_for (&t, "not-it");
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatReport) r = run_probe (nat, NULL, 0, &error);
  turn_stop (&t);
  g_assert_no_error (error);
  g_assert_true (r->stun_reachable);
  g_assert_cmpint (r->turn_udp.result, ==, TRV_TURN_CHECK_AUTH_FAILED);
  g_assert_cmpint (r->turn_tcp.result, ==, TRV_TURN_CHECK_AUTH_FAILED);
  g_assert_nonnull (strstr (r->turn_udp.error, "carol"));
  g_assert_cmpuint (r->warnings->len, >=, 1);
  g_assert_true (r->usable);
}

/* A server that never answers: bounded time, usable FALSE, the verdict names it. */
static void
test_silent_server (void)
{
  g_autoptr(GError) error = NULL;
  /* A bound UDP socket nobody reads: requests vanish without an ICMP error. */
  g_autoptr(GSocket) sink = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_assert_true (g_socket_bind (sink, any, FALSE, &error));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (sink, &error);
  guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->stun_server = g_strdup_printf ("127.0.0.1:%u", port);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(TrvNatReport) r = run_probe (nat, NULL, 400, &error);
  gint64 took_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_no_error (error);
  g_assert_false (r->stun_reachable);
  g_assert_false (r->usable);
  g_assert_cmpint (r->turn_udp.result, ==, TRV_TURN_CHECK_NOT_TRIED);
  g_autofree gchar *server = g_strdup_printf ("127.0.0.1:%u", port);
  g_assert_nonnull (strstr (r->verdict, server));
  g_assert_cmpint (took_ms, <, 2000);
}

/* Nothing configured and no domain to discover servers from: a config error. */
static void
test_no_server (void)
{
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatReport) r = run_probe (nat, NULL, 0, &error);
  g_assert_null (r);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "nat.stun-server"));

  /* An account on an IP address: nothing to look up either; the reason says so in words. */
  g_clear_error (&error);
  g_autoptr(TrvNatReport) r2 = run_probe (nat, "192.0.2.1", 0, &error);
  g_assert_null (r2);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (trv_error_get_config_key (error), ==, "nat.stun-server");
  const char *reason = trv_error_get_config_reason (error);
  g_assert_null (strstr (reason, "nat."));
  g_assert_nonnull (strstr (reason, "no STUN or TURN server is set"));
  g_assert_nonnull (strstr (reason, "192.0.2.1 is an IP address"));
}

/* A malformed server value names the key. */
static void
test_bad_server (void)
{
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->stun_server = g_strdup ("127.0.0.1:notaport");
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatReport) r = run_probe (nat, NULL, 0, &error);
  g_assert_null (r);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "nat.stun-server"));
}

/* The conclusion alone, from facts as the probe records them. */
typedef struct {
  const char *name;
  gboolean stun, nat;
  TrvNatMapping mapping;
  TrvTurnCheck turn_udp, turn_tcp;
  TrvNatMode mode;
  TrvTurnTransport transport;
  gboolean usable, udp_blocked;
  const char *says;
} Fact;

static void
test_conclude (void)
{
  static const Fact facts[] = {
    { "public", TRUE, FALSE, TRV_NAT_MAPPING_NO_NAT, TRV_TURN_CHECK_OK, TRV_TURN_CHECK_OK,
      TRV_NAT_MODE_NONE, TRV_TURN_TRANSPORT_UDP, TRUE, FALSE, "public address" },
    { "cone", TRUE, TRUE, TRV_NAT_MAPPING_ENDPOINT_INDEPENDENT, TRV_TURN_CHECK_NOT_TRIED,
      TRV_TURN_CHECK_NOT_TRIED, TRV_NAT_MODE_STUN, TRV_TURN_TRANSPORT_UDP, TRUE, FALSE, "STUN" },
    { "symmetric", TRUE, TRUE, TRV_NAT_MAPPING_ENDPOINT_DEPENDENT, TRV_TURN_CHECK_OK,
      TRV_TURN_CHECK_OK, TRV_NAT_MODE_ICE, TRV_TURN_TRANSPORT_UDP, TRUE, FALSE, "symmetric" },
    { "symmetric-no-turn", TRUE, TRUE, TRV_NAT_MAPPING_ENDPOINT_DEPENDENT,
      TRV_TURN_CHECK_AUTH_FAILED, TRV_TURN_CHECK_AUTH_FAILED, TRV_NAT_MODE_ICE,
      TRV_TURN_TRANSPORT_UDP, TRUE, FALSE, "Configure a TURN server" },
    { "udp-blocked", FALSE, FALSE, TRV_NAT_MAPPING_UNKNOWN, TRV_TURN_CHECK_UNREACHABLE,
      TRV_TURN_CHECK_OK, TRV_NAT_MODE_TURN, TRV_TURN_TRANSPORT_TCP, TRUE, TRUE, "UDP is blocked" },
    { "nothing", FALSE, FALSE, TRV_NAT_MAPPING_UNKNOWN, TRV_TURN_CHECK_UNREACHABLE,
      TRV_TURN_CHECK_UNREACHABLE, TRV_NAT_MODE_ICE, TRV_TURN_TRANSPORT_UDP, FALSE, FALSE,
      "No answer" },
    { "unknown-mapping", TRUE, TRUE, TRV_NAT_MAPPING_UNKNOWN, TRV_TURN_CHECK_OK,
      TRV_TURN_CHECK_OK, TRV_NAT_MODE_ICE, TRV_TURN_TRANSPORT_UDP, TRUE, FALSE, "ICE" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      const Fact *f = &facts[i];
      g_autoptr(TrvNatReport) r = trv_nat_report_new ();
      g_test_message ("case %s", f->name);
      r->stun_server = g_strdup ("192.0.2.1:3478");
      r->turn_server = g_strdup ("192.0.2.1:3478");
      r->stun_reachable = f->stun;
      r->behind_nat = f->nat;
      r->mapping = f->mapping;
      r->mapped_address = f->stun ? g_strdup ("198.51.100.7:4000") : NULL;
      r->turn_udp.result = f->turn_udp;
      r->turn_tcp.result = f->turn_tcp;
      if (f->turn_udp == TRV_TURN_CHECK_AUTH_FAILED)
        r->turn_udp.error = g_strdup ("refused");
      trv_nat_report_conclude (r);
      g_assert_cmpint (r->recommended_mode, ==, f->mode);
      g_assert_cmpint (r->recommended_turn_transport, ==, f->transport);
      g_assert_cmpint (r->usable, ==, f->usable);
      g_assert_cmpint (r->udp_blocked, ==, f->udp_blocked);
      g_assert_nonnull (strstr (r->verdict, f->says));
    }
}

/* nat.mode = auto: the recommendation when the probe got an answer, else ICE with the
 * configured transport. */
static void
test_choose_auto_mode (void)
{
  TrvNatMode mode = TRV_NAT_MODE_NONE;
  TrvTurnTransport transport = TRV_TURN_TRANSPORT_UDP;

  g_assert_false (trv_nat_report_choose_auto_mode (NULL, TRV_TURN_TRANSPORT_TCP, &mode, &transport));
  g_assert_cmpint (mode, ==, TRV_NAT_MODE_ICE);
  g_assert_cmpint (transport, ==, TRV_TURN_TRANSPORT_TCP);

  g_autoptr(TrvNatReport) silent = trv_nat_report_new ();
  silent->stun_server = g_strdup ("192.0.2.1:3478");
  silent->turn_udp.result = silent->turn_tcp.result = TRV_TURN_CHECK_UNREACHABLE;
  trv_nat_report_conclude (silent);
  mode = TRV_NAT_MODE_NONE;
  g_assert_false (trv_nat_report_choose_auto_mode (silent, TRV_TURN_TRANSPORT_UDP, &mode,
                                                   &transport));
  g_assert_cmpint (mode, ==, TRV_NAT_MODE_ICE);
  g_assert_cmpint (transport, ==, TRV_TURN_TRANSPORT_UDP);

  g_autoptr(TrvNatReport) cone = trv_nat_report_new ();
  cone->stun_server = g_strdup ("192.0.2.1:3478");
  cone->stun_reachable = cone->behind_nat = TRUE;
  cone->mapping = TRV_NAT_MAPPING_ENDPOINT_INDEPENDENT;
  cone->mapped_address = g_strdup ("198.51.100.7:4000");
  trv_nat_report_conclude (cone);
  g_assert_true (trv_nat_report_choose_auto_mode (cone, TRV_TURN_TRANSPORT_TCP, &mode, &transport));
  g_assert_cmpint (mode, ==, TRV_NAT_MODE_STUN);
  g_assert_cmpint (transport, ==, TRV_TURN_TRANSPORT_UDP);

  g_autoptr(TrvNatReport) blocked = trv_nat_report_new ();
  blocked->stun_server = g_strdup ("192.0.2.1:3478");
  blocked->turn_server = g_strdup ("192.0.2.1:3478");
  blocked->turn_udp.result = TRV_TURN_CHECK_UNREACHABLE;
  blocked->turn_tcp.result = TRV_TURN_CHECK_OK;
  trv_nat_report_conclude (blocked);
  g_assert_true (trv_nat_report_choose_auto_mode (blocked, TRV_TURN_TRANSPORT_UDP, &mode,
                                                  &transport));
  g_assert_cmpint (mode, ==, TRV_NAT_MODE_TURN);
  g_assert_cmpint (transport, ==, TRV_TURN_TRANSPORT_TCP);
}

typedef struct {
  GMainLoop *loop;
  TrvNatAutoChoice *choice;
  GError *error;
} AutoWait;

static void
on_auto_chosen (GObject *source, GAsyncResult *result, gpointer data)
{
  AutoWait *w = data;
  w->choice = trv_nat_auto_choose_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static TrvNatAutoChoice *
choose_auto (const TrvNatConfig *nat, guint timeout_ms, GCancellable *cancellable,
             GError **error)
{
  AutoWait w = { .loop = g_main_loop_new (NULL, FALSE) };
  trv_nat_auto_choose_async (nat, NULL, timeout_ms, cancellable, on_auto_chosen, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_true ((w.choice == NULL) == (w.error != NULL));
  if (w.error)
    g_propagate_error (error, w.error);
  return w.choice;
}

/* nat.mode = auto, the whole sequence: a probe that cannot run or finds nobody gives the
 * fallback with its reason; a cancelled one gives nothing. */
static void
test_auto_choice (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatConfig) nothing = trv_nat_config_new ();
  nothing->turn_transport = TRV_TURN_TRANSPORT_TCP;
  g_autoptr(TrvNatAutoChoice) failed = choose_auto (nothing, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (failed->from_probe);
  g_assert_cmpint (failed->mode, ==, TRV_NAT_MODE_ICE);
  g_assert_cmpint (failed->turn_transport, ==, TRV_TURN_TRANSPORT_TCP);
  g_assert_null (failed->report);
  g_assert_error (failed->probe_error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  /* The reason in words: the key stays on the error as data. */
  g_assert_cmpstr (trv_nat_auto_choice_get_reason (failed), ==,
                   trv_error_get_config_reason (failed->probe_error));
  g_assert_null (strstr (trv_nat_auto_choice_get_reason (failed), "nat."));

  /* A bound UDP socket nobody reads: the probe runs and hears nothing. */
  g_autoptr(GSocket) sink = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_assert_true (g_socket_bind (sink, any, FALSE, &error));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (sink, &error);
  g_autoptr(TrvNatConfig) silent = trv_nat_config_new ();
  silent->stun_server = g_strdup_printf ("127.0.0.1:%u",
                                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_autoptr(TrvNatAutoChoice) unheard = choose_auto (silent, 400, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (unheard->from_probe);
  g_assert_cmpint (unheard->mode, ==, TRV_NAT_MODE_ICE);
  g_assert_nonnull (unheard->report);
  g_assert_false (unheard->report->usable);
  g_assert_null (unheard->probe_error);
  g_assert_cmpstr (trv_nat_auto_choice_get_reason (unheard), ==, unheard->report->verdict);

  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  g_autoptr(TrvNatAutoChoice) none = choose_auto (silent, 400, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nat-probe/no-nat", test_no_nat);
  g_test_add_func ("/nat-probe/turn-only-ip-domain", test_turn_only_ip_domain);
  g_test_add_func ("/nat-probe/wrong-password", test_wrong_password);
  g_test_add_func ("/nat-probe/silent-server", test_silent_server);
  g_test_add_func ("/nat-probe/no-server", test_no_server);
  g_test_add_func ("/nat-probe/bad-server", test_bad_server);
  g_test_add_func ("/nat-report/conclude", test_conclude);
  g_test_add_func ("/nat-report/choose-auto-mode", test_choose_auto_mode);
  g_test_add_func ("/nat-auto/choice", test_auto_choice);
  return g_test_run ();
}
