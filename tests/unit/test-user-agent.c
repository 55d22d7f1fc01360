/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two in-process user agents talking SIP + RTP over loopback, no registrar. */
#include "config.h"   /* TRV_CA_BUNDLE */

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <string.h>

#include "trv-error.h"
#include "trv-echo-endpoint.h"
#include "trv-net.h"
#include "trv-sip-uri.h"
#include "trv-user-agent.h"
#include "trv-user-agent-private.h"   /* tls_dir */
#include "trv-test-util.h"
#include "trv-enum.h"
#include "trv-sip-enums.h"

#define WAIT_LIMIT_MS 8000

typedef struct {
  TrvUserAgent *alice;
  TrvUserAgent *bob;
  TrvCall *bob_call;       /* the incoming call at bob */
  gboolean bob_auto_answer;
  guint bob_reject;
  GString *bob_dtmf;
} Fixture;

static TrvUserAgent *
make_agent (const char *user)
{
  g_autoptr(TrvAccountConfig) acc = trv_test_account_new (user);
  return trv_test_agent_start (acc);
}

static void
on_bob_dtmf (TrvCall *call, gchar digit, Fixture *f)
{
  g_string_append_c (f->bob_dtmf, digit);
}

static void
on_bob_incoming (TrvUserAgent *agent, TrvCall *call, Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_set_object (&f->bob_call, call);
  g_signal_connect (call, "dtmf-received", G_CALLBACK (on_bob_dtmf), f);
  if (f->bob_reject)
    g_assert_true (trv_call_reject (call, f->bob_reject, &error));
  else if (f->bob_auto_answer)
    g_assert_true (trv_call_answer (call, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->alice = make_agent ("alice");
  f->bob = make_agent ("bob");
  f->bob_dtmf = g_string_new (NULL);
  f->bob_auto_answer = TRUE;
  g_signal_connect (f->bob, "incoming-call", G_CALLBACK (on_bob_incoming), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (f->bob, f);
  if (f->bob_call)
    g_signal_handlers_disconnect_by_data (f->bob_call, f);
  trv_test_agent_shutdown (f->alice, WAIT_LIMIT_MS);
  trv_test_agent_shutdown (f->bob, WAIT_LIMIT_MS);
  g_clear_object (&f->bob_call);
  g_clear_object (&f->alice);
  g_clear_object (&f->bob);
  g_string_free (f->bob_dtmf, TRUE);
}

static gboolean
bob_has_call (gpointer data)
{
  return ((Fixture *) data)->bob_call != NULL;
}

static gboolean
bob_got_dtmf (gpointer data)
{
  return ((Fixture *) data)->bob_dtmf->len >= 5;
}

static gboolean
bob_remote_held (gpointer data)
{
  Fixture *f = data;
  return f->bob_call && trv_call_get_remote_held (f->bob_call);
}

static gboolean
bob_not_remote_held (gpointer data)
{
  return !bob_remote_held (data);
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

static void
test_call_answer_hangup (Fixture *f, gconstpointer data)
{
  g_autoptr(TrvCall) call = dial_bob (f);
  g_assert_cmpint (trv_call_get_direction (call), ==, TRV_CALL_DIRECTION_OUTGOING);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
  g_assert_cmpuint (trv_call_get_sip_status (call), ==, 200);
  g_assert_cmpint (trv_call_get_setup_ms (call), >=, 0);
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, f->bob_call, WAIT_LIMIT_MS));
  const TrvNegotiation *n = trv_call_get_negotiation (call);
  g_assert_nonnull (n);
  g_assert_cmpstr (n->codec->name, ==, "opus");
  /* Session timers (RFC 4028) on both ends: the caller asks for 1800 s, the callee
   * (supporting them too) takes it and leaves the refreshing to the caller. */
  g_assert_cmpuint (trv_call_get_session_expires (call), ==, 1800);
  g_assert_cmpuint (trv_call_get_session_expires (f->bob_call), ==, 1800);

  trv_call_hangup (call);
  g_assert_cmpint (trv_call_get_end_reason (call), ==, TRV_CALL_END_LOCAL_HANGUP);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, f->bob_call, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_end_reason (f->bob_call), ==, TRV_CALL_END_REMOTE_HANGUP);
}

static void
test_call_reject (Fixture *f, gconstpointer data)
{
  f->bob_reject = 486;
  g_autoptr(TrvCall) call = dial_bob (f);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, call, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_end_reason (call), ==, TRV_CALL_END_REJECTED);
  g_assert_cmpuint (trv_call_get_sip_status (call), ==, 486);
  g_assert_error (trv_call_get_error (call), TRV_ERROR, TRV_ERROR_REJECTED);
  g_assert_nonnull (strstr (trv_call_get_error (call)->message, "486"));
}

static void
test_call_cancel (Fixture *f, gconstpointer data)
{
  f->bob_auto_answer = FALSE;
  g_autoptr(TrvCall) call = dial_bob (f);
  g_assert_true (trv_test_wait_for (bob_has_call, f, WAIT_LIMIT_MS));
  trv_call_hangup (call);
  g_assert_cmpint (trv_call_get_end_reason (call), ==, TRV_CALL_END_CANCELLED);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, f->bob_call, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_end_reason (f->bob_call), ==, TRV_CALL_END_CANCELLED);
}

static void
test_call_hold_dtmf_remote_bye (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvCall) call = dial_bob (f);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));

  g_assert_true (trv_call_send_dtmf (call, "12#*9", &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (bob_got_dtmf, f, WAIT_LIMIT_MS));
  g_assert_cmpstr (f->bob_dtmf->str, ==, "12#*9");

  g_assert_true (trv_call_set_held (call, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_held, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (bob_remote_held, f, WAIT_LIMIT_MS));
  g_assert_true (trv_call_set_held (call, FALSE, &error));
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (bob_not_remote_held, f, WAIT_LIMIT_MS));
  g_assert_cmpuint (trv_call_get_remote_hold_count (f->bob_call), ==, 1);
  /* The hold re-INVITEs refreshed the session timer without changing it. */
  g_assert_cmpuint (trv_call_get_session_expires (call), ==, 1800);
  g_assert_cmpuint (trv_call_get_session_expires (f->bob_call), ==, 1800);

  trv_call_hangup (f->bob_call);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, call, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_end_reason (call), ==, TRV_CALL_END_REMOTE_HANGUP);
}

static void
on_incoming_answer (TrvUserAgent *agent, TrvCall *call, TrvCall **slot)
{
  g_autoptr(GError) error = NULL;
  g_set_object (slot, call);
  g_assert_true (trv_call_answer (call, &error));
  g_assert_no_error (error);
}

static guint64
rtp_received (TrvCall *call)
{
  TrvMediaStats stats;
  TrvMediaSession *media = trv_call_get_media (call);
  g_assert_nonnull (media);
  trv_media_session_get_stats (media, &stats);
  return stats.rtp_received;
}

/* Iterates the main loop for `ms` (no condition). */
static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Packets `call` receives in `ms` of main loop. */
static guint64
received_during (TrvCall *call, guint ms)
{
  guint64 before = rtp_received (call);
  run_for (ms);
  return rtp_received (call) - before;
}

/* Each notify as "name" or "name=value" for the enums, in order. */
static void
on_notify_log (GObject *object, GParamSpec *pspec, GPtrArray *log)
{
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      gint value = 0;
      g_object_get (object, pspec->name, &value, NULL);
      g_ptr_array_add (log, g_strdup_printf ("%s=%s", pspec->name,
                                             trv_enum_to_nick (pspec->value_type, value)));
    }
  else
    g_ptr_array_add (log, g_strdup (pspec->name));
}

static void
on_state_changed_log (TrvCall *call, TrvCallState old_state, GPtrArray *log)
{
  g_ptr_array_add (log, g_strdup_printf ("state-changed:%s->%s",
                                         trv_enum_to_nick (TRV_TYPE_CALL_STATE, old_state),
                                         trv_enum_to_nick (TRV_TYPE_CALL_STATE,
                                                           trv_call_get_state (call))));
}

static guint
log_count (GPtrArray *log, const char *entry)
{
  guint n = 0;
  for (guint i = 0; i < log->len; i++)
    n += g_str_equal (log->pdata[i], entry);
  return n;
}

static gint
log_index (GPtrArray *log, const char *entry)
{
  for (guint i = 0; i < log->len; i++)
    if (g_str_equal (log->pdata[i], entry))
      return i;
  return -1;
}

/* TrvCall's properties are notified once per change, the state as an enum, and
 * "state-changed" carries a TrvCallState, after notify::state. */
static void
test_call_properties (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bob_log = g_ptr_array_new_with_free_func (g_free);

  GParamSpec *reg = g_object_class_find_property (G_OBJECT_GET_CLASS (f->alice),
                                                  "registration-state");
  g_assert_true (G_IS_PARAM_SPEC_ENUM (reg));
  g_assert_true (reg->value_type == TRV_TYPE_REGISTRATION_STATE);
  GSignalQuery query;
  g_signal_query (g_signal_lookup ("state-changed", TRV_TYPE_CALL), &query);
  g_assert_cmpuint (query.n_params, ==, 1);
  g_assert_true (query.param_types[0] == TRV_TYPE_CALL_STATE);

  g_autoptr(TrvCall) call = dial_bob (f);
  g_signal_connect (call, "notify", G_CALLBACK (on_notify_log), log);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_state_changed_log), log);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
  g_assert_cmpint (log_count (log, "state=active"), ==, 1);
  gint changed = MAX (log_index (log, "state-changed:dialing->active"),
                      log_index (log, "state-changed:ringing->active"));
  g_assert_cmpint (changed, >, log_index (log, "state=active"));
  g_assert_cmpint (log_count (log, "sip-status"), ==, 1);
  TrvCallState state = TRV_CALL_STATE_ENDED;
  guint status = 0;
  g_object_get (call, "state", &state, "sip-status", &status, NULL);
  g_assert_cmpint (state, ==, TRV_CALL_STATE_ACTIVE);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));

  /* "muted" is writable and notifies only on a change. */
  g_object_set (call, "muted", TRUE, NULL);
  g_assert_true (trv_call_get_muted (call));
  trv_call_set_muted (call, TRUE);
  g_assert_cmpint (log_count (log, "muted"), ==, 1);
  trv_call_set_muted (call, FALSE);
  g_assert_cmpint (log_count (log, "muted"), ==, 2);

  g_assert_nonnull (f->bob_call);
  g_signal_connect (f->bob_call, "notify", G_CALLBACK (on_notify_log), bob_log);
  g_assert_true (trv_call_set_held (call, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (bob_remote_held, f, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_is_held, call, WAIT_LIMIT_MS));
  g_assert_cmpint (log_count (log, "state=held"), ==, 1);
  g_assert_cmpint (log_count (bob_log, "remote-held"), ==, 1);
  g_assert_cmpint (log_count (bob_log, "remote-hold-count"), ==, 1);
  g_assert_true (trv_call_set_held (call, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (bob_not_remote_held, f, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
  g_assert_cmpint (log_count (log, "state=active"), ==, 2);
  g_assert_cmpint (log_count (bob_log, "remote-held"), ==, 2);
  g_assert_cmpint (log_count (bob_log, "remote-hold-count"), ==, 1);
  g_assert_cmpint (log_count (bob_log, "state=active"), ==, 0);   /* bob stayed active */

  trv_call_hangup (call);
  g_assert_cmpint (log_count (log, "end-reason=local-hangup"), ==, 1);
  g_assert_cmpint (log_count (log, "state=ended"), ==, 1);
  g_assert_cmpint (log_count (log, "state-changed:active->ended"), ==, 1);
  g_assert_cmpint (log_index (log, "end-reason=local-hangup"), <, log_index (log, "state=ended"));
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, f->bob_call, WAIT_LIMIT_MS));
  g_assert_cmpint (log_count (bob_log, "end-reason=remote-hangup"), ==, 1);
  g_signal_handlers_disconnect_by_data (call, log);
  g_signal_handlers_disconnect_by_data (f->bob_call, bob_log);
}

/* One active plus one held call: alice holds bob, calls carol, then swaps. The held peer
 * gets no audio at all (not alice's microphone while she talks to carol). */
static void
test_active_plus_held (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TrvUserAgent *carol = make_agent ("carol");
  g_autoptr(TrvCall) carol_call = NULL;
  g_signal_connect (carol, "incoming-call", G_CALLBACK (on_incoming_answer), &carol_call);

  g_autoptr(TrvCall) to_bob = dial_bob (f);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, to_bob, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, f->bob_call, WAIT_LIMIT_MS));
  g_assert_true (trv_call_set_held (to_bob, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_held, to_bob, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (bob_remote_held, f, WAIT_LIMIT_MS));

  g_autoptr(TrvCall) to_carol =
    g_object_ref (trv_user_agent_dial (f->alice, trv_user_agent_get_contact_uri (carol), &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, to_carol, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, to_carol, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, carol_call, WAIT_LIMIT_MS));
  g_assert_cmpuint (g_list_length (trv_user_agent_get_calls (f->alice)), ==, 2);
  g_assert_cmpint (trv_call_get_state (to_bob), ==, TRV_CALL_STATE_HELD);

  /* 1.5 s: the active call carries audio both ways (50 packets/s at 20 ms); nothing goes
   * to or comes from the held peer (a packet or two still in flight at most). */
  guint64 carol_got = rtp_received (carol_call), alice_got = rtp_received (to_carol);
  guint64 bob_got = received_during (f->bob_call, 1500);
  guint64 alice_from_bob = rtp_received (to_bob);
  run_for (500);
  g_assert_cmpuint (rtp_received (to_bob) - alice_from_bob, <=, 2);
  g_assert_cmpuint (bob_got, <=, 2);
  g_assert_cmpuint (rtp_received (carol_call) - carol_got, >=, 50);
  g_assert_cmpuint (rtp_received (to_carol) - alice_got, >=, 50);
  g_assert_cmpint (trv_call_get_state (to_bob), ==, TRV_CALL_STATE_HELD);
  g_assert_true (trv_call_get_remote_held (f->bob_call));

  /* Swap: carol on hold, bob back. Now bob hears alice again and carol does not. */
  g_assert_true (trv_call_set_held (to_carol, TRUE, &error));
  g_assert_true (trv_test_wait_for (trv_test_call_is_held, to_carol, WAIT_LIMIT_MS));
  g_assert_true (trv_call_set_held (to_bob, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, to_bob, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (bob_not_remote_held, f, WAIT_LIMIT_MS));
  run_for (300);
  g_assert_cmpuint (received_during (f->bob_call, 1000), >=, 30);
  g_assert_cmpuint (received_during (to_bob, 1000), >=, 30);
  g_assert_cmpuint (received_during (carol_call, 1000), <=, 2);
  g_assert_cmpint (trv_call_get_state (to_carol), ==, TRV_CALL_STATE_HELD);

  /* Both hang up cleanly: the held one too. */
  trv_call_hangup (to_carol);
  trv_call_hangup (to_bob);
  g_assert_cmpint (trv_call_get_end_reason (to_carol), ==, TRV_CALL_END_LOCAL_HANGUP);
  g_assert_cmpint (trv_call_get_end_reason (to_bob), ==, TRV_CALL_END_LOCAL_HANGUP);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, carol_call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, f->bob_call, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_end_reason (carol_call), ==, TRV_CALL_END_REMOTE_HANGUP);
  g_assert_cmpint (trv_call_get_end_reason (f->bob_call), ==, TRV_CALL_END_REMOTE_HANGUP);
  g_assert_null (trv_user_agent_get_calls (f->alice));

  g_signal_handlers_disconnect_by_data (carol, &carol_call);
  trv_test_agent_shutdown (carol, WAIT_LIMIT_MS);
  g_object_unref (carol);
}

static void
test_no_common_codec (Fixture *f, gconstpointer data)
{
  /* bob only takes PCMA; alice offers PCMU only. */
  g_autoptr(TrvMediaConfig) pcmu = trv_media_config_new ();
  g_strfreev (pcmu->codecs);
  pcmu->codecs = g_strsplit ("PCMU", ",", -1);
  g_autoptr(TrvMediaConfig) pcma = trv_media_config_new ();
  g_strfreev (pcma->codecs);
  pcma->codecs = g_strsplit ("PCMA", ",", -1);

  g_autoptr(TrvAccountConfig) acc = trv_account_config_new ();
  acc->address = g_strdup ("sip:carol@127.0.0.1");
  acc->do_register = FALSE;
  g_assert_true (trv_account_config_validate (acc, NULL));
  g_autoptr(TrvUserAgent) carol = trv_user_agent_new (acc, NULL, pcmu);
  g_autoptr(TrvUserAgent) dave = trv_user_agent_new (acc, NULL, pcma);
  g_assert_true (trv_user_agent_start (carol, "127.0.0.1", NULL));
  g_assert_true (trv_user_agent_start (dave, "127.0.0.1", NULL));

  g_autoptr(GError) error = NULL;
  TrvCall *call = trv_user_agent_dial (carol, trv_user_agent_get_contact_uri (dave), &error);
  g_assert_no_error (error);
  g_object_ref (call);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, call, WAIT_LIMIT_MS));
  g_assert_cmpuint (trv_call_get_sip_status (call), ==, 488);
  g_assert_error (trv_call_get_error (call), TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC);
  g_object_unref (call);
  trv_test_agent_shutdown (carol, WAIT_LIMIT_MS);
  trv_test_agent_shutdown (dave, WAIT_LIMIT_MS);
}

static void
on_echo_shutdown (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *done = data;
  trv_echo_endpoint_shutdown_finish (TRV_ECHO_ENDPOINT (source), result, NULL);
  *done = TRUE;
}

static void
test_echo_endpoint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvEchoEndpoint) echo = trv_echo_endpoint_new (NULL);
  g_assert_true (trv_echo_endpoint_start (echo, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (trv_echo_endpoint_get_uri (echo), "sip:echo@127.0.0.1:"));

  TrvUserAgent *agent = trv_user_agent_new (NULL, NULL, NULL);
  g_autoptr(TrvMediaOptions) options = trv_media_options_new ();
  options->source_desc = g_strdup ("audiotestsrc is-live=true wave=sine freq=440");
  options->sink_desc = g_strdup ("fakesink sync=false");
  trv_user_agent_set_media_options (agent, options);
  g_assert_true (trv_user_agent_start (agent, "127.0.0.1", &error));
  g_autoptr(TrvCall) call = g_object_ref (trv_user_agent_dial (agent, trv_echo_endpoint_get_uri (echo), &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
  /* Media back from the echo endpoint proves the loop through its decoder and encoder. */
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));
  trv_call_hangup (call);
  trv_test_agent_shutdown (agent, WAIT_LIMIT_MS);
  g_object_unref (agent);

  gboolean done = FALSE;
  trv_echo_endpoint_shutdown_async (echo, on_echo_shutdown, &done);
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_MS * 1000;
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done);
}

/* Over TLS sofia trusts <tls_dir>/cafile.pem: the system CAs, taken from SSL_CERT_FILE
 * when it is set (else the build's ca_bundle), followed by the account's ca-file. */
static void
test_tls_ca_bundle (void)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  /* Two real certificates (from the build's bundle), so that sofia's TLS set-up accepts
   * the file; the test then points SSL_CERT_FILE at another file. */
  g_autofree gchar *bundle = NULL;
  if (!g_file_get_contents (TRV_CA_BUNDLE, &bundle, NULL, NULL))
    {
      g_test_skip ("no system CA bundle to take certificates from");
      return;
    }
  const char *end_marker = "-----END CERTIFICATE-----\n";
  char *first_end = strstr (bundle, end_marker);
  g_assert_nonnull (first_end);
  char *second = first_end + strlen (end_marker);
  char *second_end = strstr (second, end_marker);
  g_assert_nonnull (second_end);
  g_autofree gchar *system_pem = g_strndup (bundle, second - bundle);
  g_autofree gchar *account_pem = g_strndup (second, second_end + strlen (end_marker) - second);

  g_autoptr(GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("trv-test-ca-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *system_file = g_build_filename (dir, "system.pem", NULL);
  g_autofree gchar *account_file = g_build_filename (dir, "account.pem", NULL);
  g_assert_true (g_file_set_contents (system_file, system_pem, -1, NULL));
  g_assert_true (g_file_set_contents (account_file, account_pem, -1, NULL));
  g_setenv ("SSL_CERT_FILE", system_file, TRUE);

  g_autoptr(TrvAccountConfig) acc = trv_test_account_new ("tls");
  acc->transport = TRV_SIP_TRANSPORT_TLS;
  acc->ca_file = g_strdup (account_file);
  TrvUserAgent *agent = trv_test_agent_start (acc);
  g_autofree gchar *cafile = g_build_filename (agent->tls_dir, "cafile.pem", NULL);
  g_autofree gchar *trusted = NULL;
  g_assert_true (g_file_get_contents (cafile, &trusted, NULL, NULL));
  g_autofree gchar *expected = g_strconcat (system_pem, "\n", account_pem, NULL);
  g_assert_cmpstr (trusted, ==, expected);
  trv_test_agent_shutdown (agent, WAIT_LIMIT_MS);
  g_object_unref (agent);
  g_unlink (system_file);
  g_unlink (account_file);
  g_rmdir (dir);
}

/* tel: links and typed numbers: visual separators and tel: parameters go, ;user=phone marks a
 * tel: number. carol's account domain is bob's address, so "tel:..." reaches bob. */
static void
test_tel_link (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *contact = trv_user_agent_get_contact_uri (f->bob);
  const char *at = strchr (contact, '@');
  g_assert_nonnull (at);
  g_autofree gchar *hostport = g_strndup (at + 1, strcspn (at + 1, ";>"));
  g_autoptr(TrvAccountConfig) acc = trv_test_account_new ("carol");
  g_free (acc->address);
  acc->address = g_strdup_printf ("sip:carol@%s", hostport);
  TrvUserAgent *carol = trv_test_agent_start (acc);

  struct { const char *dialled, *uri_user, *uri_params; } cases[] = {
    { "tel:+1 (555) 123-45.67", "+15551234567", ";user=phone" },
    { "TEL:555-0100", "5550100", ";user=phone" },
    { "tel:7042;phone-context=example.com", "7042", ";user=phone" },
    { "030 1234-56", "030123456", "" },
    { "first.last", "first.last", "" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      f->bob_reject = i == 0 ? 0 : 486;
      g_clear_object (&f->bob_call);
      g_autoptr(TrvCall) call = g_object_ref (trv_user_agent_dial (carol, cases[i].dialled, &error));
      g_assert_no_error (error);
      g_autofree gchar *want = g_strdup_printf ("sip:%s@%s%s", cases[i].uri_user, hostport,
                                                cases[i].uri_params);
      g_assert_cmpstr (trv_call_get_remote_uri (call), ==, want);
      if (i == 0)
        {
          g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
          g_assert_true (bob_has_call (f));
          trv_call_hangup (call);
          g_assert_true (trv_test_wait_for (trv_test_call_is_ended, f->bob_call, WAIT_LIMIT_MS));
        }
      else
        {
          g_assert_true (trv_test_wait_for (trv_test_call_is_ended, call, WAIT_LIMIT_MS));
          g_assert_cmpuint (trv_call_get_sip_status (call), ==, 486);
        }
    }
  /* A SIP URI with its scheme in capitals is still a SIP URI. */
  g_autofree gchar *upper = g_strdup_printf ("SIP:%s", contact + strlen ("sip:"));
  g_assert_true (g_str_has_prefix (contact, "sip:"));
  f->bob_reject = 486;
  g_autoptr(TrvCall) call = g_object_ref (trv_user_agent_dial (carol, upper, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (trv_call_get_remote_uri (call), ==, contact);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, call, WAIT_LIMIT_MS));
  g_assert_cmpuint (trv_call_get_sip_status (call), ==, 486);

  /* Letters make it a user name: nothing is stripped, spaces stay an error. */
  g_assert_null (trv_user_agent_dial (carol, "tel:call me", &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED);
  g_clear_error (&error);
  /* What sofia cannot parse is refused at once instead of leaving a call that never ends. */
  g_assert_null (trv_user_agent_dial (carol, "7042;x=1", &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_CALL_FAILED);
  g_assert_nonnull (strstr (error->message, "not a valid SIP address"));
  g_assert_null (trv_user_agent_get_calls (carol));

  trv_test_agent_shutdown (carol, WAIT_LIMIT_MS);
  g_object_unref (carol);
}

/* The URI others call this agent at: the contact, with a routable address in place of
 * 0.0.0.0 when the agent listens on every address. */
static void
test_direct_uri (void)
{
  g_autoptr(GError) error = NULL;
  TrvUserAgent *bound = trv_user_agent_new (NULL, NULL, NULL);
  g_assert_null (trv_user_agent_dup_direct_uri (bound));
  g_assert_true (trv_user_agent_start (bound, "127.0.0.1", &error));
  g_assert_no_error (error);
  g_autofree gchar *same = trv_user_agent_dup_direct_uri (bound);
  g_assert_cmpstr (same, ==, trv_user_agent_get_contact_uri (bound));
  g_assert_true (g_str_has_prefix (same, "sip:traverse@127.0.0.1:"));
  trv_test_agent_shutdown (bound, WAIT_LIMIT_MS);
  g_object_unref (bound);

  TrvUserAgent *any = trv_user_agent_new (NULL, NULL, NULL);
  g_assert_true (trv_user_agent_start (any, NULL, &error));
  g_assert_no_error (error);
  const char *contact = trv_user_agent_get_contact_uri (any);
  g_assert_true (g_str_has_prefix (contact, "sip:traverse@0.0.0.0:"));
  g_autofree gchar *local = trv_net_local_address_for ("192.0.2.1", NULL);
  g_autofree gchar *expected = g_strdup_printf ("sip:traverse@%s%s", local ? local : "127.0.0.1",
                                                contact + strlen ("sip:traverse@0.0.0.0"));
  g_autofree gchar *direct = trv_user_agent_dup_direct_uri (any);
  g_assert_cmpstr (direct, ==, expected);
  trv_test_agent_shutdown (any, WAIT_LIMIT_MS);
  g_object_unref (any);

  /* Calls through an outbound proxy only: no address to hand out for direct calls, until
   * account.allow-direct-calls says so. */
  for (gboolean allow = FALSE; allow <= TRUE; allow++)
    {
      g_autoptr(TrvAccountConfig) acc = trv_test_account_new ("alice");
      acc->proxy = g_strdup ("127.0.0.1:9");
      acc->allow_direct_calls = allow;
      TrvUserAgent *proxied = trv_test_agent_start (acc);
      g_autofree gchar *uri = trv_user_agent_dup_direct_uri (proxied);
      if (allow)
        g_assert_cmpstr (uri, ==, trv_user_agent_get_contact_uri (proxied));
      else
        g_assert_null (uri);
      trv_test_agent_shutdown (proxied, WAIT_LIMIT_MS);
      g_object_unref (proxied);
    }
}

/* The address people outside reach: a configured public address (port forwarded), else
 * the last probe's mapped address with our port, nothing behind a symmetric NAT, and the
 * direct address itself without NAT. */
static void
test_public_reach (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->mode = TRV_NAT_MODE_NONE;
  nat->public_address = g_strdup ("203.0.113.10");
  TrvUserAgent *agent = trv_user_agent_new (NULL, nat, NULL);
  gchar *uri = NULL;
  g_assert_cmpint (trv_user_agent_get_public_reach (agent, NULL, &uri), ==,
                   TRV_PUBLIC_REACH_UNKNOWN);
  g_assert_null (uri);
  g_assert_true (trv_user_agent_start (agent, "127.0.0.1", &error));
  g_assert_no_error (error);
  guint16 port = trv_user_agent_get_local_port (agent);
  g_autofree gchar *expected = g_strdup_printf ("sip:traverse@203.0.113.10:%u", port);
  g_assert_cmpint (trv_user_agent_get_public_reach (agent, NULL, &uri), ==,
                   TRV_PUBLIC_REACH_CONFIGURED);
  g_assert_cmpstr (uri, ==, expected);
  g_clear_pointer (&uri, g_free);
  trv_test_agent_shutdown (agent, WAIT_LIMIT_MS);
  g_object_unref (agent);

  TrvUserAgent *plain = trv_user_agent_new (NULL, NULL, NULL);
  g_assert_true (trv_user_agent_start (plain, "127.0.0.1", &error));
  g_assert_no_error (error);
  port = trv_user_agent_get_local_port (plain);
  g_autoptr(TrvNatReport) report = trv_nat_report_new ();
  g_assert_cmpint (trv_user_agent_get_public_reach (plain, report, &uri), ==,
                   TRV_PUBLIC_REACH_UNKNOWN);
  report->stun_reachable = TRUE;
  report->mapped_address = g_strdup ("198.51.100.7:40000");
  report->behind_nat = TRUE;
  report->mapping = TRV_NAT_MAPPING_ENDPOINT_INDEPENDENT;
  g_autofree gchar *mapped = g_strdup_printf ("sip:traverse@198.51.100.7:%u", port);
  g_assert_cmpint (trv_user_agent_get_public_reach (plain, report, &uri), ==,
                   TRV_PUBLIC_REACH_MAPPED);
  g_assert_cmpstr (uri, ==, mapped);
  g_clear_pointer (&uri, g_free);
  report->mapping = TRV_NAT_MAPPING_ENDPOINT_DEPENDENT;
  g_assert_cmpint (trv_user_agent_get_public_reach (plain, report, &uri), ==,
                   TRV_PUBLIC_REACH_SYMMETRIC);
  g_assert_null (uri);
  report->behind_nat = FALSE;
  report->mapping = TRV_NAT_MAPPING_NO_NAT;
  g_assert_cmpint (trv_user_agent_get_public_reach (plain, report, &uri), ==,
                   TRV_PUBLIC_REACH_SAME);
  g_assert_null (uri);
  trv_test_agent_shutdown (plain, WAIT_LIMIT_MS);
  g_object_unref (plain);
}

/* The echo test past the account: with an outbound proxy nobody answers on (and a
 * registration that cannot succeed), trv_user_agent_dial_local() still reaches the echo
 * endpoint (ui-echo-account shows the registrar never sees it). */
static void
test_dial_local (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvEchoEndpoint) echo = trv_echo_endpoint_new (NULL);
  g_assert_true (trv_echo_endpoint_start (echo, &error));
  g_autoptr(TrvAccountConfig) acc = trv_test_account_new ("alice");
  acc->proxy = g_strdup ("127.0.0.1:9");
  TrvUserAgent *agent = trv_test_agent_start (acc);

  g_autoptr(TrvCall) call =
    g_object_ref (trv_user_agent_dial_local (agent, trv_echo_endpoint_get_uri (echo), &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
  trv_call_hangup (call);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, call, WAIT_LIMIT_MS));
  trv_test_agent_shutdown (agent, WAIT_LIMIT_MS);
  g_object_unref (agent);

  gboolean done = FALSE;
  trv_echo_endpoint_shutdown_async (echo, on_echo_shutdown, &done);
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_MS * 1000;
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

/* The port of last time is taken again while it is free, another one when it is not. */
static void
test_preferred_port (void)
{
  g_autoptr(GError) error = NULL;
  guint16 wanted = trv_net_free_port ("127.0.0.1", G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);

  TrvUserAgent *first = trv_user_agent_new (NULL, NULL, NULL);
  g_assert_cmpuint (trv_user_agent_get_local_port (first), ==, 0);
  trv_user_agent_set_preferred_port (first, wanted);
  g_assert_true (trv_user_agent_start (first, "127.0.0.1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (trv_user_agent_get_local_port (first), ==, wanted);

  TrvUserAgent *second = trv_user_agent_new (NULL, NULL, NULL);
  trv_user_agent_set_preferred_port (second, wanted);
  g_assert_true (trv_user_agent_start (second, "127.0.0.1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (trv_user_agent_get_local_port (second), !=, 0);
  g_assert_cmpuint (trv_user_agent_get_local_port (second), !=, wanted);

  trv_test_agent_shutdown (second, WAIT_LIMIT_MS);
  g_object_unref (second);
  trv_test_agent_shutdown (first, WAIT_LIMIT_MS);
  g_object_unref (first);
}

/* The user part of the URIs the core hands out, read by sofia's URL parser. */
static void
test_uri_user (void)
{
  static const struct { const char *uri, *user; } cases[] = {
    { "sip:bob@example.org", "bob" },
    { "sips:+4930123@example.org;user=phone", "+4930123" },
    { "sip:alice@[2001:db8::1]:5061;transport=tcp", "alice" },
    { "sip:bob:secret@example.org", "bob" },
    { "sip:example.org", NULL },
    { "sip:echo@127.0.0.1:5071", "echo" },
    { NULL, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *user = trv_sip_uri_dup_user (cases[i].uri);
      g_assert_cmpstr (user, ==, cases[i].user);
    }
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/user-agent/call-answer-hangup", Fixture, NULL, fixture_setup,
              test_call_answer_hangup, fixture_teardown);
  g_test_add ("/user-agent/call-reject", Fixture, NULL, fixture_setup,
              test_call_reject, fixture_teardown);
  g_test_add ("/user-agent/call-cancel", Fixture, NULL, fixture_setup,
              test_call_cancel, fixture_teardown);
  g_test_add ("/user-agent/hold-dtmf-remote-bye", Fixture, NULL, fixture_setup,
              test_call_hold_dtmf_remote_bye, fixture_teardown);
  g_test_add ("/user-agent/call-properties", Fixture, NULL, fixture_setup,
              test_call_properties, fixture_teardown);
  g_test_add ("/user-agent/active-plus-held", Fixture, NULL, fixture_setup,
              test_active_plus_held, fixture_teardown);
  g_test_add ("/user-agent/no-common-codec", Fixture, NULL, fixture_setup,
              test_no_common_codec, fixture_teardown);
  g_test_add ("/user-agent/tel-link", Fixture, NULL, fixture_setup,
              test_tel_link, fixture_teardown);
  g_test_add_func ("/user-agent/echo-endpoint", test_echo_endpoint);
  g_test_add_func ("/user-agent/direct-uri", test_direct_uri);
  g_test_add_func ("/user-agent/public-reach", test_public_reach);
  g_test_add_func ("/user-agent/dial-local", test_dial_local);
  g_test_add_func ("/user-agent/preferred-port", test_preferred_port);
  g_test_add_func ("/sip-uri/user", test_uri_user);
  g_test_add_func ("/user-agent/tls-ca-bundle", test_tls_ca_bundle);
  return g_test_run ();
}
