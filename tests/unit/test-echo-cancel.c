/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Echo cancellation (webrtcdsp + webrtcechoprobe) on device audio, in one process: two
 * media sessions over UDP on 127.0.0.1. Side A stands in for a desktop call: its source
 * and sink are descriptions flagged as devices (a live test tone, a clocked fakesink).
 * Side B records what it receives. The pipeline is inspected by element factory; the
 * tone is checked in B's recording with trv-tone. */
#include <gst/gst.h>
#include <glib/gstdio.h>

#include "trv-error.h"
#include "trv-media-session-private.h"
#include "trv-udp-transport.h"
#include "trv-test-util.h"
#include "trv-offer-answer.h"

#define WAIT_LIMIT_MS 8000
#define TONE_A 1000

typedef struct {
  gchar *dir;
  gchar *rec_b;
  TrvMediaTransport *ta, *tb;
  TrvMediaSession *ma, *mb;
  TrvNegotiation *na, *nb;
  guint first_rtp_b;
} Fixture;

static void
negotiate (Fixture *f)
{
  g_autoptr(TrvMediaConfig) cfg = trv_media_config_new ();
  g_autoptr(TrvMediaEndpoint) ea = trv_media_endpoint_new ();
  g_autoptr(TrvMediaEndpoint) eb = trv_media_endpoint_new ();
  trv_media_transport_describe (f->ta, ea);
  trv_media_transport_describe (f->tb, eb);
  g_autoptr(GError) error = NULL;
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, ea, TRV_DIRECTION_SENDRECV,
                                                           1, 1);
  g_autofree gchar *answer = trv_offer_answer_create_answer (offer, cfg, eb,
                                                             TRV_DIRECTION_SENDRECV, 2, 1,
                                                             &f->nb, &error);
  g_assert_no_error (error);
  f->na = trv_offer_answer_parse_answer (offer, answer, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->na);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = trv_test_tmp_dir ("trv-aec-XXXXXX");
  f->rec_b = g_build_filename (f->dir, "rec-b.wav", NULL);
  f->ta = trv_test_udp_transport (WAIT_LIMIT_MS);
  f->tb = trv_test_udp_transport (WAIT_LIMIT_MS);
  negotiate (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  trv_test_media_clear (&f->ma, &f->mb, &f->ta, &f->tb, &f->na, &f->nb);
  trv_test_remove_file (&f->rec_b);
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Side A: "device" audio as TRAVERSE_AUDIOSRC/SINK would give it, flagged as devices
 * the way the desktop app flags the preferences' device choice. */
static TrvMediaOptions *
device_options (gboolean echo_cancel)
{
  TrvMediaOptions *o = trv_media_options_new ();
  o->source_desc = g_strdup_printf ("audiotestsrc is-live=true wave=sine freq=%d volume=0.5",
                                    TONE_A);
  o->sink_desc = g_strdup ("fakesink sync=true");
  o->descs_are_devices = TRUE;
  o->echo_cancel = echo_cancel;
  o->jitter_ms = 40;
  return o;
}

/* Counts the elements made by `factory` anywhere in the session's pipeline. */
static guint
count_factory (TrvMediaSession *m, const char *factory)
{
  g_assert_nonnull (m->pipeline);
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (m->pipeline));
  GValue v = G_VALUE_INIT;
  guint n = 0;
  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK)
    {
      GstElementFactory *f = gst_element_get_factory (g_value_get_object (&v));
      if (f && g_str_equal (gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (f)), factory))
        n++;
      g_value_reset (&v);
    }
  g_value_unset (&v);
  return n;
}

static void
on_first_rtp (TrvMediaSession *m, guint *count)
{
  (*count)++;
}

static void
on_error (TrvMediaSession *m, GError *error, gpointer data)
{
  g_error ("media error: %s", error->message);
}

/* Starts A (device-like, echo_cancel as given) and B (records to a file). */
static void
start_call (Fixture *f, gboolean echo_cancel)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvMediaOptions) oa = device_options (echo_cancel);
  g_autoptr(TrvMediaOptions) ob = trv_media_options_new ();
  ob->source_desc = g_strdup ("audiotestsrc is-live=true wave=silence");
  ob->record_file = g_strdup (f->rec_b);
  ob->jitter_ms = 40;
  f->ma = trv_media_session_new (f->ta, oa);
  f->mb = trv_media_session_new (f->tb, ob);
  g_signal_connect (f->ma, "error", G_CALLBACK (on_error), NULL);
  g_signal_connect (f->mb, "error", G_CALLBACK (on_error), NULL);
  g_signal_connect (f->mb, "first-rtp", G_CALLBACK (on_first_rtp), &f->first_rtp_b);
  g_assert_true (trv_media_session_start (f->ma, f->na, &error));
  g_assert_no_error (error);
  g_assert_true (trv_media_session_start (f->mb, f->nb, &error));
  g_assert_no_error (error);
}

static int
tone_check (const char *path, int freq, const char *min_fraction)
{
  return trv_test_tone_check (path, freq, min_fraction, "0.3");
}

static void
test_elements (Fixture *f, gconstpointer data)
{
  gboolean on = GPOINTER_TO_INT (data);
  start_call (f, on);
  guint want = on ? 1 : 0;
  g_assert_cmpuint (count_factory (f->ma, "webrtcdsp"), ==, want);
  g_assert_cmpuint (count_factory (f->ma, "webrtcechoprobe"), ==, want);
  /* B records to a file: never an echo canceller there. */
  g_assert_cmpuint (count_factory (f->mb, "webrtcdsp"), ==, 0);
  g_assert_cmpuint (count_factory (f->mb, "webrtcechoprobe"), ==, 0);
}

/* With the DSP in the microphone path the far end still hears the tone. */
static void
test_tone_carried (Fixture *f, gconstpointer data)
{
  if (g_getenv ("TRV_TONE") == NULL)
    {
      g_test_skip ("TRV_TONE is not set (run through meson test)");
      return;
    }
  start_call (f, TRUE);
  g_assert_cmpuint (count_factory (f->ma, "webrtcdsp"), ==, 1);
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_MS * 1000;
  while (f->first_rtp_b == 0 && g_get_monotonic_time () < deadline)
    trv_test_run_for (20);
  g_assert_cmpuint (f->first_rtp_b, >, 0);
  trv_test_run_for (2500);
  trv_media_session_stop (f->mb);
  g_assert_cmpint (tone_check (f->rec_b, TONE_A, "0.9"), ==, 0);
}

/* Files, test stand-ins that are not flagged as devices, and the echo endpoint get no
 * echo canceller; devices (descriptions flagged, or none = autoaudiosrc/-sink) do. */
static void
test_which_options (void)
{
  g_autoptr(TrvMediaOptions) o = trv_media_options_new ();
  g_assert_true (o->echo_cancel);
  g_assert_true (_trv_media_options_want_echo_cancel (o));
  o->echo_cancel = FALSE;
  g_assert_false (_trv_media_options_want_echo_cancel (o));
  o->echo_cancel = TRUE;

  o->source_desc = g_strdup ("audiotestsrc is-live=true");
  g_assert_false (_trv_media_options_want_echo_cancel (o));
  o->descs_are_devices = TRUE;
  g_assert_true (_trv_media_options_want_echo_cancel (o));

  o->play_file = g_strdup ("x.wav");
  g_assert_false (_trv_media_options_want_echo_cancel (o));
  g_clear_pointer (&o->play_file, g_free);
  o->record_file = g_strdup ("y.wav");
  g_assert_false (_trv_media_options_want_echo_cancel (o));
  g_clear_pointer (&o->record_file, g_free);
  o->echo = TRUE;
  g_assert_false (_trv_media_options_want_echo_cancel (o));
  o->echo = FALSE;

  g_autoptr(TrvMediaOptions) c = trv_media_options_copy (o);
  g_assert_true (c->echo_cancel && c->descs_are_devices);
  g_assert_true (_trv_media_options_want_echo_cancel (c));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/echo-cancel/which-options", test_which_options);
  g_test_add ("/echo-cancel/elements/on", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_elements, fixture_teardown);
  g_test_add ("/echo-cancel/elements/off", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_elements, fixture_teardown);
  g_test_add ("/echo-cancel/tone-carried", Fixture, NULL, fixture_setup, test_tone_carried,
              fixture_teardown);
  return g_test_run ();
}
