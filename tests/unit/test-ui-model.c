/* SPDX-License-Identifier: GPL-3.0-or-later */
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
  /* The family is worth naming where it is IPv6 (RFC 8421 prefers it). */
  assert_path (TRV_PATH_HOST, "[2001:db8:1::11]:5004", TRV_PATH_HOST, "[2001:db8:2::11]:6000",
               "udp", NULL, "Direct over IPv6");
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
  assert_path (TRV_PATH_RELAY, "203.0.113.9:50000", TRV_PATH_HOST, "198.51.100.2:6000", "tls",
               "turn.example.org:443", "Relayed via TURN server turn.example.org:443, over TLS");
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
  g_autofree gchar *tls = trv_connection_describe_auto_mode (TRV_NAT_MODE_TURN,
                                                             TRV_TURN_TRANSPORT_TLS, TRUE, "x");
  g_assert_true (g_str_has_prefix (tls, "Relayed via TURN over TLS — chosen automatically"));
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
  g_assert_nonnull (strstr (words, "no STUN or TURN server is set"));

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
#define RING_ON_MS 1000                 /* trv-ringer.c: 1 s on, 3 s off */
#define RING_WINDOW (RING_RATE / 50)    /* 20 ms */
/* The gate mutes whole buffers (audiotestsrc: 1024 samples, 128 ms here), so the buffer
 * already past it when the cadence timer fires still carries tone. */
#define RING_SLACK (RING_RATE / 5)

/* The recording's length at a moment: wall-clock time is what the cadence timer uses,
 * the samples are where the audio stands then. Under load the two drift apart, so the
 * test relates them by watching the file grow instead of assuming one is the other. */
typedef struct {
  gint64 us;
  guint samples;
} RingPoll;

typedef struct {
  const char *path;
  gint64 start_us, started_us;  /* just before and just after trv_ringer_start () */
  guint min_samples;            /* record at least this much audio... */
  gboolean past_mute;           /* ...and RING_RATE / 2 past where the first mute must be */
  guint polls_after_timer;
  guint mute_by;                /* 0 until known */
  GArray *polls;
  gboolean done;
} Recording;

static guint
file_samples (const char *path)
{
  GStatBuf st;
  return g_stat (path, &st) == 0 ? (guint) (st.st_size / sizeof (gint16)) : 0;
}

static gboolean
on_ring_poll (gpointer data)
{
  Recording *r = data;
  RingPoll p = { g_get_monotonic_time (), file_samples (r->path) };
  g_array_append_val (r->polls, p);
  /* The cadence timer is due by started_us + 1 s. The main-loop iteration after the
   * first poll past that has dispatched it, and the poll after that one comes later:
   * by then the gate is muted and at most one buffer with tone is still on its way. */
  if (p.us >= r->started_us + RING_ON_MS * 1000 && ++r->polls_after_timer == 3)
    r->mute_by = p.samples + RING_SLACK;
  gboolean enough = p.samples >= r->min_samples &&
                    (!r->past_mute || (r->mute_by && p.samples >= r->mute_by + RING_RATE / 2));
  /* 3.5 s: the next tone cannot start before 4 s, and a broken ringer must not hang. */
  r->done = enough || p.us >= r->start_us + 3500 * 1000;
  return r->done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* Rings into a raw 8 kHz mono S16LE file until `r` has what it needs; returns the samples. */
static GArray *
record_ring (TrvRinger *ringer, Recording *r)
{
  g_autofree gchar *contents = NULL;
  gsize length = 0;
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gint16));

  g_unlink (r->path);
  r->polls = g_array_new (FALSE, FALSE, sizeof (RingPoll));
  r->start_us = g_get_monotonic_time ();
  trv_ringer_start (ringer);
  r->started_us = g_get_monotonic_time ();
  g_assert_true (trv_ringer_is_ringing (ringer));
  g_timeout_add (10, on_ring_poll, r);
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  trv_ringer_stop (ringer);
  g_assert_false (trv_ringer_is_ringing (ringer));
  g_assert_true (g_file_get_contents (r->path, &contents, &length, NULL));
  g_array_append_vals (samples, contents, length / sizeof (gint16));
  return samples;
}

static gboolean
window_silent (GArray *samples, guint from)
{
  for (guint i = from; i < from + RING_WINDOW && i < samples->len; i++)
    if (ABS (g_array_index (samples, gint16, i)) > 16)
      return FALSE;
  return TRUE;
}

/* The ringtone is a 440 Hz tone, 1 s on, then silent (3 s off), into the configured output;
 * a second ring starts with the tone again. Judged on the recording's own timeline: the
 * pause must start where the audio stood when the 1 s timer could fire, not at 1 s. */
static void
test_ringer_cadence (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("trv-ringer-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "ring.raw", NULL);
  /* Unbuffered, so the file's size is how far the audio got. */
  g_autofree gchar *sink = g_strdup_printf ("audio/x-raw,format=S16LE,rate=%d,channels=1 ! "
                                            "filesink buffer-mode=unbuffered location=\"%s\"",
                                            RING_RATE, path);
  g_autoptr(TrvRinger) ringer = trv_ringer_new ();

  gst_init (NULL, NULL);
  g_unsetenv ("TRAVERSE_AUDIOSINK");    /* it would win over the set sink */
  trv_ringer_set_sink (ringer, sink);

  Recording r = { .path = path, .min_samples = RING_RATE * 3 / 2, .past_mute = TRUE };
  g_autoptr(GArray) ring = record_ring (ringer, &r);
  g_autoptr(GArray) polls = r.polls;
  /* Audio that was in the file before the timer could fire is tone. */
  guint tone_at_least = 0;
  for (guint i = 0; i < polls->len; i++)
    if (g_array_index (polls, RingPoll, i).us < r.start_us + RING_ON_MS * 1000)
      tone_at_least = g_array_index (polls, RingPoll, i).samples;
  g_test_message ("ring: %u samples, %u polls; the pause must start between %u and %u",
                  ring->len, polls->len, tone_at_least, r.mute_by);
  g_assert_cmpuint (r.mute_by, >, 0);
  g_assert_cmpuint (ring->len, >=, r.mute_by + RING_RATE / 2);

  /* Where the tone stops: the first silent 20 ms. */
  guint silent_from = ring->len;
  for (guint i = 0; i + RING_WINDOW <= ring->len; i += RING_WINDOW)
    if (window_silent (ring, i))
      {
        silent_from = i;
        break;
      }
  /* The tone before it: loud and 440 Hz (zero crossings / 2 per s). */
  guint n = MIN (silent_from, RING_RATE / 2), crossings = 0;
  gint peak = 0;
  for (guint i = 1; i < n; i++)
    {
      gint16 a = g_array_index (ring, gint16, i - 1), b = g_array_index (ring, gint16, i);
      crossings += (a < 0) != (b < 0);
      peak = MAX (peak, ABS (b));
    }
  g_test_message ("tone: %u zero crossings in %u samples, peak %d, silent from %u ms",
                  crossings, n, peak, silent_from * 1000 / RING_RATE);
  g_assert_cmpuint (n, >=, RING_RATE / 10);
  g_assert_cmpint (peak, >, 8000);
  g_assert_cmpuint (crossings * RING_RATE / n, >=, 800);    /* 440 Hz: 880 per s */
  g_assert_cmpuint (crossings * RING_RATE / n, <=, 960);
  /* The pause starts within what the cadence timer allows, and lasts to the end. */
  g_assert_cmpuint (silent_from + RING_WINDOW, >=, tone_at_least);
  g_assert_cmpuint (silent_from, <=, r.mute_by);
  for (guint i = silent_from; i + RING_WINDOW <= ring->len; i += RING_WINDOW)
    g_assert_true (window_silent (ring, i));

  /* The next call's ring starts with the tone, not in the pause where this one stopped. */
  Recording again_r = { .path = path, .min_samples = RING_RATE / 4 };
  g_autoptr(GArray) again = record_ring (ringer, &again_r);
  g_array_unref (again_r.polls);
  g_assert_cmpuint (again->len, >=, RING_RATE / 4);
  for (guint i = 0; i + RING_WINDOW <= RING_RATE / 4; i += RING_WINDOW)
    g_assert_false (window_silent (again, i));

  g_unlink (path);
  g_rmdir (dir);
}

static gint
peak_of (GArray *samples, guint n)
{
  gint peak = 0;
  for (guint i = 0; i < MIN (n, samples->len); i++)
    peak = MAX (peak, ABS (g_array_index (samples, gint16, i)));
  return peak;
}

/* Call waiting rings softly: the same tone at a quarter of the level, from its start (the
 * level is kept when the pipeline is built later, and can change between rings). */
static void
test_ringer_soft (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("trv-ringer-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "ring.raw", NULL);
  g_autofree gchar *sink = g_strdup_printf ("audio/x-raw,format=S16LE,rate=%d,channels=1 ! "
                                            "filesink buffer-mode=unbuffered location=\"%s\"",
                                            RING_RATE, path);
  g_autoptr(TrvRinger) ringer = trv_ringer_new ();

  gst_init (NULL, NULL);
  g_unsetenv ("TRAVERSE_AUDIOSINK");
  trv_ringer_set_sink (ringer, sink);
  g_assert_cmpfloat (trv_ringer_get_level (ringer), ==, 1.0);
  trv_ringer_set_level (ringer, 0.25);
  g_assert_cmpfloat (trv_ringer_get_level (ringer), ==, 0.25);

  Recording soft_r = { .path = path, .min_samples = RING_RATE / 4 };
  g_autoptr(GArray) soft = record_ring (ringer, &soft_r);
  g_array_unref (soft_r.polls);
  trv_ringer_set_level (ringer, 1.0);
  Recording full_r = { .path = path, .min_samples = RING_RATE / 4 };
  g_autoptr(GArray) full = record_ring (ringer, &full_r);
  g_array_unref (full_r.polls);

  gint soft_peak = peak_of (soft, RING_RATE / 4), full_peak = peak_of (full, RING_RATE / 4);
  g_test_message ("peaks: soft %d, full %d", soft_peak, full_peak);
  g_assert_cmpint (full_peak, >, 8000);
  g_assert_cmpint (soft_peak, >, full_peak / 5);      /* still a ring */
  g_assert_cmpint (soft_peak, <, full_peak * 3 / 10); /* a quarter */
  trv_ringer_set_level (ringer, 7.0);
  g_assert_cmpfloat (trv_ringer_get_level (ringer), ==, 1.0);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui-model/path-words", test_path_words);
  g_test_add_func ("/ui-model/ringer-soft", test_ringer_soft);
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
