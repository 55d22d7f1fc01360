/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-proxy.c: the HTTP proxy setting (nat.http-proxy): parsing, validation with the key
 * on the error and never the password in a message, the URI forms, the lookup (setting,
 * "none") with the proxy's name resolved; the NAT report's proxy section. */
#include <gio/gio.h>
#include <string.h>

#include "trv-config-file.h"
#include "trv-error.h"
#include "trv-nat-report.h"
#include "trv-proxy.h"

static void
test_parse (void)
{
  static const struct {
    const char *value, *host, *user, *password;
    guint16 port;
  } cases[] = {
    { "http://proxy.example.org:3128", "proxy.example.org", NULL, NULL, 3128 },
    { "http://proxy.example.org:3128/", "proxy.example.org", NULL, NULL, 3128 },
    { "HTTP://Proxy.example.org:8080", "proxy.example.org", NULL, NULL, 8080 },
    { "http://alice:s%40cret@10.0.0.1:8080", "10.0.0.1", "alice", "s@cret", 8080 },
    { "http://bob@proxy:1", "proxy", "bob", "", 1 },
    { "http://[2001:db8::1]:3128", "2001:db8::1", NULL, NULL, 3128 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TrvProxy) p = trv_proxy_parse (cases[i].value, "nat.http-proxy", &error);
      g_assert_no_error (error);
      g_assert_nonnull (p);
      g_assert_cmpint (g_ascii_strcasecmp (p->host, cases[i].host), ==, 0);
      g_assert_cmpuint (p->port, ==, cases[i].port);
      g_assert_cmpstr (p->username, ==, cases[i].user);
      g_assert_cmpstr (p->password, ==, cases[i].password);
      g_assert_null (p->ip);
      g_assert_false (p->from_system);
    }
}

static void
test_bad (void)
{
  static const struct { const char *value, *why; } cases[] = {
    { "https://proxy.example.org:3128", "https://" },
    { "socks5://proxy.example.org:1080", "only HTTP proxies" },
    { "proxy.example.org:3128", "only HTTP proxies" },
    { "http://proxy.example.org", "needs a port" },
    { "http://u:hunter2@proxy.example.org", "needs a port" },
    { "http://proxy.example.org:0", "needs a port" },
    { "http://proxy.example.org:99999", "not a proxy address" },
    { "http://proxy.example.org:3128/path", "no path" },
    { "http://proxy.example.org:3128?x=1", "no path" },
    { "http://proxy.example.org:3128#frag", "no path" },
    { "http://:3128", "no host" },
    { "http://pro xy:3128", "space" },
    { "http://proxy!.example.org:3128", "host name" },
    { "http://a%3Ab:hunter2@proxy:3128", "':'" },
    { "http://:hunter2@proxy:3128", "':'" },
    { "", "not a proxy address" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TrvProxy) p = trv_proxy_parse (cases[i].value, "nat.http-proxy", &error);
      g_assert_null (p);
      g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
      g_test_message ("%s -> %s", cases[i].value, error->message);
      g_assert_cmpstr (trv_error_get_config_key (error), ==, "nat.http-proxy");
      if (!g_str_has_prefix (error->message, "nat.http-proxy"))
        g_error ("'%s' does not name the key", error->message);
      if (strstr (error->message, cases[i].why) == NULL)
        g_error ("'%s' (for %s) does not say '%s'", error->message, cases[i].value,
                 cases[i].why);
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

/* The key file: accepted values are kept as written; refused ones name the key. */
static void
test_config_file (void)
{
  static const char *const good[] = {
    "http://u:p@proxy.example.org:3128", "none", "http://192.0.2.7:8080",
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree gchar *data = g_strdup_printf ("[nat]\nmode = ice\nhttp-proxy = %s\n", good[i]);
      g_autoptr(GError) error = NULL;
      TrvAccountConfig *acc = NULL;
      TrvNatConfig *nat = NULL;
      TrvMediaConfig *media = NULL;
      g_assert_true (trv_config_file_load_data (data, NULL, &acc, &nat, &media, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (nat->http_proxy, ==, good[i]);
      g_autoptr(TrvNatConfig) copy = trv_nat_config_copy (nat);
      g_assert_cmpstr (copy->http_proxy, ==, good[i]);
      trv_account_config_free (acc);
      trv_nat_config_free (nat);
      trv_media_config_free (media);
    }
  static const struct { const char *value, *why; } bad[] = {
    { "", "empty value" },
    { "https://proxy.example.org:443", "https://" },
    { "system", "not a proxy address" },
    { "http://proxy.example.org", "needs a port" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree gchar *data = g_strdup_printf ("[nat]\nhttp-proxy = %s\n", bad[i].value);
      g_autoptr(GError) error = NULL;
      TrvAccountConfig *acc = NULL;
      TrvNatConfig *nat = NULL;
      TrvMediaConfig *media = NULL;
      g_assert_false (trv_config_file_load_data (data, NULL, &acc, &nat, &media, &error));
      g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
      g_assert_cmpstr (trv_error_get_config_key (error), ==, "nat.http-proxy");
      if (strstr (error->message, bad[i].why) == NULL)
        g_error ("'%s' does not say '%s'", error->message, bad[i].why);
    }
}

static void
test_uri (void)
{
  g_autoptr(TrvProxy) p = trv_proxy_parse ("http://alice:s%40cret@proxy.example.org:3128",
                                           "nat.http-proxy", NULL);
  g_autofree gchar *with = trv_proxy_to_uri (p, TRUE);
  g_autofree gchar *without = trv_proxy_to_uri (p, FALSE);
  g_autofree gchar *words = trv_proxy_describe (p);
  g_assert_cmpstr (with, ==, "http://alice:s%40cret@proxy.example.org:3128");
  g_assert_cmpstr (without, ==, "http://proxy.example.org:3128");
  g_assert_cmpstr (words, ==, "proxy.example.org:3128");

  g_autoptr(TrvProxy) v6 = trv_proxy_parse ("http://[2001:db8::1]:3128", "k", NULL);
  g_autofree gchar *v6_uri = trv_proxy_to_uri (v6, TRUE);
  g_autofree gchar *v6_words = trv_proxy_describe (v6);
  g_assert_cmpstr (v6_uri, ==, "http://[2001:db8::1]:3128");
  g_assert_cmpstr (v6_words, ==, "[2001:db8::1]:3128");

  /* The resolver for GSocketClient names the resolved address, credentials kept. */
  g_free (p->ip);
  p->ip = g_strdup ("192.0.2.7");
  g_autoptr(GProxyResolver) resolver = trv_proxy_new_resolver (p);
  g_auto(GStrv) uris = g_proxy_resolver_lookup (resolver, "none://198.51.100.1:443", NULL, NULL);
  g_assert_nonnull (uris);
  g_assert_cmpstr (uris[0], ==, "http://alice:s%40cret@192.0.2.7:3128");
}

static void
on_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **out = data;
  *out = g_object_ref (result);
}

static TrvProxy *
lookup_async (const char *setting, GError **error)
{
  GAsyncResult *result = NULL;
  trv_proxy_lookup_async (setting, "turn.example.org", 3478, NULL, on_looked_up, &result);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  TrvProxy *proxy = trv_proxy_lookup_finish (result, error);
  g_object_unref (result);
  return proxy;
}

/* The setting wins over the system's settings; its name is resolved (libnice needs an IP
 * literal); "none" is a direct connection, not an error. */
static void
test_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvProxy) literal = lookup_async ("http://u:p@127.0.0.1:3128", &error);
  g_assert_no_error (error);
  g_assert_nonnull (literal);
  g_assert_cmpstr (literal->ip, ==, "127.0.0.1");
  g_assert_cmpstr (literal->username, ==, "u");
  g_assert_false (literal->from_system);

  g_autoptr(TrvProxy) named = lookup_async ("http://localhost:3128", &error);
  g_assert_no_error (error);
  g_assert_nonnull (named);
  g_assert_true (g_str_equal (named->ip, "127.0.0.1") || g_str_equal (named->ip, "::1"));

  g_autoptr(TrvProxy) none = lookup_async (TRV_PROXY_NONE, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_autoptr(TrvProxy) bad = lookup_async ("https://127.0.0.1:3128", &error);
  g_assert_null (bad);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_clear_error (&error);

  /* The blocking form (the probe's threads) gives the same. */
  g_autoptr(TrvProxy) blocking = trv_proxy_lookup ("http://127.0.0.1:3128", "h", 1, NULL,
                                                   &error);
  g_assert_no_error (error);
  g_assert_cmpstr (blocking->ip, ==, "127.0.0.1");
  g_assert_null (trv_proxy_lookup (TRV_PROXY_NONE, "h", 1, NULL, &error));
  g_assert_no_error (error);
}

/* The system's setting (an https_proxy variable, as GIO's libproxy resolver reads it; main
 * sets it up): used for the world outside, never for a server on loopback. */
static void
test_system (void)
{
  g_autoptr(GError) error = NULL;
  g_assert_null (trv_proxy_lookup (NULL, "127.0.0.1", 3478, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (trv_proxy_lookup (NULL, "localhost", 3478, NULL, &error));
  g_assert_no_error (error);
  GProxyResolver *system = g_proxy_resolver_get_default ();
  if (!g_str_equal (G_OBJECT_TYPE_NAME (system), "GLibproxyResolver"))
    {
      g_test_skip ("GIO's libproxy module is not installed (glib-networking)");
      return;
    }
  g_autoptr(TrvProxy) p = trv_proxy_lookup (NULL, "192.0.2.1", 3478, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_true (p->from_system);
  g_assert_cmpstr (p->ip, ==, "127.0.0.1");
  g_assert_cmpuint (p->port, ==, 3128);
  g_assert_cmpstr (p->username, ==, "sys");
}

static void
set_check (TrvTurnCheckResult *c, TrvTurnCheck result, const char *relay, const char *error)
{
  c->result = result;
  c->relay_address = g_strdup (relay);
  c->error = g_strdup (error);
}

static const char *
json_proxy_string (JsonNode *root, const char *member)
{
  JsonObject *proxy = json_object_get_object_member (json_node_get_object (root), "proxy");
  g_assert_nonnull (proxy);
  return json_object_get_string_member (proxy, member);
}

/* What works through the proxy is what calls get: the conclusion, the words and the JSON. */
static void
test_report (void)
{
  /* Only way out: the proxy. */
  g_autoptr(TrvNatReport) r = trv_nat_report_new ();
  r->stun_server = g_strdup ("203.0.113.1:3478");
  r->turn_server = g_strdup ("203.0.113.1:3478");
  set_check (&r->turn_udp, TRV_TURN_CHECK_UNREACHABLE, NULL, "no answer");
  set_check (&r->turn_tcp, TRV_TURN_CHECK_UNREACHABLE, NULL, "cannot connect over TCP");
  r->proxy = g_strdup ("proxy.example.org:3128");
  r->proxy_source = g_strdup ("config");
  set_check (&r->proxy_turn_tcp, TRV_TURN_CHECK_OK, "203.0.113.1:50000", NULL);
  trv_nat_report_conclude (r);
  g_assert_true (r->usable);
  g_assert_true (r->udp_blocked);
  g_assert_cmpint (r->recommended_mode, ==, TRV_NAT_MODE_TURN);
  g_assert_cmpint (r->recommended_turn_transport, ==, TRV_TURN_TRANSPORT_TCP);
  g_assert_nonnull (strstr (r->verdict, "HTTP proxy proxy.example.org:3128"));
  g_autofree gchar *words = trv_nat_report_describe_proxy (r);
  g_assert_cmpstr (words, ==, "HTTP proxy proxy.example.org:3128 (nat.http-proxy): TURN over "
                              "TCP works through it.");
  g_autoptr(JsonNode) json = trv_nat_report_to_json (r);
  g_assert_cmpstr (json_proxy_string (json, "server"), ==, "proxy.example.org:3128");
  g_assert_cmpstr (json_proxy_string (json, "source"), ==, "config");

  /* Direct TCP works but the proxy (which calls use) refuses: said, and not recommended. */
  g_autoptr(TrvNatReport) refused = trv_nat_report_new ();
  refused->stun_server = g_strdup ("203.0.113.1:3478");
  refused->turn_server = g_strdup ("203.0.113.1:3478");
  set_check (&refused->turn_tcp, TRV_TURN_CHECK_OK, "203.0.113.1:50002", NULL);
  refused->proxy = g_strdup ("192.0.2.7:8080");
  refused->proxy_source = g_strdup ("system");
  set_check (&refused->proxy_turn_tcp, TRV_TURN_CHECK_UNREACHABLE, NULL, "not allowed");
  trv_nat_report_conclude (refused);
  g_assert_false (refused->usable);
  g_assert_cmpint (refused->recommended_turn_transport, ==, TRV_TURN_TRANSPORT_UDP);
  g_autofree gchar *refused_words = trv_nat_report_describe_proxy (refused);
  g_assert_nonnull (strstr (refused_words, "system's proxy settings"));
  g_assert_nonnull (strstr (refused_words, "TURN over TCP through it failed: not allowed"));
  gboolean warned = FALSE;
  for (guint i = 0; i < refused->warnings->len; i++)
    warned |= strstr (refused->warnings->pdata[i], "nat.http-proxy = none") != NULL;
  g_assert_true (warned);

  /* No proxy: none in the JSON, no words, conclusions as before. */
  g_autoptr(TrvNatReport) direct = trv_nat_report_new ();
  direct->stun_server = g_strdup ("203.0.113.1:3478");
  direct->turn_server = g_strdup ("203.0.113.1:3478");
  set_check (&direct->turn_tcp, TRV_TURN_CHECK_OK, "203.0.113.1:50004", NULL);
  trv_nat_report_conclude (direct);
  g_assert_cmpint (direct->recommended_turn_transport, ==, TRV_TURN_TRANSPORT_TCP);
  g_assert_null (trv_nat_report_describe_proxy (direct));
  g_autoptr(JsonNode) direct_json = trv_nat_report_to_json (direct);
  g_assert_null (json_proxy_string (direct_json, "server"));
  g_assert_cmpstr (json_proxy_string (direct_json, "source"), ==, "none");
  g_autoptr(TrvNatReport) copy = trv_nat_report_copy (r);
  g_assert_cmpstr (copy->proxy, ==, r->proxy);
  g_assert_cmpint (copy->proxy_turn_tcp.result, ==, TRV_TURN_CHECK_OK);
}

int
main (int argc, char **argv)
{
  /* Before GIO loads its proxy module: the "system" of test_system. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "libproxy", TRUE);
  g_setenv ("https_proxy", "http://sys:pw@127.0.0.1:3128", TRUE);
  g_unsetenv ("no_proxy");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/proxy/parse", test_parse);
  g_test_add_func ("/proxy/bad", test_bad);
  g_test_add_func ("/proxy/config-file", test_config_file);
  g_test_add_func ("/proxy/uri", test_uri);
  g_test_add_func ("/proxy/lookup", test_lookup);
  g_test_add_func ("/proxy/system", test_system);
  g_test_add_func ("/proxy/report", test_report);
  return g_test_run ();
}
