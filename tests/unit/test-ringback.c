/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ringback.c: the local ringback tone: the region chosen from the locale, and the
 * tone's frequencies and cadence measured in the audio the source produces. */
#include "config.h"

#include <gst/gst.h>
#include <math.h>

#include "trv-ringback.h"

#define RATE 8000
#define WINDOW_MS 100
#define WINDOW (RATE * WINDOW_MS / 1000)

typedef struct {
  GMutex lock;
  GArray *samples;
  guint wanted;
} Capture;

static void
on_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, gpointer data)
{
  Capture *c = data;
  GstMapInfo map;
  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return;
  g_mutex_lock (&c->lock);
  if (c->samples->len < c->wanted)
    g_array_append_vals (c->samples, map.data, map.size / sizeof (gint16));
  g_mutex_unlock (&c->lock);
  gst_buffer_unmap (buf, &map);
}

/* Renders `seconds` of the (non-live) source into samples. */
static GArray *
render (TrvRingbackTone tone, guint seconds)
{
  Capture c = { .samples = g_array_new (FALSE, FALSE, sizeof (gint16)),
                .wanted = seconds * RATE };
  g_mutex_init (&c.lock);
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *source = trv_ringback_source_new (tone, FALSE);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", FALSE, "signal-handoffs", TRUE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &c);
  gst_bin_add_many (GST_BIN (pipeline), source, sink, NULL);
  g_assert_true (gst_element_link (source, sink));
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gboolean done = FALSE;
  while (!done && g_get_monotonic_time () < deadline)
    {
      g_usleep (10000);
      g_mutex_lock (&c.lock);
      done = c.samples->len >= c.wanted;
      g_mutex_unlock (&c.lock);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_mutex_clear (&c.lock);
  g_assert_cmpuint (c.samples->len, >=, c.wanted);
  return c.samples;
}

/* Goertzel: the power of `freq` in a window, relative to the window's total power. */
static double
share_of (const gint16 *x, guint n, double freq)
{
  double coeff = 2 * cos (2 * G_PI * freq / RATE), s1 = 0, s2 = 0, total = 0;
  for (guint i = 0; i < n; i++)
    {
      double s = x[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s;
      total += (double) x[i] * x[i];
    }
  if (total == 0)
    return 0;
  double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return power / (total * n / 2);
}

static double
rms (const gint16 *x, guint n)
{
  double sum = 0;
  for (guint i = 0; i < n; i++)
    sum += (double) x[i] * x[i];
  return sqrt (sum / n);
}

/* Over two periods, window by window: tone (of the frequencies, nothing else) exactly in
 * the on part of the cadence, silence in the off part. */
static void
check_tone (TrvRingbackTone tone, const double *freqs, guint n_freqs)
{
  guint on_ms, off_ms;
  trv_ringback_tone_cadence (tone, &on_ms, &off_ms);
  guint period = on_ms + off_ms;
  g_autoptr(GArray) samples = render (tone, 2 * period / 1000);
  const gint16 *x = (const gint16 *) samples->data;
  guint windows = 2 * period / WINDOW_MS;
  guint sounding = 0;
  for (guint w = 0; w < windows; w++)
    {
      const gint16 *win = x + w * WINDOW;
      gboolean on = (w * WINDOW_MS) % period < on_ms;
      if (!on)
        {
          g_assert_cmpfloat (rms (win, WINDOW), <, 1.0);
          continue;
        }
      sounding++;
      g_assert_cmpfloat (rms (win, WINDOW), >, 1000.0);
      double share = 0;
      for (guint f = 0; f < n_freqs; f++)
        share += share_of (win, WINDOW, freqs[f]);
      /* Nearly all power at the tone's frequencies (Goertzel on 100 ms: 10 Hz bins). */
      g_assert_cmpfloat (share, >, 0.8);
      if (n_freqs > 1)
        for (guint f = 0; f < n_freqs; f++)
          g_assert_cmpfloat (share_of (win, WINDOW, freqs[f]), >, 0.3);
    }
  g_assert_cmpuint (sounding * WINDOW_MS, ==, 2 * on_ms);
}

static void
test_europe (void)
{
  const double freqs[] = { 425 };
  guint on, off;
  trv_ringback_tone_cadence (TRV_RINGBACK_TONE_EUROPE, &on, &off);
  g_assert_cmpuint (on, ==, 1000);
  g_assert_cmpuint (off, ==, 4000);
  check_tone (TRV_RINGBACK_TONE_EUROPE, freqs, 1);
}

static void
test_north_america (void)
{
  const double freqs[] = { 440, 480 };
  guint on, off;
  trv_ringback_tone_cadence (TRV_RINGBACK_TONE_NORTH_AMERICA, &on, &off);
  g_assert_cmpuint (on, ==, 2000);
  g_assert_cmpuint (off, ==, 4000);
  check_tone (TRV_RINGBACK_TONE_NORTH_AMERICA, freqs, 2);
}

static void
test_locale (void)
{
  g_assert_cmpint (trv_ringback_tone_for_locale ("en_US.UTF-8"), ==,
                   TRV_RINGBACK_TONE_NORTH_AMERICA);
  g_assert_cmpint (trv_ringback_tone_for_locale ("fr_CA"), ==, TRV_RINGBACK_TONE_NORTH_AMERICA);
  g_assert_cmpint (trv_ringback_tone_for_locale ("de_DE@euro"), ==, TRV_RINGBACK_TONE_EUROPE);
  g_assert_cmpint (trv_ringback_tone_for_locale ("en_GB.UTF-8"), ==, TRV_RINGBACK_TONE_EUROPE);
  g_assert_cmpint (trv_ringback_tone_for_locale ("C"), ==, TRV_RINGBACK_TONE_EUROPE);
  g_assert_cmpint (trv_ringback_tone_for_locale ("en_USA"), ==, TRV_RINGBACK_TONE_EUROPE);
  /* From the environment: LC_ALL first, then LC_TELEPHONE, then LANG. */
  g_setenv ("LC_ALL", "", TRUE);
  g_setenv ("LC_TELEPHONE", "en_CA.UTF-8", TRUE);
  g_setenv ("LANG", "de_DE.UTF-8", TRUE);
  g_assert_cmpint (trv_ringback_tone_for_locale (NULL), ==, TRV_RINGBACK_TONE_NORTH_AMERICA);
  g_setenv ("LC_ALL", "it_IT.UTF-8", TRUE);
  g_assert_cmpint (trv_ringback_tone_for_locale (NULL), ==, TRV_RINGBACK_TONE_EUROPE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_TELEPHONE");
  g_setenv ("LANG", "en_US.UTF-8", TRUE);
  g_assert_cmpint (trv_ringback_tone_for_locale (NULL), ==, TRV_RINGBACK_TONE_NORTH_AMERICA);
}

/* The player on a fake output: it counts what it played, and stops. */
static void
test_player (void)
{
  g_autoptr(TrvRingback) rb = trv_ringback_new (TRV_RINGBACK_TONE_EUROPE, "fakesink sync=true");
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_ringback_start (rb, &error));
  g_assert_no_error (error);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (trv_ringback_get_played_ms (rb) < 500 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_cmpuint (trv_ringback_get_played_ms (rb), >=, 500);
  trv_ringback_stop (rb);
  guint64 played = trv_ringback_get_played_ms (rb);
  g_usleep (100000);
  g_assert_cmpuint (trv_ringback_get_played_ms (rb), ==, played);
  trv_ringback_stop (rb);

  g_autoptr(TrvRingback) bad = trv_ringback_new (TRV_RINGBACK_TONE_EUROPE, "no-such-sink");
  g_assert_false (trv_ringback_start (bad, &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ringback/europe", test_europe);
  g_test_add_func ("/ringback/north-america", test_north_america);
  g_test_add_func ("/ringback/locale", test_locale);
  g_test_add_func ("/ringback/player", test_player);
  return g_test_run ();
}
