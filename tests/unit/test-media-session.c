/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two media sessions over two UDP transports on 127.0.0.1 in one process. The
 * negotiation comes from the real offer/answer code; audio is checked by frequency
 * analysis of the recordings (trv-tone), DTMF by comparing digits. */
#include <gst/gst.h>
#include <glib/gstdio.h>

#include "trv-error.h"
#include "trv-media-session-private.h"   /* the opus FEC case looks at the decoder */
#include "trv-udp-transport.h"
#include "trv-test-util.h"
#include "trv-offer-answer.h"
#include "trv-enum.h"
#include "trv-transport-enums.h"

#define WAIT_LIMIT_MS 8000
#define TONE_A 1000   /* what side A plays */
#define TONE_B 600    /* what side B plays */

typedef struct {
  gchar *dir;
  gchar *tone_a, *tone_b;      /* WAVs */
  gchar *rec_a, *rec_b;        /* what A and B received */
  TrvMediaTransport *ta, *tb;
  TrvMediaSession *ma, *mb;
  TrvNegotiation *na, *nb;
  gchar *offer;                /* A's last offer (for re-offers) */
  guint64 version;
  GString *dtmf_b;
  guint first_rtp_a, first_rtp_b;
  guint path_changes_a;
  GError *error_a;
} Fixture;

/* TRUE when the tone is in at least 60 % of the 20 ms frames of the recording. */
static gboolean
tone_present (const char *path, int freq)
{
  return trv_test_tone_check (path, freq, "0.6", "0.2") == 0;
}

static gboolean
tone_absent (const char *path, int freq)
{
  return trv_test_tone_check (path, freq, NULL, NULL) == 0;
}

static void
on_prepare_failed (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;
  g_assert_false (trv_media_transport_prepare_finish (TRV_MEDIA_TRANSPORT (source), result, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "not-an-ip"));
  *done = TRUE;
}

static void
on_first_rtp (TrvMediaSession *m, guint *count)
{
  (*count)++;
}

static void
on_dtmf_b (TrvMediaSession *m, gchar digit, Fixture *f)
{
  g_string_append_c (f->dtmf_b, digit);
}

static void
on_error_a (TrvMediaSession *m, GError *error, Fixture *f)
{
  if (f->error_a == NULL)
    f->error_a = g_error_copy (error);
}

static void
on_path_a (TrvMediaTransport *t, Fixture *f)
{
  f->path_changes_a++;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  if (trv_test_tone_tool () == NULL)
    return;
  f->dir = trv_test_tmp_dir ("trv-media-XXXXXX");
  f->tone_a = g_build_filename (f->dir, "a.wav", NULL);
  f->tone_b = g_build_filename (f->dir, "b.wav", NULL);
  f->rec_a = g_build_filename (f->dir, "rec-a.wav", NULL);
  f->rec_b = g_build_filename (f->dir, "rec-b.wav", NULL);
  trv_test_tone_generate (f->tone_a, TONE_A);
  trv_test_tone_generate (f->tone_b, TONE_B);
  f->ta = trv_test_udp_transport (WAIT_LIMIT_MS);
  f->tb = trv_test_udp_transport (WAIT_LIMIT_MS);
  g_signal_connect (f->ta, "path-changed", G_CALLBACK (on_path_a), f);
  f->dtmf_b = g_string_new (NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->dir == NULL)
    return;
  trv_test_media_clear (&f->ma, &f->mb, &f->ta, &f->tb, &f->na, &f->nb);
  g_clear_error (&f->error_a);
  g_free (f->offer);
  g_string_free (f->dtmf_b, TRUE);
  trv_test_remove_file (&f->tone_a);
  trv_test_remove_file (&f->tone_b);
  trv_test_remove_file (&f->rec_a);
  trv_test_remove_file (&f->rec_b);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static gboolean
need_tool (Fixture *f)
{
  if (f->dir == NULL)
    {
      g_test_skip ("TRV_TONE is not set (run through meson test)");
      return FALSE;
    }
  return TRUE;
}

/* A offers with `dir_a`, B answers wanting `dir_b`; both negotiations replace the
 * fixture's. */
static void
negotiate (Fixture *f, const char *codec, TrvDirection dir_a, TrvDirection dir_b)
{
  g_autoptr(TrvMediaConfig) cfg = trv_media_config_new ();
  if (codec)
    {
      g_strfreev (cfg->codecs);
      cfg->codecs = g_strsplit (codec, ",", -1);
    }
  g_autoptr(TrvMediaEndpoint) ea = trv_media_endpoint_new ();
  g_autoptr(TrvMediaEndpoint) eb = trv_media_endpoint_new ();
  trv_media_transport_describe (f->ta, ea);
  trv_media_transport_describe (f->tb, eb);
  g_autoptr(GError) error = NULL;
  f->version++;
  g_free (f->offer);
  f->offer = trv_offer_answer_create_offer (cfg, ea, dir_a, 1, f->version);
  g_assert_nonnull (f->offer);
  TrvNegotiation *nb = NULL;
  g_autofree gchar *answer = trv_offer_answer_create_answer (f->offer, cfg, eb, dir_b, 2,
                                                             f->version, &nb, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  TrvNegotiation *na = trv_offer_answer_parse_answer (f->offer, answer, &error);
  g_assert_no_error (error);
  g_assert_nonnull (na);
  g_assert_true (na->codec == nb->codec);
  g_clear_pointer (&f->na, trv_negotiation_free);
  g_clear_pointer (&f->nb, trv_negotiation_free);
  f->na = na;
  f->nb = nb;
}

static TrvMediaSession *
new_session (TrvMediaTransport *t, const char *play, const char *record)
{
  g_autoptr(TrvMediaOptions) o = trv_media_options_new ();
  o->play_file = g_strdup (play);
  o->record_file = g_strdup (record);
  o->jitter_ms = 40;
  return trv_media_session_new (t, o);
}

static void
start_both (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  f->ma = new_session (f->ta, f->tone_a, f->rec_a);
  f->mb = new_session (f->tb, f->tone_b, f->rec_b);
  g_signal_connect (f->ma, "first-rtp", G_CALLBACK (on_first_rtp), &f->first_rtp_a);
  g_signal_connect (f->mb, "first-rtp", G_CALLBACK (on_first_rtp), &f->first_rtp_b);
  g_signal_connect (f->mb, "dtmf-received", G_CALLBACK (on_dtmf_b), f);
  g_signal_connect (f->ma, "error", G_CALLBACK (on_error_a), f);
  g_signal_connect (f->mb, "error", G_CALLBACK (on_error_a), f);
  g_assert_true (trv_media_session_start (f->ma, f->na, &error));
  g_assert_no_error (error);
  g_assert_true (trv_media_session_start (f->mb, f->nb, &error));
  g_assert_no_error (error);
}

static gboolean
both_have_media (gpointer data)
{
  Fixture *f = data;
  return f->first_rtp_a > 0 && f->first_rtp_b > 0;
}

static void
stop_both (Fixture *f)
{
  trv_media_session_stop (f->ma);
  trv_media_session_stop (f->mb);
  /* Idempotent. */
  trv_media_session_stop (f->ma);
}

static guint64
sent (TrvMediaSession *m)
{
  TrvMediaStats s;
  trv_media_session_get_stats (m, &s);
  return s.rtp_sent;
}

static void
test_codec (Fixture *f, gconstpointer data)
{
  const char *codec = data;
  if (!need_tool (f))
    return;
  negotiate (f, codec, TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  g_assert_cmpstr (f->na->codec->name, ==, codec);
  start_both (f);
  g_assert_true (trv_test_wait_for (both_have_media, f, WAIT_LIMIT_MS));
  g_assert_cmpuint (f->first_rtp_a, ==, 1);
  trv_test_run_for (2500);

  TrvMediaStats s;
  trv_media_session_get_stats (f->ma, &s);
  g_assert_cmpuint (s.rtp_sent, >=, 80);       /* 20 ms packets (opus: 10) for 2.5 s */
  g_assert_cmpuint (s.rtp_received, >=, 80);
  g_assert_cmpint (s.first_rtp_us, >, 0);
  g_test_message ("sent %" G_GUINT64_FORMAT " received %" G_GUINT64_FORMAT " lost %"
                  G_GINT64_FORMAT " jitter %.2f ms rtt %.2f ms", s.rtp_sent, s.rtp_received,
                  s.rtp_lost, s.jitter_ms, s.rtt_ms);
  g_assert_cmpint (s.rtp_lost, <=, 5);
  g_assert_cmpfloat (s.jitter_ms, >=, 0);
  /* RTCP both ways within 2.5 s gives a round trip; on loopback far below a second
   * (a bound for wrong units, not a speed target). */
  g_assert_cmpfloat (s.rtt_ms, >=, 0);
  g_assert_cmpfloat (s.rtt_ms, <, 1000);
  g_assert_cmpstr (trv_media_transport_get_remote_address (f->ta), !=, NULL);
  g_assert_cmpint (trv_media_transport_get_local_type (f->ta), ==, TRV_PATH_HOST);
  stop_both (f);
  g_assert_null (f->error_a);
  /* Stats written after hang-up keep the last RTCP figures. */
  TrvMediaStats end;
  trv_media_session_get_stats (f->ma, &end);
  g_assert_cmpuint (end.rtp_sent, >=, s.rtp_sent);
  g_assert_cmpfloat (end.rtt_ms, >=, 0);

  g_assert_true (tone_present (f->rec_b, TONE_A));
  g_assert_true (tone_present (f->rec_a, TONE_B));
  /* The check can fail: the other side's tone is not in the recording. */
  g_assert_false (tone_present (f->rec_b, TONE_B));
}

/* Whether m's Opus decoder repairs losses from in-band FEC (and so holds a packet). */
static gboolean
fec_decoding (TrvMediaSession *m)
{
  gboolean on = FALSE;
  g_mutex_lock (&m->lock);
  GstElement *dec = m->opusdec ? g_object_ref (m->opusdec) : NULL;
  g_mutex_unlock (&m->lock);
  if (dec)
    g_object_get (dec, "use-inband-fec", &on, NULL);
  g_clear_object (&dec);
  return on;
}

static gboolean
b_decodes_fec (gpointer data)
{
  return fec_decoding (((Fixture *) data)->mb);
}

/* The latency m's Opus decoder adds, as its latency answer tells the sink. */
static GstClockTime
decoder_latency (TrvMediaSession *m)
{
  g_mutex_lock (&m->lock);
  GstElement *dec = m->opusdec ? g_object_ref (m->opusdec) : NULL;
  g_mutex_unlock (&m->lock);
  g_assert_nonnull (dec);
  g_autoptr(GstPad) src = gst_element_get_static_pad (dec, "src");
  g_autoptr(GstPad) sink = gst_element_get_static_pad (dec, "sink");
  g_autoptr(GstQuery) out = gst_query_new_latency ();
  g_autoptr(GstQuery) in = gst_query_new_latency ();
  g_assert_true (gst_pad_query (src, out));
  g_assert_true (gst_pad_peer_query (sink, in));
  g_object_unref (dec);
  GstClockTime out_min, in_min;
  gst_query_parse_latency (out, NULL, &out_min, NULL);
  gst_query_parse_latency (in, NULL, &in_min, NULL);
  return out_min - in_min;
}

/* Which thread feeds a decoder, and which one switched its FEC on. */
typedef struct {
  gpointer feeding;     /* GThread*, atomic */
  gpointer switching;   /* GThread*, atomic */
} FecThreads;

static GstPadProbeReturn
note_feeding_thread (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  FecThreads *t = data;
  g_atomic_pointer_set (&t->feeding, g_thread_self ());
  return GST_PAD_PROBE_OK;
}

static void
note_switching_thread (GObject *dec, GParamSpec *pspec, gpointer data)
{
  FecThreads *t = data;
  g_atomic_pointer_set (&t->switching, g_thread_self ());
}

static GstPadProbeReturn
drop_every_fifth (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  guint *n = data;
  return ++*n % 5 == 0 ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

/* Opus FEC decoding holds every packet back by one, so it starts only once packets are
 * lost: off on a clean path (no added latency), on at the receiver that loses packets,
 * whose decoder then declares the held packet (20 ms) as latency; audio goes on.
 * The switch happens on the thread that feeds the decoder, between two packets:
 * opusdec 1.22 reads the property unlocked several times per packet, and set from the
 * main thread mid-packet it called gst_buffer_get_size (NULL) (a CRITICAL, seen once
 * in test-ice-call's network-change-restart, where the restart loses packets). */
static void
test_opus_fec_on_loss (Fixture *f, gconstpointer data)
{
  if (!need_tool (f))
    return;
  negotiate (f, "opus", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  start_both (f);
  g_assert_true (trv_test_wait_for (both_have_media, f, WAIT_LIMIT_MS));
  trv_test_run_for (2500);
  g_assert_false (fec_decoding (f->ma));
  g_assert_false (fec_decoding (f->mb));
  g_assert_cmpuint (decoder_latency (f->mb), ==, 0);

  FecThreads threads = { NULL, NULL };
  g_mutex_lock (&f->mb->lock);
  g_autoptr(GstElement) dec = g_object_ref (f->mb->opusdec);
  g_mutex_unlock (&f->mb->lock);
  g_autoptr(GstPad) dec_in = gst_element_get_static_pad (dec, "sink");
  gulong feed_probe = gst_pad_add_probe (dec_in, GST_PAD_PROBE_TYPE_BUFFER,
                                         note_feeding_thread, &threads, NULL);
  gulong notify = g_signal_connect (dec, "notify::use-inband-fec",
                                    G_CALLBACK (note_switching_thread), &threads);

  /* A's packets to B: every fifth lost. */
  guint count = 0;
  g_autoptr(GstPad) out = gst_element_get_static_pad (f->ma->rtpbin, "send_rtp_src_0");
  gulong probe = gst_pad_add_probe (out, GST_PAD_PROBE_TYPE_BUFFER, drop_every_fifth, &count,
                                    NULL);
  g_assert_true (trv_test_wait_for (b_decodes_fec, f, WAIT_LIMIT_MS));
  g_assert_cmpuint (decoder_latency (f->mb), ==, 20 * GST_MSECOND);
  g_assert_false (fec_decoding (f->ma));
  gpointer switching = g_atomic_pointer_get (&threads.switching);
  g_assert_nonnull (switching);
  g_assert_true (switching != (gpointer) g_thread_self ());
  g_assert_true (switching == g_atomic_pointer_get (&threads.feeding));
  trv_test_run_for (1500);
  gst_pad_remove_probe (out, probe);
  gst_pad_remove_probe (dec_in, feed_probe);
  g_signal_handler_disconnect (dec, notify);
  stop_both (f);
  g_assert_null (f->error_a);
  g_assert_true (tone_present (f->rec_b, TONE_A));
  g_assert_true (tone_present (f->rec_a, TONE_B));
}

/* A peer that does not mux RTCP: separate RTCP sockets, audio unchanged. */
static void
test_no_rtcp_mux (Fixture *f, gconstpointer data)
{
  if (!need_tool (f))
    return;
  negotiate (f, "PCMU", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  f->na->remote->rtcp_mux = FALSE;
  f->nb->remote->rtcp_mux = FALSE;
  start_both (f);
  g_assert_true (trv_test_wait_for (both_have_media, f, WAIT_LIMIT_MS));
  trv_test_run_for (2000);
  stop_both (f);
  g_assert_true (tone_present (f->rec_b, TONE_A));
  g_assert_true (tone_present (f->rec_a, TONE_B));
}

static gboolean
b_has_digits (gpointer data)
{
  Fixture *f = data;
  return f->dtmf_b->len >= 8;
}

static void
test_dtmf (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!need_tool (f))
    return;
  negotiate (f, data, TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  g_assert_cmpint (f->na->send_dtmf_pt, >=, 0);
  start_both (f);
  g_assert_true (trv_test_wait_for (both_have_media, f, WAIT_LIMIT_MS));
  g_assert_true (trv_media_session_can_send_dtmf (f->ma));
  g_assert_false (trv_media_session_send_dtmf (f->ma, "12x", &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (trv_media_session_send_dtmf (f->ma, "159#", &error));
  g_assert_no_error (error);
  g_assert_true (trv_media_session_send_dtmf (f->ma, "*0AD", &error));
  g_assert_true (trv_test_wait_for (b_has_digits, f, WAIT_LIMIT_MS));
  trv_test_run_for (300);
  g_assert_cmpstr (f->dtmf_b->str, ==, "159#*0AD");
  stop_both (f);
  g_assert_null (f->error_a);
}

static void
test_mute (Fixture *f, gconstpointer data)
{
  if (!need_tool (f))
    return;
  negotiate (f, "PCMA", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  start_both (f);
  trv_media_session_set_muted (f->ma, TRUE);
  g_assert_true (trv_media_session_get_muted (f->ma));
  g_assert_true (trv_test_wait_for (both_have_media, f, WAIT_LIMIT_MS));
  trv_test_run_for (2000);
  stop_both (f);
  /* Muted still sends (silence keeps NATs open), but no tone; B is heard. */
  g_assert_true (tone_absent (f->rec_b, TONE_A));
  g_assert_true (tone_present (f->rec_a, TONE_B));
}

static void
test_hold (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!need_tool (f))
    return;
  negotiate (f, "opus", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  start_both (f);
  g_assert_true (trv_test_wait_for (both_have_media, f, WAIT_LIMIT_MS));
  trv_test_run_for (500);

  /* A puts B on hold: A sendonly, B answers recvonly and must stop sending. */
  negotiate (f, "opus", TRV_DIRECTION_SENDONLY, TRV_DIRECTION_SENDRECV);
  g_assert_cmpint (f->nb->direction, ==, TRV_DIRECTION_RECVONLY);
  g_assert_true (trv_media_session_update (f->ma, f->na, &error));
  g_assert_true (trv_media_session_update (f->mb, f->nb, &error));
  g_assert_no_error (error);
  trv_test_run_for (200);
  guint64 b0 = sent (f->mb), a0 = sent (f->ma);
  trv_test_run_for (1000);
  g_assert_cmpuint (sent (f->mb) - b0, <=, 2);
  g_assert_cmpuint (sent (f->ma) - a0, >=, 25);
  g_assert_false (trv_media_session_send_dtmf (f->mb, "1", &error));
  g_clear_error (&error);

  /* Resume: B sends again over the same pipeline. */
  negotiate (f, "opus", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  g_assert_true (trv_media_session_update (f->ma, f->na, &error));
  g_assert_true (trv_media_session_update (f->mb, f->nb, &error));
  g_assert_no_error (error);
  b0 = sent (f->mb);
  TrvMediaStats before;
  trv_media_session_get_stats (f->ma, &before);
  trv_test_run_for (1500);
  g_assert_cmpuint (sent (f->mb) - b0, >=, 25);
  TrvMediaStats after;
  trv_media_session_get_stats (f->ma, &after);
  g_assert_cmpuint (after.rtp_received - before.rtp_received, >=, 25);
  stop_both (f);
  g_assert_null (f->error_a);
  /* A heard B before the hold and again after it: the recording (which has no
   * gap for the hold) holds more than the 0.5 s before it, all of it B's tone. */
  g_assert_true (tone_present (f->rec_a, TONE_B));
  GStatBuf st;
  g_assert_cmpint (g_stat (f->rec_a, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 48000 * 2 * 1.2);
}

/* Codec change by re-offer rebuilds the pipeline; audio keeps flowing. */
static void
test_codec_change (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!need_tool (f))
    return;
  negotiate (f, "G722", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  start_both (f);
  g_assert_true (trv_test_wait_for (both_have_media, f, WAIT_LIMIT_MS));
  trv_test_run_for (500);
  negotiate (f, "PCMU", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  g_assert_true (trv_media_session_update (f->ma, f->na, &error));
  g_assert_true (trv_media_session_update (f->mb, f->nb, &error));
  g_assert_no_error (error);
  trv_test_run_for (2000);
  stop_both (f);
  g_assert_null (f->error_a);
  /* The rebuilt recorder wrote a fresh file with the PCMU leg in it. */
  g_assert_true (tone_present (f->rec_b, TONE_A));
  g_assert_true (tone_present (f->rec_a, TONE_B));
}

/* A's SDP view of B names a wrong port (as a NAT would): A must latch onto the
 * address B's packets come from and reach B there. */
static void
test_latching (Fixture *f, gconstpointer data)
{
  if (!need_tool (f))
    return;
  negotiate (f, "PCMU", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  guint16 real_port = f->na->remote->port;
  f->na->remote->port = real_port + 10;
  start_both (f);
  g_autofree gchar *wrong = g_strdup_printf ("127.0.0.1:%u", real_port + 10);
  g_assert_cmpstr (trv_media_transport_get_remote_address (f->ta), ==, wrong);
  g_assert_true (trv_test_wait_for (both_have_media, f, WAIT_LIMIT_MS));
  trv_test_run_for (2000);
  g_autofree gchar *right = g_strdup_printf ("127.0.0.1:%u", real_port);
  g_assert_cmpstr (trv_media_transport_get_remote_address (f->ta), ==, right);
  g_assert_cmpuint (f->path_changes_a, >=, 2);
  stop_both (f);
  g_assert_true (tone_present (f->rec_b, TONE_A));
  g_assert_true (tone_present (f->rec_a, TONE_B));
}

/* The peer moves to a new port (a re-INVITE after its restart): update() re-targets
 * sending without rebuilding, and audio reaches the new place. */
static void
test_remote_moves (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!need_tool (f))
    return;
  negotiate (f, "PCMA", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  start_both (f);
  g_assert_true (trv_test_wait_for (both_have_media, f, WAIT_LIMIT_MS));
  trv_test_run_for (300);
  trv_media_session_stop (f->mb);
  g_clear_object (&f->mb);
  g_clear_object (&f->tb);

  f->tb = trv_test_udp_transport (WAIT_LIMIT_MS);
  negotiate (f, "PCMA", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  g_autofree gchar *rec = g_build_filename (f->dir, "rec-b2.wav", NULL);
  f->mb = new_session (f->tb, f->tone_b, rec);
  g_assert_true (trv_media_session_start (f->mb, f->nb, &error));
  g_assert_no_error (error);
  g_assert_true (trv_media_session_update (f->ma, f->na, &error));
  g_assert_no_error (error);
  g_autofree gchar *where = g_strdup_printf ("127.0.0.1:%u", f->na->remote->port);
  g_assert_cmpstr (trv_media_transport_get_remote_address (f->ta), ==, where);
  trv_test_run_for (2000);
  stop_both (f);
  g_assert_null (f->error_a);
  g_assert_true (tone_present (rec, TONE_A));
  g_unlink (rec);
}

static void
test_bad_play_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!need_tool (f))
    return;
  negotiate (f, "PCMU", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);

  g_autofree gchar *missing = g_build_filename (f->dir, "missing.wav", NULL);
  f->ma = new_session (f->ta, missing, f->rec_a);
  g_assert_false (trv_media_session_start (f->ma, f->na, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MEDIA);
  g_assert_nonnull (strstr (error->message, "missing.wav"));
  g_clear_error (&error);
  trv_media_session_stop (f->ma);
  g_clear_object (&f->ma);

  g_autofree gchar *text = g_build_filename (f->dir, "text.wav", NULL);
  g_assert_true (g_file_set_contents (text, "this is not audio\n", -1, NULL));
  f->mb = new_session (f->tb, text, NULL);
  g_assert_false (trv_media_session_start (f->mb, f->nb, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MEDIA);
  g_assert_nonnull (strstr (error->message, "not a WAV file"));
  g_unlink (text);
}

/* Audio descriptions (TRAVERSE_AUDIOSRC/-SINK) naming an element nobody provides. */
static void
test_missing_element (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!need_tool (f))
    return;
  negotiate (f, "PCMU", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  g_autoptr(TrvMediaOptions) o = trv_media_options_new ();
  o->source_desc = g_strdup ("audiotestsrc is-live=true ! trvnosuchelement");
  o->record_file = g_strdup (f->rec_a);
  f->ma = trv_media_session_new (f->ta, o);
  g_assert_false (trv_media_session_start (f->ma, f->na, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MEDIA);
  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "audio source"));
  g_assert_nonnull (strstr (error->message, "'trvnosuchelement' does not exist"));
  g_clear_error (&error);

  g_autoptr(TrvMediaOptions) o2 = trv_media_options_new ();
  o2->play_file = g_strdup (f->tone_b);
  o2->sink_desc = g_strdup ("trvnosuchsink");
  f->mb = trv_media_session_new (f->tb, o2);
  g_assert_false (trv_media_session_start (f->mb, f->nb, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MEDIA);
  g_assert_nonnull (strstr (error->message, "audio sink"));
  g_assert_nonnull (strstr (error->message, "trvnosuchsink"));
}

/* A WAV header with nonsense inside: wavparse fails while running. */
static void
test_corrupt_play_file (Fixture *f, gconstpointer data)
{
  if (!need_tool (f))
    return;
  negotiate (f, "PCMU", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  g_autofree gchar *bad = g_build_filename (f->dir, "bad.wav", NULL);
  static const char junk[] = "RIFF\x24\x00\x00\x00WAVEjunk\xff\xff\xff\xff garbage garbage";
  g_assert_true (g_file_set_contents (bad, junk, sizeof junk - 1, NULL));
  g_autoptr(GError) error = NULL;
  f->ma = new_session (f->ta, bad, f->rec_a);
  g_signal_connect (f->ma, "error", G_CALLBACK (on_error_a), f);
  if (trv_media_session_start (f->ma, f->na, &error))
    {
      gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_MS * 1000;
      while (f->error_a == NULL && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_nonnull (f->error_a);
      error = g_error_copy (f->error_a);
    }
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MEDIA);
  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "bad.wav"));
  g_unlink (bad);
}

/* The UDP transport on its own: ports, description, remote validation, path. */
static void
test_udp_transport (void)
{
  g_autoptr(TrvMediaTransport) t = trv_test_udp_transport (WAIT_LIMIT_MS);
  g_autoptr(TrvMediaEndpoint) local = trv_media_endpoint_new ();
  trv_media_transport_describe (t, local);
  g_assert_cmpstr (local->address, ==, "127.0.0.1");
  g_assert_cmpuint (local->port % 2, ==, 0);
  g_assert_cmpuint (local->rtcp_port, ==, local->port + 1);
  g_assert_true (local->rtcp_mux);
  g_assert_null (local->ice_ufrag);

  g_autoptr(GError) error = NULL;
  g_autoptr(TrvMediaEndpoint) remote = trv_media_endpoint_new ();
  remote->address = g_strdup ("peer.example.org");
  remote->port = 4000;
  g_assert_false (trv_media_transport_set_remote (t, remote, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP);
  g_clear_error (&error);
  g_free (remote->address);
  remote->address = g_strdup ("::1");
  g_assert_false (trv_media_transport_set_remote (t, remote, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NO_PATH);
  g_clear_error (&error);

  g_free (remote->address);
  remote->address = g_strdup ("127.0.0.1");
  g_assert_true (trv_media_transport_set_remote (t, remote, TRUE, &error));
  g_assert_no_error (error);
  g_autofree gchar *local_addr = g_strdup_printf ("127.0.0.1:%u", local->port);
  g_assert_cmpstr (trv_media_transport_get_local_address (t), ==, local_addr);
  g_assert_cmpstr (trv_media_transport_get_remote_address (t), ==, "127.0.0.1:4000");
  g_assert_cmpint (trv_media_transport_get_remote_type (t), ==, TRV_PATH_HOST);
  g_assert_cmpstr (trv_media_transport_get_protocol (t), ==, "udp");
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_PATH_TYPE, TRV_PATH_RELAY), ==, "relay");
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_PATH_TYPE, TRV_PATH_SRFLX), ==, "srflx");

  /* The advertised address goes into the SDP; sockets stay on the bind address. */
  g_autoptr(TrvMediaTransport) pub = trv_udp_transport_new ("127.0.0.1", "203.0.113.7");
  trv_test_prepare (pub, WAIT_LIMIT_MS);
  g_autoptr(TrvMediaEndpoint) adv = trv_media_endpoint_new ();
  trv_media_transport_describe (pub, adv);
  g_assert_cmpstr (adv->address, ==, "203.0.113.7");

  trv_media_transport_close (t);
  trv_media_transport_close (t);
  g_assert_false (trv_media_transport_set_remote (t, remote, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE);

  g_autoptr(TrvMediaTransport) bad = trv_udp_transport_new ("not-an-ip", NULL);
  gboolean done = FALSE;
  trv_media_transport_prepare_async (bad, NULL, on_prepare_failed, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/udp-transport/basics", test_udp_transport);
  static const char *codecs[] = { "opus", "G722", "PCMU", "PCMA" };
  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/media-session/tone-both-ways/%s", codecs[i]);
      g_test_add (path, Fixture, codecs[i], fixture_setup, test_codec, fixture_teardown);
    }
  g_test_add ("/media-session/opus-fec-on-loss", Fixture, NULL, fixture_setup,
              test_opus_fec_on_loss, fixture_teardown);
  g_test_add ("/media-session/no-rtcp-mux", Fixture, NULL, fixture_setup,
              test_no_rtcp_mux, fixture_teardown);
  g_test_add ("/media-session/dtmf/opus", Fixture, "opus", fixture_setup, test_dtmf,
              fixture_teardown);
  g_test_add ("/media-session/dtmf/PCMU", Fixture, "PCMU", fixture_setup, test_dtmf,
              fixture_teardown);
  g_test_add ("/media-session/mute", Fixture, NULL, fixture_setup, test_mute,
              fixture_teardown);
  g_test_add ("/media-session/hold", Fixture, NULL, fixture_setup, test_hold,
              fixture_teardown);
  g_test_add ("/media-session/codec-change", Fixture, NULL, fixture_setup,
              test_codec_change, fixture_teardown);
  g_test_add ("/media-session/latching", Fixture, NULL, fixture_setup, test_latching,
              fixture_teardown);
  g_test_add ("/media-session/bad-play-file", Fixture, NULL, fixture_setup,
              test_bad_play_file, fixture_teardown);
  g_test_add ("/media-session/remote-moves", Fixture, NULL, fixture_setup,
              test_remote_moves, fixture_teardown);
  g_test_add ("/media-session/missing-element", Fixture, NULL, fixture_setup,
              test_missing_element, fixture_teardown);
  g_test_add ("/media-session/corrupt-play-file", Fixture, NULL, fixture_setup,
              test_corrupt_play_file, fixture_teardown);
  return g_test_run ();
}
