/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STUN/TURN server discovery from DNS SRV records, against a table-driven resolver. */
#include <stdlib.h>
#include <string.h>

#include "trv-error.h"
#include "trv-server-discovery.h"
#include "trv-fake-resolver.h"

typedef struct {
  TrvDiscoveredServers *servers;
  GError *error;
  gboolean done;
} Result;

static void
on_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Result *r = data;
  r->servers = trv_server_discovery_lookup_finish (res, &r->error);
  r->done = TRUE;
}

static void
lookup (const char *domain, TrvServerNeeds needs, Result *r)
{
  trv_server_discovery_lookup_async (domain, needs, NULL, on_done, r);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!r->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (r->done);
}

static void
test_all_found (void)
{
  GResolver *previous;
  TrvFakeResolver *fake = trv_fake_resolver_install (&previous);
  g_hash_table_insert (fake->srv, g_strdup ("_stun._udp.example.test"),
                       g_strdup ("stun.example.test:3479"));
  g_hash_table_insert (fake->srv, g_strdup ("_turn._udp.example.test"),
                       g_strdup ("turn.example.test:3480"));
  g_hash_table_insert (fake->srv, g_strdup ("_turn._tcp.example.test"),
                       g_strdup ("turn-tcp.example.test:443"));
  g_hash_table_insert (fake->srv, g_strdup ("_turns._tcp.example.test"),
                       g_strdup ("turn-tls.example.test:5349"));

  Result r = { 0 };
  lookup ("example.test", TRV_SERVER_NEED_STUN | TRV_SERVER_NEED_TURN_UDP |
          TRV_SERVER_NEED_TURN_TCP | TRV_SERVER_NEED_TURN_TLS, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.servers->stun_host, ==, "stun.example.test");
  g_assert_cmpuint (r.servers->stun_port, ==, 3479);
  g_assert_cmpstr (r.servers->turn_udp_host, ==, "turn.example.test");
  g_assert_cmpuint (r.servers->turn_udp_port, ==, 3480);
  g_assert_cmpstr (r.servers->turn_tcp_host, ==, "turn-tcp.example.test");
  g_assert_cmpuint (r.servers->turn_tcp_port, ==, 443);
  g_assert_cmpstr (r.servers->turn_tls_host, ==, "turn-tls.example.test");
  g_assert_cmpuint (r.servers->turn_tls_port, ==, 5349);
  g_assert_cmpuint (r.servers->warnings->len, ==, 0);
  g_assert_cmpuint (fake->srv_queries, ==, 4);
  trv_discovered_servers_free (r.servers);

  /* Only what is needed is looked up. */
  Result only = { 0 };
  lookup ("example.test", TRV_SERVER_NEED_STUN, &only);
  g_assert_cmpuint (fake->srv_queries, ==, 5);
  g_assert_null (only.servers->turn_udp_host);
  trv_discovered_servers_free (only.servers);

  /* TRY: looked up like NEED, but a missing record is no warning. */
  Result tried = { 0 };
  lookup ("example.test", TRV_SERVER_TRY_TURN_TLS, &tried);
  g_assert_cmpstr (tried.servers->turn_tls_host, ==, "turn-tls.example.test");
  trv_discovered_servers_free (tried.servers);
  Result missing = { 0 };
  lookup ("nothing.test", TRV_SERVER_TRY_TURN_TLS, &missing);
  g_assert_no_error (missing.error);
  g_assert_null (missing.servers->turn_tls_host);
  g_assert_cmpuint (missing.servers->warnings->len, ==, 0);
  trv_discovered_servers_free (missing.servers);
  Result needed = { 0 };
  lookup ("nothing.test", TRV_SERVER_NEED_TURN_TLS, &needed);
  g_assert_cmpuint (needed.servers->warnings->len, ==, 1);
  g_assert_nonnull (strstr (needed.servers->warnings->pdata[0], "_turns._tcp.nothing.test"));
  trv_discovered_servers_free (needed.servers);
  trv_fake_resolver_uninstall (fake, previous);
}

static void
test_none_found (void)
{
  GResolver *previous;
  TrvFakeResolver *fake = trv_fake_resolver_install (&previous);
  g_hash_table_insert (fake->srv, g_strdup ("_stun._udp.example.test"),
                       g_strdup ("stun.example.test:3478"));
  Result r = { 0 };
  lookup ("example.test", TRV_SERVER_NEED_STUN | TRV_SERVER_NEED_TURN_UDP |
          TRV_SERVER_NEED_TURN_TCP, &r);
  /* Missing records are warnings naming the record, not an error. */
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.servers->stun_host, ==, "stun.example.test");
  g_assert_null (r.servers->turn_udp_host);
  g_assert_null (r.servers->turn_tcp_host);
  g_assert_cmpuint (r.servers->warnings->len, ==, 2);
  gboolean udp = FALSE, tcp = FALSE;
  for (guint i = 0; i < r.servers->warnings->len; i++)
    {
      const char *w = r.servers->warnings->pdata[i];
      g_assert_nonnull (strstr (w, "no TURN server configured"));
      udp |= strstr (w, "_turn._udp.example.test") != NULL;
      tcp |= strstr (w, "_turn._tcp.example.test") != NULL;
    }
  g_assert_true (udp && tcp);
  trv_discovered_servers_free (r.servers);
  trv_fake_resolver_uninstall (fake, previous);
}

static void
test_nothing_to_look_up (void)
{
  GResolver *previous;
  TrvFakeResolver *fake = trv_fake_resolver_install (&previous);
  Result r = { 0 };
  lookup ("192.0.2.7", TRV_SERVER_NEED_STUN, &r);
  g_assert_error (r.error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE);
  g_assert_nonnull (strstr (r.error->message, "IP address"));
  g_clear_error (&r.error);

  Result n = { 0 };
  lookup (NULL, TRV_SERVER_NEED_STUN, &n);
  g_assert_error (n.error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE);
  g_clear_error (&n.error);
  /* Neither sent a query. */
  g_assert_cmpuint (fake->srv_queries, ==, 0);
  trv_fake_resolver_uninstall (fake, previous);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server-discovery/all-found", test_all_found);
  g_test_add_func ("/server-discovery/none-found", test_none_found);
  g_test_add_func ("/server-discovery/nothing-to-look-up", test_nothing_to_look_up);
  return g_test_run ();
}
