/* test-ui-model.c: the desktop app's GLib-only parts: the words for the media path and
 * quality figures, the persisted call history, and the ringtone. */
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "trv-connection-text.h"
#include "trv-nat-chooser.h"
#include "trv-recent-calls.h"
#include "trv-ringer.h"

static void
assert_path (TrvPathType lt, const char *la, TrvPathType rt, const char *ra,
             const char *proto, const char *turn, const char *expected)
{
  g_autofree gchar *words = trv_connection_describe_path (lt, la, rt, ra, proto, turn);
  g_assert_cmpstr (words, ==, expected);
}

static void
test_path_words (void)
{
  assert_path (TRV_PATH_UNKNOWN, NULL, TRV_PATH_UNKNOWN, NULL, NULL, NULL, "Not connected yet");
  assert_path (TRV_PATH_HOST, "192.168.1.5:5004", TRV_PATH_HOST, "192.168.1.9:6000", "udp",
               NULL, "Direct");
  assert_path (TRV_PATH_SRFLX, "203.0.113.4:40000", TRV_PATH_HOST, "198.51.100.2:6000", "udp",
               NULL, "Through NAT (STUN)");
  assert_path (TRV_PATH_HOST, "198.51.100.2:6000", TRV_PATH_PRFLX, "203.0.113.4:40000", "udp",
               NULL, "Through NAT (STUN)");
  /* The configured server name is what the user recognises ... */
  assert_path (TRV_PATH_RELAY, "203.0.113.9:50000", TRV_PATH_SRFLX, "198.51.100.2:6000", "udp",
               "turn.example.org:3478", "Relayed via TURN server turn.example.org:3478");
  /* ... without one (discovered by SRV) the relay's address stands in. */
  assert_path (TRV_PATH_RELAY, "203.0.113.9:50000", TRV_PATH_HOST, "198.51.100.2:6000", "udp",
               NULL, "Relayed via TURN server 203.0.113.9");
  assert_path (TRV_PATH_RELAY, "[2001:db8::9]:50000", TRV_PATH_HOST, "[2001:db8::2]:6000", "udp",
               "", "Relayed via TURN server 2001:db8::9");
  assert_path (TRV_PATH_HOST, "198.51.100.2:6000", TRV_PATH_RELAY, "203.0.113.7:41000", "udp",
               "turn.example.org", "Relayed via the other side's TURN server 203.0.113.7");
  assert_path (TRV_PATH_RELAY, "203.0.113.9:50000", TRV_PATH_HOST, "198.51.100.2:6000", "tcp",
               "turn.example.org", "Relayed via TURN server turn.example.org, over TCP");
}

static void
test_figures (void)
{
  g_autofree gchar *unknown_rtt = trv_connection_format_ms (-1);
  g_autofree gchar *rtt = trv_connection_format_ms (12.4);
  g_autofree gchar *no_loss = trv_connection_format_loss (0, 500);
  g_autofree gchar *loss = trv_connection_format_loss (3, 597);
  g_autofree gchar *short_call = trv_connection_format_duration (65.9);
  g_autofree gchar *long_call = trv_connection_format_duration (3723);
  g_autofree gchar *negative = trv_connection_format_duration (-3);

  g_assert_cmpstr (unknown_rtt, ==, "Not measured yet");
  g_assert_cmpstr (rtt, ==, "12 ms");
  g_assert_cmpstr (no_loss, ==, "None");
  g_assert_cmpstr (loss, ==, "0.5 % (3 of 600 packets)");
  g_assert_cmpstr (short_call, ==, "1:05");
  g_assert_cmpstr (long_call, ==, "1:02:03");
  g_assert_cmpstr (negative, ==, "0:00");
  g_assert_cmpstr (trv_connection_describe_candidate (TRV_PATH_RELAY), ==,
                   "Relayed (address on a TURN server)");
}

static void
test_quality_words (void)
{
  struct { double r, mos; const char *expected; } cases[] = {
    { 93.2, 4.41, "Excellent (estimated MOS 4.4)" },
    { 85.0, 4.18, "Good (estimated MOS 4.2)" },
    { 75.0, 3.83, "Fair (estimated MOS 3.8)" },
    { 65.0, 3.35, "Poor (estimated MOS 3.4)" },
    { 40.0, 2.06, "Bad (estimated MOS 2.1)" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *got = trv_connection_describe_quality (cases[i].r, cases[i].mos);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_silence_words (void)
{
  g_autofree gchar *early = trv_connection_describe_silence (TRV_SILENCE_HINT_SECONDS - 0.5, FALSE);
  g_autofree gchar *blocked = trv_connection_describe_silence (TRV_SILENCE_HINT_SECONDS, FALSE);
  g_autofree gchar *blocked_later = trv_connection_describe_silence (60, FALSE);
  g_autofree gchar *stopped = trv_connection_describe_silence (12, TRUE);

  g_assert_null (early);
  g_assert_nonnull (strstr (blocked, "firewall or NAT"));
  g_assert_cmpstr (blocked, ==, blocked_later);   /* announced once, not every second */
  g_assert_nonnull (strstr (stopped, "has stopped"));
}

static void
test_party_names (void)
{
  struct { const char *name, *uri, *expected; } cases[] = {
    { "Bob Smith", "sip:bob@example.org", "Bob Smith" },
    { NULL, "sip:bob@example.org", "bob" },
    { "", "sips:+4930123@example.org;user=phone", "+4930123" },
    { NULL, "sip:example.org", "sip:example.org" },
    { NULL, NULL, "" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *got = trv_party_short_name (cases[i].name, cases[i].uri);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static gchar *
temp_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("trv-history-XXXXXX", &error);
  g_assert_no_error (error);
  /* A directory that does not exist yet: the store creates it on the first save. */
  return g_build_filename (dir, "traverse", "recent-calls.ini", NULL);
}

static void
remove_history (const char *path)
{
  g_autofree gchar *dir = g_path_get_dirname (path);
  g_autofree gchar *top = g_path_get_dirname (dir);
  g_unlink (path);
  g_rmdir (dir);
  g_rmdir (top);
}

static TrvRecentCall *
item (TrvRecentCalls *calls, guint i)
{
  /* The model keeps its own reference. */
  TrvRecentCall *call = g_list_model_get_item (G_LIST_MODEL (calls), i);
  g_object_unref (call);
  return call;
}

static void
test_history_roundtrip (void)
{
  g_autofree gchar *path = temp_history ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvRecentCalls) calls = trv_recent_calls_new (path);

  g_assert_true (trv_recent_calls_load (calls, &error));   /* no file yet: empty */
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (calls)), ==, 0);

  g_autoptr(TrvRecentCall) a = trv_recent_call_new ("sip:alice@example.org", "Alice", TRUE,
                                                    1764000000, 42.5,
                                                    TRV_RECENT_OUTCOME_ANSWERED, FALSE);
  g_autoptr(TrvRecentCall) b = trv_recent_call_new ("sip:echo@127.0.0.1:5070", NULL, FALSE,
                                                    1764000100, 0,
                                                    TRV_RECENT_OUTCOME_FAILED, TRUE);
  g_assert_true (trv_recent_calls_add (calls, a, &error));
  g_assert_true (trv_recent_calls_add (calls, b, &error));
  g_assert_no_error (error);

  g_autoptr(TrvRecentCalls) again = trv_recent_calls_new (path);
  g_assert_true (trv_recent_calls_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  TrvRecentCall *first = item (again, 0), *second = item (again, 1);
  /* Newest first. */
  g_assert_cmpstr (trv_recent_call_get_uri (first), ==, "sip:echo@127.0.0.1:5070");
  g_assert_null (trv_recent_call_get_name (first));
  g_assert_false (trv_recent_call_get_incoming (first));
  g_assert_true (trv_recent_call_get_echo_test (first));
  g_assert_cmpint (trv_recent_call_get_outcome (first), ==, TRV_RECENT_OUTCOME_FAILED);
  g_assert_cmpstr (trv_recent_call_get_uri (second), ==, "sip:alice@example.org");
  g_assert_cmpstr (trv_recent_call_get_name (second), ==, "Alice");
  g_assert_true (trv_recent_call_get_incoming (second));
  g_assert_false (trv_recent_call_get_echo_test (second));
  g_assert_cmpint (trv_recent_call_get_time (second), ==, 1764000000);
  g_assert_cmpfloat_with_epsilon (trv_recent_call_get_duration (second), 42.5, 1e-9);
  g_assert_cmpint (trv_recent_call_get_outcome (second), ==, TRV_RECENT_OUTCOME_ANSWERED);
  remove_history (path);
}

static void
test_history_limit (void)
{
  g_autofree gchar *path = temp_history ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvRecentCalls) calls = trv_recent_calls_new (path);

  for (guint i = 0; i < TRV_RECENT_CALLS_MAX + 5; i++)
    {
      g_autofree gchar *uri = g_strdup_printf ("sip:%u@example.org", i);
      g_autoptr(TrvRecentCall) c = trv_recent_call_new (uri, NULL, FALSE, 1764000000 + i, 1,
                                                        TRV_RECENT_OUTCOME_ANSWERED, FALSE);
      g_assert_true (trv_recent_calls_add (calls, c, &error));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (calls)), ==, TRV_RECENT_CALLS_MAX);
  g_autoptr(TrvRecentCalls) again = trv_recent_calls_new (path);
  g_assert_true (trv_recent_calls_load (again, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, TRV_RECENT_CALLS_MAX);
  g_assert_cmpstr (trv_recent_call_get_uri (item (again, 0)), ==, "sip:104@example.org");
  g_assert_cmpstr (trv_recent_call_get_uri (item (again, TRV_RECENT_CALLS_MAX - 1)), ==,
                   "sip:5@example.org");
  remove_history (path);
}

static void
test_history_damaged (void)
{
  g_autofree gchar *path = temp_history ();
  g_autofree gchar *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  const char *bad[] = {
    "not a key file",
    "[call-000]\nuri=sip:a@b\ndirection=sideways\ntime=2026-01-01T00:00:00Z\n"
    "duration=1\noutcome=answered\n",
    "[call-000]\nuri=sip:a@b\ndirection=incoming\ntime=yesterday\nduration=1\noutcome=answered\n",
    "[call-000]\nuri=sip:a@b\ndirection=incoming\ntime=2026-01-01T00:00:00Z\nduration=-4\n"
    "outcome=answered\n",
    "[call-000]\ndirection=incoming\ntime=2026-01-01T00:00:00Z\nduration=1\noutcome=answered\n",
  };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TrvRecentCalls) calls = trv_recent_calls_new (path);
      g_assert_true (g_file_set_contents (path, bad[i], -1, NULL));
      g_assert_false (trv_recent_calls_load (calls, &error));
      /* The message names the file, so a user can find and fix or remove it. */
      g_assert_nonnull (strstr (error->message, path));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (calls)), ==, 0);
      g_clear_error (&error);
    }
  remove_history (path);
}

/* nat.mode = auto: the window says which method was picked and why. */
static void
test_auto_mode_words (void)
{
  g_autofree gchar *stun = trv_connection_describe_auto_mode (TRV_NAT_MODE_STUN,
                                                              TRV_TURN_TRANSPORT_UDP, TRUE,
                                                              "Your network allows it.");
  g_assert_cmpstr (stun, ==, "Through NAT (STUN) — chosen automatically: Your network allows it.");
  g_autofree gchar *tcp = trv_connection_describe_auto_mode (TRV_NAT_MODE_TURN,
                                                             TRV_TURN_TRANSPORT_TCP, TRUE, "x");
  g_assert_true (g_str_has_prefix (tcp, "Relayed via TURN over TCP — chosen automatically"));
  g_autofree gchar *failed = trv_connection_describe_auto_mode (TRV_NAT_MODE_ICE,
                                                                TRV_TURN_TRANSPORT_UDP, FALSE,
                                                                "no STUN server answered");
  g_assert_true (g_str_has_prefix (failed, "Best path (ICE) — the network test could not decide"));
  g_assert_nonnull (strstr (failed, "(no STUN server answered)"));
  g_autofree gchar *bare = trv_connection_describe_auto_mode (TRV_NAT_MODE_ICE,
                                                              TRV_TURN_TRANSPORT_UDP, FALSE, NULL);
  g_assert_cmpstr (bare, ==, "Best path (ICE) — the network test could not decide, so every "
                   "path will be tried");
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
} Choice;

static void
on_chooser_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Choice *c = data;
  c->ok = trv_nat_chooser_choose_finish (TRV_NAT_CHOOSER (source), result, &c->error);
  c->done = TRUE;
}

/* Returns the error of a failed choice, NULL when it succeeded. */
static GError *
choose (TrvNatChooser *chooser, const TrvNatConfig *nat, gboolean reset_at_once)
{
  Choice c = { 0 };
  trv_nat_chooser_choose_async (chooser, nat, NULL, NULL, on_chooser_done, &c);
  g_assert_true (trv_nat_chooser_is_choosing (chooser));
  if (reset_at_once)
    trv_nat_chooser_reset (chooser);
  gboolean timed_out = FALSE;
  guint guard = g_timeout_add (10000, set_flag, &timed_out);
  while (!c.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (c.done);
  g_source_remove (guard);
  g_assert_true (c.ok == (c.error == NULL));
  return c.error;
}

/* nat.mode = auto in the app: nothing to probe -> ICE and the reason; a reset cancels the
 * running choice and forgets the last one. */
static void
test_nat_chooser_choice (void)
{
  g_autoptr(TrvNatChooser) chooser = trv_nat_chooser_new (NULL);
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->mode = TRV_NAT_MODE_AUTO;
  nat->turn_transport = TRV_TURN_TRANSPORT_TCP;
  g_assert_null (trv_nat_chooser_get_description (chooser));

  g_assert_no_error (choose (chooser, nat, FALSE));
  g_assert_false (trv_nat_chooser_is_choosing (chooser));
  g_assert_cmpint (trv_nat_chooser_get_mode (chooser), ==, TRV_NAT_MODE_ICE);
  g_assert_cmpint (trv_nat_chooser_get_transport (chooser), ==, TRV_TURN_TRANSPORT_TCP);
  const char *words = trv_nat_chooser_get_description (chooser);
  g_assert_true (g_str_has_prefix (words, "Best path (ICE) — the network test could not decide ("));
  g_assert_nonnull (strstr (words, "no STUN or TURN server configured"));

  g_autoptr(GError) cancelled = choose (chooser, nat, TRUE);
  g_assert_error (cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (trv_nat_chooser_get_description (chooser));
  g_assert_false (trv_nat_chooser_is_choosing (chooser));
}

static void
count_signal (gpointer instance, guint *count)
{
  (*count)++;
}

/* A burst of network events is one re-probe, after the network settled. */
static void
test_nat_chooser_network_change (void)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  g_autoptr(TrvNatChooser) chooser = trv_nat_chooser_new (monitor);
  guint changes = 0;
  g_signal_connect (chooser, "network-changed", G_CALLBACK (count_signal), &changes);
  for (int i = 0; i < 3; i++)
    g_signal_emit_by_name (monitor, "network-changed", TRUE);
  g_assert_cmpuint (changes, ==, 0);

  gboolean waited = FALSE;
  g_timeout_add (3000, set_flag, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changes, ==, 1);
}

/* ---- the ringtone ------------------------------------------------------------------------ */

#define RING_RATE 8000

static void
run_main_loop_ms (guint ms)
{
  gboolean waited = FALSE;
  g_timeout_add (ms, set_flag, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
}

/* Rings for `ms` into a raw 8 kHz mono S16LE file and returns its samples. */
static GArray *
record_ring (TrvRinger *ringer, const char *path, guint ms)
{
  g_autofree gchar *contents = NULL;
  gsize length = 0;
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gint16));

  trv_ringer_start (ringer);
  g_assert_true (trv_ringer_is_ringing (ringer));
  run_main_loop_ms (ms);
  trv_ringer_stop (ringer);
  g_assert_false (trv_ringer_is_ringing (ringer));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_array_append_vals (samples, contents, length / sizeof (gint16));
  return samples;
}

static gboolean
window_silent (GArray *samples, guint from)
{
  for (guint i = from; i < from + RING_RATE / 50 && i < samples->len; i++)
    if (ABS (g_array_index (samples, gint16, i)) > 16)
      return FALSE;
  return TRUE;
}

/* The ringtone is a 440 Hz tone, 1 s on, then silent (3 s off), into the configured output;
 * a second ring starts with the tone again. */
static void
test_ringer_cadence (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("trv-ringer-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "ring.raw", NULL);
  g_autofree gchar *sink = g_strdup_printf ("audio/x-raw,format=S16LE,rate=%d,channels=1 ! "
                                            "filesink location=\"%s\"", RING_RATE, path);
  g_autoptr(TrvRinger) ringer = trv_ringer_new ();

  gst_init (NULL, NULL);
  g_unsetenv ("TRAVERSE_AUDIOSINK");    /* it would win over the set sink */
  trv_ringer_set_sink (ringer, sink);

  g_autoptr(GArray) ring = record_ring (ringer, path, 2000);
  g_assert_cmpuint (ring->len, >=, RING_RATE * 3 / 2);
  /* The tone: loud and 440 Hz over its first half second (zero crossings / 2 per s). */
  guint crossings = 0;
  gint peak = 0;
  for (guint i = 1; i < RING_RATE / 2; i++)
    {
      gint16 a = g_array_index (ring, gint16, i - 1), b = g_array_index (ring, gint16, i);
      crossings += (a < 0) != (b < 0);
      peak = MAX (peak, ABS (b));
    }
  g_assert_cmpint (peak, >, 8000);
  g_assert_cmpuint (crossings, >=, 400);    /* 440 Hz: 440 crossings in 0.5 s */
  g_assert_cmpuint (crossings, <=, 480);
  /* Then silence from about 1 s on (the main loop's timer may be late under load), to the
   * end of the recording. */
  guint silent_from = 0;
  for (guint i = 0; i < ring->len; i += RING_RATE / 50)
    if (window_silent (ring, i))
      {
        silent_from = i;
        break;
      }
  g_test_message ("ring: %u samples, %u zero crossings in 0.5 s, peak %d, silent from %u ms",
                  ring->len, crossings, peak, silent_from * 1000 / RING_RATE);
  g_assert_cmpuint (silent_from, >=, RING_RATE * 8 / 10);
  g_assert_cmpuint (silent_from, <=, RING_RATE * 14 / 10);
  for (guint i = silent_from; i + RING_RATE / 50 <= ring->len; i += RING_RATE / 50)
    g_assert_true (window_silent (ring, i));

  /* The next call's ring starts with the tone, not in the pause where this one stopped. */
  g_autoptr(GArray) again = record_ring (ringer, path, 500);
  g_assert_cmpuint (again->len, >=, RING_RATE / 4);
  g_assert_false (window_silent (again, RING_RATE / 10));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui-model/path-words", test_path_words);
  g_test_add_func ("/ui-model/figures", test_figures);
  g_test_add_func ("/ui-model/auto-mode-words", test_auto_mode_words);
  g_test_add_func ("/ui-model/nat-chooser/choice", test_nat_chooser_choice);
  g_test_add_func ("/ui-model/nat-chooser/network-change", test_nat_chooser_network_change);
  g_test_add_func ("/ui-model/quality-words", test_quality_words);
  g_test_add_func ("/ui-model/silence-words", test_silence_words);
  g_test_add_func ("/ui-model/party-names", test_party_names);
  g_test_add_func ("/ui-model/history/roundtrip", test_history_roundtrip);
  g_test_add_func ("/ui-model/history/limit", test_history_limit);
  g_test_add_func ("/ui-model/history/damaged", test_history_damaged);
  g_test_add_func ("/ui-model/ringer/cadence", test_ringer_cadence);
  return g_test_run ();
}
