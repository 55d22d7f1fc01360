/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-bench-latency: mouth-to-ear latency of one codec, two media sessions in one process.
 *
 *   trv-bench-latency [--codec opus] [--seconds 20] [--jitter-ms N] [--no-echo-cancel]
 *
 * Side A's "microphone" is a live audiotestsrc making a 10 ms click every 507 ms; side B's
 * "speaker" is a clock-synchronised fakesink. Both are flagged as devices, so the
 * desktop's default audio processing (webrtcdsp/webrtcechoprobe) is in the path unless
 * --no-echo-cancel. RTP goes over UDP on 127.0.0.1 through the real pipelines.
 *
 * Both pipelines run on the GStreamer system clock (CLOCK_MONOTONIC); the tool checks
 * that. Mouth: the capture time of the click's first sample (base time + buffer PTS +
 * offset; a live source timestamps by capture). Ear: the clock time at which the sink
 * renders the buffer holding the click's first sample (the handoff of a sync=true sink)
 * plus its offset. What is not included: the sound card/server's own buffers on either
 * end (a fakesink has none).
 *
 * Prints one JSON object: codec, jitter_ms, echo_cancel, clicks, median/min/max/p90 ms. */
#include <gst/gst.h>
#include <math.h>
#include <stdio.h>

#include "trv-error.h"
#include "trv-media-session-private.h"
#include "trv-udp-transport.h"
#include "trv-offer-answer.h"

/* Not a multiple of the 10/20 ms packet or the source's 10 ms buffer: clicks land at
 * varying positions within both (the receiver schedules by RTP time, so the delay should
 * not depend on that position; the spread shows whether it does). */
#define CLICK_INTERVAL_MS 507
#define QUIET_S 0.2          /* silence before an onset */
#define THRESHOLD 3000       /* of 32767: a click, not codec noise */
#define WARMUP_S 1.0

typedef struct {
  gint64 quiet;              /* samples below the threshold so far */
} Onset;

typedef struct {
  GMutex lock;
  GArray *mouth;             /* GstClockTime of each click sent */
  GArray *ear;               /* GstClockTime of each click heard */
  Onset mouth_onset, ear_onset;
  GstElement *pipeline_a, *pipeline_b;
} Bench;

/* Appends base + offset of each click onset in an S16 mono buffer to `out`. */
static void
find_onsets (Bench *b, Onset *o, GstBuffer *buf, gint rate, GstClockTime base, GArray *out)
{
  GstMapInfo map;
  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return;
  const gint16 *s = (const gint16 *) map.data;
  gsize n = map.size / 2;
  for (gsize i = 0; i < n; i++)
    {
      if (abs (s[i]) >= THRESHOLD)
        {
          if (o->quiet >= (gint64) (QUIET_S * rate))
            {
              GstClockTime t = base + gst_util_uint64_scale_int (i, GST_SECOND, rate);
              g_mutex_lock (&b->lock);
              g_array_append_val (out, t);
              g_mutex_unlock (&b->lock);
            }
          o->quiet = 0;
        }
      else
        o->quiet++;
    }
  gst_buffer_unmap (buf, &map);
}

static gint
buffer_rate (GstPad *pad)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  gint rate = 0;
  if (caps)
    gst_structure_get_int (gst_caps_get_structure (caps, 0), "rate", &rate);
  return rate;
}

/* Streaming thread of A's source: a live source stamps each buffer with the running
 * time of its first sample's capture. */
static GstPadProbeReturn
on_mouth (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  Bench *b = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  gint rate = buffer_rate (pad);
  if (buf == NULL || rate <= 0 || !GST_BUFFER_PTS_IS_VALID (buf))
    return GST_PAD_PROBE_OK;
  GstClockTime start = gst_element_get_base_time (b->pipeline_a) + GST_BUFFER_PTS (buf);
  find_onsets (b, &b->mouth_onset, buf, rate, start, b->mouth);
  return GST_PAD_PROBE_OK;
}

/* Streaming thread of B's sink: a sync=true sink hands a buffer off when the clock
 * reaches its render time. */
static void
on_ear (GstElement *sink, GstBuffer *buf, GstPad *pad, gpointer data)
{
  Bench *b = data;
  g_autoptr(GstClock) clock = gst_element_get_clock (sink);
  gint rate = buffer_rate (pad);
  if (clock == NULL || rate <= 0)
    return;
  find_onsets (b, &b->ear_onset, buf, rate, gst_clock_get_time (clock), b->ear);
}

static void
on_prepared (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;
  if (!trv_media_transport_prepare_finish (TRV_MEDIA_TRANSPORT (source), result, &error))
    g_error ("transport: %s", error->message);
  *done = TRUE;
}

static TrvMediaTransport *
prepared_transport (void)
{
  TrvMediaTransport *t = trv_udp_transport_new ("127.0.0.1", NULL);
  gboolean done = FALSE;
  trv_media_transport_prepare_async (t, NULL, on_prepared, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return t;
}

static void
on_error (TrvMediaSession *m, GError *error, gpointer data)
{
  g_printerr ("media error: %s\n", error->message);
  exit (1);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autofree gchar *codec = NULL;
  gint seconds = 20, jitter_ms = 0;
  gboolean no_aec = FALSE;
  GOptionEntry entries[] = {
    { "codec", 0, 0, G_OPTION_ARG_STRING, &codec, "Codec (opus)", "NAME" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Call length (20)", "S" },
    { "jitter-ms", 0, 0, G_OPTION_ARG_INT, &jitter_ms, "Jitter buffer (default setting)", "MS" },
    { "no-echo-cancel", 0, 0, G_OPTION_ARG_NONE, &no_aec, "Without webrtcdsp", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- mouth-to-ear latency");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_autoptr(TrvMediaConfig) cfg = trv_media_config_new ();
  if (codec)
    {
      g_strfreev (cfg->codecs);
      cfg->codecs = g_strsplit (codec, ",", -1);
    }
  if (jitter_ms > 0)
    cfg->jitter_ms = jitter_ms;
  if (!trv_media_config_validate (cfg, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_autoptr(TrvMediaTransport) ta = prepared_transport ();
  g_autoptr(TrvMediaTransport) tb = prepared_transport ();
  g_autoptr(TrvMediaEndpoint) ea = trv_media_endpoint_new ();
  g_autoptr(TrvMediaEndpoint) eb = trv_media_endpoint_new ();
  trv_media_transport_describe (ta, ea);
  trv_media_transport_describe (tb, eb);
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, ea, TRV_DIRECTION_SENDRECV, 1, 1);
  TrvNegotiation *nb = NULL;
  g_autofree gchar *answer = trv_offer_answer_create_answer (offer, cfg, eb,
                                                             TRV_DIRECTION_SENDRECV, 2, 1,
                                                             &nb, &error);
  TrvNegotiation *na = answer ? trv_offer_answer_parse_answer (offer, answer, &error) : NULL;
  if (na == NULL)
    {
      g_printerr ("negotiation: %s\n", error->message);
      return 1;
    }

  g_autoptr(TrvMediaOptions) oa = trv_media_options_new ();
  /* 480 samples: a sound card's capture period as the device path sets it (10 ms,
   * CAPTURE_PERIOD_US in trv-media-io.c). */
  oa->source_desc = g_strdup_printf ("audiotestsrc name=mouth is-live=true wave=ticks "
                                     "samplesperbuffer=480 "
                                     "freq=1000 volume=0.8 sine-periods-per-tick=10 "
                                     "tick-interval=%" G_GUINT64_FORMAT
                                     " ! capsfilter caps=\"audio/x-raw,format=S16LE,rate=48000,"
                                     "channels=1\"",
                                     (guint64) CLICK_INTERVAL_MS * GST_MSECOND);
  oa->sink_desc = g_strdup ("fakesink sync=true");
  g_autoptr(TrvMediaOptions) ob = trv_media_options_new ();
  ob->source_desc = g_strdup ("audiotestsrc is-live=true wave=silence");
  /* A caps filter at either end of a description does not parse: capsfilter instead. */
  ob->sink_desc = g_strdup ("capsfilter caps=\"audio/x-raw,format=S16LE,channels=1\" ! "
                            "fakesink name=ear sync=true signal-handoffs=true");
  for (TrvMediaOptions *o = oa; o; o = o == oa ? ob : NULL)
    {
      o->jitter_ms = cfg->jitter_ms;
      o->echo_cancel = !no_aec;
      o->descs_are_devices = TRUE;
    }

  Bench b = { 0 };
  g_mutex_init (&b.lock);
  b.mouth = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  b.ear = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  g_autoptr(TrvMediaSession) ma = trv_media_session_new (ta, oa);
  g_autoptr(TrvMediaSession) mb = trv_media_session_new (tb, ob);
  g_signal_connect (ma, "error", G_CALLBACK (on_error), NULL);
  g_signal_connect (mb, "error", G_CALLBACK (on_error), NULL);
  /* B first, so A's first clicks find a receiver. */
  if (!trv_media_session_start (mb, nb, &error) || !trv_media_session_start (ma, na, &error))
    {
      g_printerr ("start: %s\n", error->message);
      return 1;
    }
  b.pipeline_a = ma->pipeline;
  b.pipeline_b = mb->pipeline;
  g_autoptr(GstElement) mouth = gst_bin_get_by_name (GST_BIN (ma->pipeline), "mouth");
  g_autoptr(GstElement) ear = gst_bin_get_by_name (GST_BIN (mb->pipeline), "ear");
  g_assert (mouth && ear);
  g_autoptr(GstPad) mouth_pad = gst_element_get_static_pad (mouth, "src");
  gst_pad_add_probe (mouth_pad, GST_PAD_PROBE_TYPE_BUFFER, on_mouth, &b, NULL);
  g_signal_connect (ear, "handoff", G_CALLBACK (on_ear), &b);

  gint64 end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_autoptr(GstClock) clock_a = gst_pipeline_get_clock (GST_PIPELINE (ma->pipeline));
  g_autoptr(GstClock) clock_b = gst_pipeline_get_clock (GST_PIPELINE (mb->pipeline));
  gboolean same_clock = clock_a == clock_b && GST_IS_SYSTEM_CLOCK (clock_a);
  guint pipeline_latency_ms = 0;
  {
    g_autoptr(GstQuery) q = gst_query_new_latency ();
    if (gst_element_query (mb->pipeline, q))
      {
        GstClockTime min = 0;
        gst_query_parse_latency (q, NULL, &min, NULL);
        pipeline_latency_ms = (guint) (min / GST_MSECOND);
      }
  }
  trv_media_session_stop (ma);
  trv_media_session_stop (mb);

  /* Each heard click pairs with the latest sent click before it. */
  g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
  GstClockTime first = b.mouth->len ? g_array_index (b.mouth, GstClockTime, 0) : 0;
  for (guint i = 0; i < b.ear->len; i++)
    {
      GstClockTime e = g_array_index (b.ear, GstClockTime, i);
      GstClockTime best = GST_CLOCK_TIME_NONE;
      for (guint j = 0; j < b.mouth->len; j++)
        {
          GstClockTime m = g_array_index (b.mouth, GstClockTime, j);
          if (m <= e)
            best = m;
        }
      if (!GST_CLOCK_TIME_IS_VALID (best) || best < first + WARMUP_S * GST_SECOND)
        continue;
      double ms = (double) (e - best) / GST_MSECOND;
      if (ms < CLICK_INTERVAL_MS)
        g_array_append_val (lat, ms);
    }
  g_array_sort (lat, compare_double);
  guint n = lat->len;
  double median = n ? (n % 2 ? g_array_index (lat, double, n / 2)
                             : (g_array_index (lat, double, n / 2 - 1) +
                                g_array_index (lat, double, n / 2)) / 2) : NAN;
  printf ("{\"codec\": \"%s\", \"jitter_ms\": %u, \"receiver_pipeline_latency_ms\": %u, "
          "\"echo_cancel\": %s, \"same_clock\": %s, \"clicks_sent\": %u, \"clicks\": %u, "
          "\"median_ms\": %.1f, \"min_ms\": %.1f, \"p90_ms\": %.1f, \"max_ms\": %.1f}\n",
          na->codec->name, cfg->jitter_ms, pipeline_latency_ms, no_aec ? "false" : "true",
          same_clock ? "true" : "false", b.mouth->len, n, median,
          n ? g_array_index (lat, double, 0) : NAN,
          n ? g_array_index (lat, double, (guint) (n * 0.9) < n ? (guint) (n * 0.9) : n - 1) : NAN,
          n ? g_array_index (lat, double, n - 1) : NAN);
  trv_negotiation_free (na);
  trv_negotiation_free (nb);
  return n > 0 && same_clock ? 0 : 1;
}
