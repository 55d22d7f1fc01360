/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two in-process user agents calling each other over loopback with ICE, and ICE
 * against a peer without ICE (mode none, plain RTP) in both directions. */
#include <gst/gst.h>

#include "trv-error.h"
#include "trv-ice-transport.h"
#include "trv-stats.h"
#include "trv-user-agent.h"
#include "trv-call-private.h"   /* _trv_call_restart_ice() */
#include "trv-test-util.h"
#include "trv-enum.h"
#include "trv-sip-enums.h"

#define WAIT_LIMIT_MS 10000

typedef struct {
  TrvUserAgent *alice;
  TrvUserAgent *bob;
  TrvCall *bob_call;
  GNetworkMonitor *alice_monitor;   /* NULL: GLib's */
} Fixture;

/* A GNetworkMonitor the test drives: emitting "network-changed" is all it does. */
typedef struct { GObject parent_instance; } FakeMonitor;
typedef struct { GObjectClass parent_class; } FakeMonitorClass;
static void fake_monitor_iface_init (GNetworkMonitorInterface *iface);
static void fake_initable_iface_init (GInitableIface *iface);
static GType fake_monitor_get_type (void);
G_DEFINE_TYPE_WITH_CODE (FakeMonitor, fake_monitor, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, fake_initable_iface_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, fake_monitor_iface_init))

static gboolean
fake_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  return TRUE;
}

static void
fake_initable_iface_init (GInitableIface *iface)
{
  iface->init = fake_initable_init;
}

enum { FAKE_PROP_0, FAKE_PROP_AVAILABLE, FAKE_PROP_METERED, FAKE_PROP_CONNECTIVITY };

static void
fake_monitor_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  switch (id)
    {
    case FAKE_PROP_AVAILABLE:    g_value_set_boolean (value, TRUE); break;
    case FAKE_PROP_METERED:      g_value_set_boolean (value, FALSE); break;
    case FAKE_PROP_CONNECTIVITY: g_value_set_enum (value, G_NETWORK_CONNECTIVITY_FULL); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static gboolean
fake_monitor_can_reach (GNetworkMonitor *monitor, GSocketConnectable *connectable,
                        GCancellable *cancellable, GError **error)
{
  return TRUE;
}

static void
fake_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = fake_monitor_can_reach;
}

static void
fake_monitor_class_init (FakeMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = fake_monitor_get_property;
  g_object_class_override_property (object_class, FAKE_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, FAKE_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, FAKE_PROP_CONNECTIVITY, "connectivity");
}

static void
fake_monitor_init (FakeMonitor *self)
{
}

static TrvUserAgent *
make_agent (const char *user, TrvNatMode mode, const char *stun_server,
            GNetworkMonitor *monitor)
{
  g_autoptr(TrvAccountConfig) acc = trv_test_account_new (user);
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->mode = mode;
  nat->stun_server = g_strdup (stun_server);
  return trv_test_agent_start_full (acc, nat, monitor);
}

static void
on_bob_incoming (TrvUserAgent *agent, TrvCall *call, Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_set_object (&f->bob_call, call);
  g_assert_true (trv_call_answer (call, &error));
  g_assert_no_error (error);
}

/* Every call bob sees, also those refused before they ring (for diagnostics). */
static void
on_bob_call_added (TrvUserAgent *agent, TrvCall *call, Fixture *f)
{
  g_set_object (&f->bob_call, call);
}

static void
setup_agents (Fixture *f, TrvNatMode alice_mode, TrvNatMode bob_mode, const char *stun)
{
  f->alice = make_agent ("alice", alice_mode, stun, f->alice_monitor);
  f->bob = make_agent ("bob", bob_mode, NULL, NULL);
  g_signal_connect (f->bob, "incoming-call", G_CALLBACK (on_bob_incoming), f);
  g_signal_connect (f->bob, "call-added", G_CALLBACK (on_bob_call_added), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (f->bob, f);
  trv_test_agent_shutdown (f->alice, WAIT_LIMIT_MS);
  trv_test_agent_shutdown (f->bob, WAIT_LIMIT_MS);
  g_clear_object (&f->bob_call);
  g_clear_object (&f->alice);
  g_clear_object (&f->bob);
  g_clear_object (&f->alice_monitor);
}

static gboolean
bob_has_media (gpointer data)
{
  Fixture *f = data;
  return f->bob_call && trv_call_get_first_rtp_ms (f->bob_call) >= 0;
}

/* Received RTP keeps growing: media flows now, not only once. */
static void
assert_media_flowing (TrvCall *call)
{
  TrvMediaStats s1, s2;
  trv_media_session_get_stats (trv_call_get_media (call), &s1);
  gint64 until = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  trv_media_session_get_stats (trv_call_get_media (call), &s2);
  g_assert_cmpuint (s2.rtp_received, >, s1.rtp_received + 5);
}

/* Waits for the call to be active; on failure says why the call ended. */
static void
assert_active (Fixture *f, TrvCall *call)
{
  if (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS))
    return;
  const GError *e = trv_call_get_error (call);
  const GError *be = f->bob_call ? trv_call_get_error (f->bob_call) : NULL;
  g_error ("call not active: state %s, SIP %u, error: %s; callee error: %s",
           trv_enum_to_nick (TRV_TYPE_CALL_STATE, trv_call_get_state (call)), trv_call_get_sip_status (call),
           e ? e->message : "none", be ? be->message : "none");
}

static TrvCall *
dial_bob (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TrvCall *call = trv_user_agent_dial (f->alice, trv_user_agent_get_contact_uri (f->bob), &error);
  g_assert_no_error (error);
  g_assert_nonnull (call);
  return g_object_ref (call);
}

static JsonObject *
ice_stats (TrvCall *call, JsonNode **root)
{
  *root = trv_stats_snapshot (call);
  JsonObject *ice = json_object_get_object_member (json_node_get_object (*root), "ice");
  g_assert_nonnull (ice);
  return ice;
}

static void
test_ice_call (Fixture *f, gconstpointer data)
{
  setup_agents (f, TRV_NAT_MODE_ICE, TRV_NAT_MODE_ICE, NULL);
  g_autoptr(TrvCall) call = dial_bob (f);
  assert_active (f, call);
  g_assert_true (TRV_IS_ICE_TRANSPORT (trv_call_get_transport (call)));
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (bob_has_media, f, WAIT_LIMIT_MS));
  g_assert_true (TRV_IS_ICE_TRANSPORT (trv_call_get_transport (f->bob_call)));
  assert_media_flowing (call);
  assert_media_flowing (f->bob_call);

  g_autoptr(JsonNode) root = NULL;
  JsonObject *ice = ice_stats (call, &root);
  g_assert_cmpstr (json_object_get_string_member (ice, "mode"), ==, "ice");
  g_assert_cmpstr (json_object_get_string_member (ice, "state"), ==, "connected");
  JsonObject *local = json_object_get_object_member (ice, "local");
  JsonObject *remote = json_object_get_object_member (ice, "remote");
  g_assert_cmpstr (json_object_get_string_member (local, "type"), ==, "host");
  g_assert_cmpstr (json_object_get_string_member (remote, "type"), ==, "host");
  g_assert_cmpstr (json_object_get_string_member (local, "transport"), ==, "udp");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (local, "address"),
                                   "127.0.0.1:"));
  g_assert_cmpint (json_object_get_int_member (ice, "gathering_ms"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (ice, "checks_ms"), >=, 0);
  /* No server and an IP-literal domain: said plainly, not silently ignored. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ice, "warnings")), >=, 1);

  /* Hold and resume are re-INVITEs with the same ICE session: media resumes. */
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_call_set_held (call, TRUE, &error));
  g_assert_true (trv_test_wait_for (trv_test_call_is_held, call, WAIT_LIMIT_MS));
  g_assert_true (trv_call_set_held (call, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
  assert_media_flowing (f->bob_call);
  g_assert_cmpint (trv_ice_transport_get_state (TRV_ICE_TRANSPORT (trv_call_get_transport (call))),
                   ==, TRV_ICE_STATE_CONNECTED);

  trv_call_hangup (call);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, f->bob_call, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_end_reason (f->bob_call), ==, TRV_CALL_END_REMOTE_HANGUP);
  /* Stats written after hang-up still say what the call achieved. */
  g_autoptr(JsonNode) end_root = NULL;
  JsonObject *end = ice_stats (call, &end_root);
  g_assert_cmpstr (json_object_get_string_member (end, "state"), ==, "connected");
}

static void
on_consent_failed (TrvIceTransport *t, GError *error, guint *count)
{
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NO_MEDIA);
  g_assert_nonnull (strstr (error->message, "consent lost"));
  (*count)++;
}

static gboolean
ice_connected (gpointer transport)
{
  return trv_ice_transport_get_state (transport) == TRV_ICE_STATE_CONNECTED;
}

/* Bob stops granting consent: alice's consent checks fail, alice restarts ICE with a
 * re-INVITE, and audio flows again in both directions without hanging up. */
static void
test_consent_lost_restart (Fixture *f, gconstpointer data)
{
  setup_agents (f, TRV_NAT_MODE_ICE, TRV_NAT_MODE_ICE, NULL);
  g_autoptr(TrvCall) call = dial_bob (f);
  assert_active (f, call);
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (bob_has_media, f, WAIT_LIMIT_MS));
  TrvIceTransport *at = TRV_ICE_TRANSPORT (trv_call_get_transport (call));
  TrvIceTransport *bt = TRV_ICE_TRANSPORT (trv_call_get_transport (f->bob_call));
  guint failures = 0;
  g_signal_connect (at, "failed", G_CALLBACK (on_consent_failed), &failures);
  /* More rounds than the restart limit: a restart that works resets the count. */
  for (guint round = 1; round <= 4; round++)
    {
      g_autoptr(TrvMediaEndpoint) before = trv_media_endpoint_new ();
      trv_media_transport_describe (TRV_MEDIA_TRANSPORT (at), before);
      trv_ice_transport_revoke_consent (bt);
      gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
      while (failures < round && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE), g_usleep (1000);
      g_assert_cmpuint (failures, ==, round);

      /* The restart: new credentials, checks again, the call never ended. */
      g_assert_true (trv_test_wait_for (ice_connected, at, WAIT_LIMIT_MS));
      g_assert_true (trv_test_wait_for (ice_connected, bt, WAIT_LIMIT_MS));
      g_autoptr(TrvMediaEndpoint) after = trv_media_endpoint_new ();
      trv_media_transport_describe (TRV_MEDIA_TRANSPORT (at), after);
      g_assert_cmpstr (before->ice_ufrag, !=, after->ice_ufrag);
      /* Fresh candidates: new sockets, as after a network change. */
      g_assert_cmpuint (before->port, !=, after->port);
      g_assert_cmpint (trv_call_get_state (call), ==, TRV_CALL_STATE_ACTIVE);
      g_assert_cmpint (trv_call_get_state (f->bob_call), ==, TRV_CALL_STATE_ACTIVE);
      g_assert_false (trv_ice_transport_get_consent_lost (at));
      assert_media_flowing (call);
      assert_media_flowing (f->bob_call);
    }
  g_signal_handlers_disconnect_by_data (at, &failures);
  trv_call_hangup (call);
}

typedef struct {
  TrvIceTransport *transport;
  const char *old_ufrag;
} RestartWait;

static gboolean
restarted_and_connected (gpointer data)
{
  RestartWait *w = data;
  if (!ice_connected (w->transport))
    return FALSE;
  g_autoptr(TrvMediaEndpoint) now = trv_media_endpoint_new ();
  trv_media_transport_describe (TRV_MEDIA_TRANSPORT (w->transport), now);
  return g_strcmp0 (now->ice_ufrag, w->old_ufrag) != 0;
}

/* The network changes under a call (Wi-Fi to LTE): after it settles the call restarts
 * ICE with freshly gathered candidates, re-INVITEs, and audio goes on. */
static void
test_network_change_restart (Fixture *f, gconstpointer data)
{
  f->alice_monitor = g_object_new (fake_monitor_get_type (), NULL);
  setup_agents (f, TRV_NAT_MODE_ICE, TRV_NAT_MODE_ICE, NULL);
  g_autoptr(TrvCall) call = dial_bob (f);
  assert_active (f, call);
  g_assert_true (trv_test_wait_for (bob_has_media, f, WAIT_LIMIT_MS));
  TrvIceTransport *at = TRV_ICE_TRANSPORT (trv_call_get_transport (call));
  g_autoptr(TrvMediaEndpoint) before = trv_media_endpoint_new ();
  trv_media_transport_describe (TRV_MEDIA_TRANSPORT (at), before);

  /* A burst of changes counts once. Wait for the restart itself (new credentials,
   * connected again), not for a state change: under load the old session's consent
   * checks can flap the state before the settled network change restarts ICE. */
  g_signal_emit_by_name (f->alice_monitor, "network-changed", TRUE);
  g_signal_emit_by_name (f->alice_monitor, "network-changed", TRUE);
  RestartWait wait = { at, before->ice_ufrag };
  g_assert_true (trv_test_wait_for (restarted_and_connected, &wait, WAIT_LIMIT_MS));
  g_autoptr(TrvMediaEndpoint) after = trv_media_endpoint_new ();
  trv_media_transport_describe (TRV_MEDIA_TRANSPORT (at), after);
  g_assert_cmpstr (before->ice_ufrag, !=, after->ice_ufrag);
  g_assert_cmpuint (before->port, !=, after->port);
  g_assert_cmpint (trv_call_get_state (call), ==, TRV_CALL_STATE_ACTIVE);
  assert_media_flowing (call);
  assert_media_flowing (f->bob_call);
  trv_call_hangup (call);
}

/* Both sides lose the path at once and restart ICE together: the re-INVITEs cross
 * (491 glare), one side retries after the RFC 3261 wait, and audio resumes. */
static void
test_restart_glare (Fixture *f, gconstpointer data)
{
  setup_agents (f, TRV_NAT_MODE_ICE, TRV_NAT_MODE_ICE, NULL);
  g_autoptr(TrvCall) call = dial_bob (f);
  assert_active (f, call);
  g_assert_true (trv_test_wait_for (bob_has_media, f, WAIT_LIMIT_MS));
  TrvIceTransport *at = TRV_ICE_TRANSPORT (trv_call_get_transport (call));
  TrvIceTransport *bt = TRV_ICE_TRANSPORT (trv_call_get_transport (f->bob_call));
  g_autoptr(TrvMediaEndpoint) before = trv_media_endpoint_new ();
  trv_media_transport_describe (TRV_MEDIA_TRANSPORT (at), before);

  g_assert_true (_trv_call_restart_ice (call, "test"));
  g_assert_true (_trv_call_restart_ice (f->bob_call, "test"));
  g_assert_true (trv_test_wait_for (ice_connected, at, 3 * WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (ice_connected, bt, WAIT_LIMIT_MS));
  g_autoptr(TrvMediaEndpoint) after = trv_media_endpoint_new ();
  trv_media_transport_describe (TRV_MEDIA_TRANSPORT (at), after);
  g_assert_cmpstr (before->ice_ufrag, !=, after->ice_ufrag);
  g_assert_cmpint (trv_call_get_state (call), ==, TRV_CALL_STATE_ACTIVE);
  g_assert_cmpint (trv_call_get_state (f->bob_call), ==, TRV_CALL_STATE_ACTIVE);
  assert_media_flowing (call);
  assert_media_flowing (f->bob_call);
  trv_call_hangup (call);
}

/* A side that gives up for lack of media says why in the BYE (Reason header), and the
 * other side ends with the same cause instead of a plain remote hang-up. */
static void
test_no_media_reason (Fixture *f, gconstpointer data)
{
  setup_agents (f, TRV_NAT_MODE_ICE, TRV_NAT_MODE_NONE, NULL);
  g_autoptr(TrvCall) call = dial_bob (f);
  assert_active (f, call);
  g_assert_true (trv_test_wait_for (bob_has_media, f, WAIT_LIMIT_MS));
  trv_call_hangup_with_reason (call, TRV_CALL_END_NO_MEDIA);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, f->bob_call, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_end_reason (f->bob_call), ==, TRV_CALL_END_NO_MEDIA);
  const GError *e = trv_call_get_error (f->bob_call);
  g_assert_error (e, TRV_ERROR, TRV_ERROR_NO_MEDIA);
  g_assert_nonnull (strstr (e->message, "the peer hung up: no media path"));
  g_assert_nonnull (strstr (e->message, "ICE"));
}

/* The BYE's Reason is recognised by its RFC 3326 cause, whatever its text says, and
 * its text is unquoted with escapes. */
static void
test_no_media_reason_cause (void)
{
  static const struct {
    const char *header, *why;   /* why NULL: not a lack of media */
  } cases[] = {
    { "SIP;cause=480;text=\"no media path: ICE consent lost\"",
      "no media path: ICE consent lost" },
    /* another wording (language, another client) with the same cause */
    { "SIP;cause=480;text=\"Kein Medienweg: \\\"ICE\\\" \\\\ weg\"",
      "Kein Medienweg: \"ICE\" \\ weg" },
    { "sip ; cause=480", "no media path" },
    { "Q.850;cause=16;text=\"Normal\", SIP;cause=480;text=\"later\"", "later" },
    /* the words alone do not count */
    { "SIP;cause=200;text=\"no media path: ICE consent lost\"", NULL },
    { "Q.850;cause=480;text=\"no media path\"", NULL },
    { "SIP;text=\"no media path\"", NULL },
  };
  su_home_t home[1] = { SU_HOME_INIT (home) };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      sip_reason_t *reason = sip_reason_make (home, cases[i].header);
      g_assert_nonnull (reason);
      g_autofree gchar *why = _trv_call_no_media_reason (reason);
      g_assert_cmpstr (why, ==, cases[i].why);
    }
  g_assert_null (_trv_call_no_media_reason (NULL));
  su_home_deinit (home);
}

/* ICE caller, plain-RTP callee: the callee's answer has no ICE attributes. */
static void
test_ice_to_plain (Fixture *f, gconstpointer data)
{
  setup_agents (f, TRV_NAT_MODE_ICE, TRV_NAT_MODE_NONE, NULL);
  g_autoptr(TrvCall) call = dial_bob (f);
  assert_active (f, call);
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (bob_has_media, f, WAIT_LIMIT_MS));
  g_assert_false (TRV_IS_ICE_TRANSPORT (trv_call_get_transport (f->bob_call)));
  assert_media_flowing (call);
  assert_media_flowing (f->bob_call);

  g_autoptr(JsonNode) root = NULL;
  JsonObject *ice = ice_stats (f->bob_call, &root);
  g_assert_cmpstr (json_object_get_string_member (ice, "mode"), ==, "none");
  g_assert_true (json_object_get_null_member (ice, "state"));
  trv_call_hangup (call);
}

/* Plain-RTP caller, ICE callee: the offer has no ICE attributes. */
static void
test_plain_to_ice (Fixture *f, gconstpointer data)
{
  setup_agents (f, TRV_NAT_MODE_NONE, TRV_NAT_MODE_ICE, NULL);
  g_autoptr(TrvCall) call = dial_bob (f);
  assert_active (f, call);
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (bob_has_media, f, WAIT_LIMIT_MS));
  g_assert_true (TRV_IS_ICE_TRANSPORT (trv_call_get_transport (f->bob_call)));
  assert_media_flowing (call);
  assert_media_flowing (f->bob_call);
  trv_call_hangup (call);
}

/* A STUN server that never answers costs the gathering bound and a warning, not the
 * call. */
static void
test_dead_stun_server (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) mute = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_assert_true (g_socket_bind (mute, any, FALSE, &error));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (mute, &error);
  g_autofree gchar *stun = g_strdup_printf ("127.0.0.1:%u",
                                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  setup_agents (f, TRV_NAT_MODE_STUN, TRV_NAT_MODE_ICE, stun);
  g_autoptr(TrvCall) call = dial_bob (f);
  assert_active (f, call);
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));
  g_autoptr(JsonNode) root = NULL;
  JsonObject *ice = ice_stats (call, &root);
  g_assert_cmpstr (json_object_get_string_member (ice, "mode"), ==, "stun");
  JsonArray *warnings = json_object_get_array_member (ice, "warnings");
  gboolean named = FALSE;
  for (guint i = 0; i < json_array_get_length (warnings); i++)
    if (strstr (json_array_get_string_element (warnings, i), stun) &&
        strstr (json_array_get_string_element (warnings, i), "did not answer"))
      named = TRUE;
  g_assert_true (named);
  trv_call_hangup (call);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/ice-call/ice-to-ice", Fixture, NULL, NULL, test_ice_call, fixture_teardown);
  g_test_add ("/ice-call/consent-lost-restart", Fixture, NULL, NULL, test_consent_lost_restart,
              fixture_teardown);
  g_test_add ("/ice-call/network-change-restart", Fixture, NULL, NULL,
              test_network_change_restart, fixture_teardown);
  g_test_add ("/ice-call/restart-glare", Fixture, NULL, NULL, test_restart_glare,
              fixture_teardown);
  g_test_add_func ("/ice-call/no-media-reason-cause", test_no_media_reason_cause);
  g_test_add ("/ice-call/no-media-reason", Fixture, NULL, NULL, test_no_media_reason,
              fixture_teardown);
  g_test_add ("/ice-call/ice-to-plain", Fixture, NULL, NULL, test_ice_to_plain,
              fixture_teardown);
  g_test_add ("/ice-call/plain-to-ice", Fixture, NULL, NULL, test_plain_to_ice,
              fixture_teardown);
  g_test_add ("/ice-call/dead-stun-server", Fixture, NULL, NULL, test_dead_stun_server,
              fixture_teardown);
  return g_test_run ();
}
