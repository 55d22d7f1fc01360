/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-media-preload.c: which plugins the user agent loads ahead of the first call,
 * and that the worker thread really loads them. */
#include <gst/gst.h>
#include <string.h>

#include "trv-media-preload.h"

static gboolean
plugin_loaded (GstPluginFeature *feature)
{
  g_autoptr(GstPlugin) plugin = gst_plugin_feature_get_plugin (feature);
  return plugin != NULL && gst_plugin_is_loaded (plugin);
}

static gboolean
has (GStrv names, const char *name)
{
  return g_strv_contains ((const char *const *) names, name);
}

static TrvMediaConfig *
config_with_codecs (const char *first, const char *second)
{
  TrvMediaConfig *media = trv_media_config_new ();
  g_strfreev (media->codecs);
  const char *codecs[] = { first, second, NULL };
  media->codecs = g_strdupv ((GStrv) codecs);
  return media;
}

/* The preferred codec only: the others (libav for G.722) load when a call needs them. */
static void
test_preferred_codec_only (void)
{
  g_autoptr(TrvMediaConfig) media = config_with_codecs ("PCMA", "G722");
  g_auto(GStrv) names = trv_media_preload_factories (media, NULL, FALSE);
  g_assert_true (has (names, "rtpbin"));
  g_assert_true (has (names, "nicesrc"));
  g_assert_true (has (names, "alawenc"));
  g_assert_true (has (names, "rtppcmapay"));
  g_assert_true (has (names, "rtppcmadepay"));
  g_assert_true (has (names, "alawdec"));
  g_assert_false (has (names, "avenc_g722"));
  g_assert_false (has (names, "srtpenc"));
  g_assert_false (has (names, "webrtcdsp"));

  g_autoptr(TrvMediaConfig) g722 = config_with_codecs ("G722", "PCMU");
  g_auto(GStrv) g722_names = trv_media_preload_factories (g722, NULL, FALSE);
  g_assert_true (has (g722_names, "avenc_g722"));
  g_assert_true (has (g722_names, "avdec_g722"));
  g_assert_false (has (g722_names, "mulawenc"));
}

/* Encoder descriptions carry properties ("opusenc audio-type=voice ..."): factory names
 * only. SRTP and the echo canceller follow the account and the audio options. */
static void
test_options (void)
{
  g_autoptr(TrvMediaConfig) media = trv_media_config_new ();   /* opus first */
  g_autoptr(TrvMediaOptions) devices = trv_media_options_new (); /* sound devices, AEC on */
  g_auto(GStrv) names = trv_media_preload_factories (media, devices, TRUE);
  g_assert_true (has (names, "opusenc"));
  g_assert_true (has (names, "opusdec"));
  g_assert_true (has (names, "srtpenc"));
  g_assert_true (has (names, "srtpdec"));
  g_assert_true (has (names, "webrtcdsp"));
  g_assert_true (has (names, "webrtcechoprobe"));
  for (guint i = 0; names[i]; i++)
    g_assert_null (strchr (names[i], ' '));

  g_autoptr(TrvMediaOptions) files = trv_media_options_new ();
  files->play_file = g_strdup ("in.wav");
  files->record_file = g_strdup ("out.wav");
  g_auto(GStrv) file_names = trv_media_preload_factories (media, files, FALSE);
  g_assert_false (has (file_names, "webrtcdsp"));
  g_assert_true (has (file_names, "wavparse"));
  g_assert_true (has (file_names, "wavenc"));
}

/* After the thread has run, the preferred codec's plugin is loaded (it was not before:
 * nothing else in this process touches PCMA). */
static void
test_thread_loads (void)
{
  g_autoptr(TrvMediaConfig) media = config_with_codecs ("PCMA", NULL);
  g_autoptr(GstPluginFeature) feature =
    gst_registry_find_feature (gst_registry_get (), "alawenc", GST_TYPE_ELEMENT_FACTORY);
  if (feature == NULL)
    {
      g_test_skip ("the alaw plugin (gstreamer1.0-plugins-good) is not installed");
      return;
    }
  g_assert_false (plugin_loaded (feature));
  GThread *thread = trv_media_preload_start (media, NULL, FALSE);
  g_thread_join (thread);
  g_autoptr(GstPluginFeature) after =
    gst_registry_find_feature (gst_registry_get (), "alawenc", GST_TYPE_ELEMENT_FACTORY);
  g_assert_true (plugin_loaded (after));
}

/* While held, a preload thread loads nothing; the release lets it go. (The desktop holds
 * preloads until its window has drawn.) */
static void
test_hold_release (void)
{
  g_autoptr(TrvMediaConfig) media = config_with_codecs ("PCMU", NULL);
  g_autoptr(GstPluginFeature) feature =
    gst_registry_find_feature (gst_registry_get (), "mulawenc", GST_TYPE_ELEMENT_FACTORY);
  if (feature == NULL)
    {
      g_test_skip ("the mulaw plugin (gstreamer1.0-plugins-good) is not installed");
      return;
    }
  g_assert_false (plugin_loaded (feature));
  trv_media_preload_hold ();
  GThread *thread = trv_media_preload_start (media, NULL, FALSE);
  g_usleep (300 * 1000);
  g_autoptr(GstPluginFeature) held =
    gst_registry_find_feature (gst_registry_get (), "mulawenc", GST_TYPE_ELEMENT_FACTORY);
  g_assert_false (plugin_loaded (held));
  trv_media_preload_release ();
  g_thread_join (thread);
  g_autoptr(GstPluginFeature) after =
    gst_registry_find_feature (gst_registry_get (), "mulawenc", GST_TYPE_ELEMENT_FACTORY);
  g_assert_true (plugin_loaded (after));
  /* Released: a new thread does not wait. */
  g_thread_join (trv_media_preload_start (media, NULL, FALSE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_test_add_func ("/media-preload/preferred-codec-only", test_preferred_codec_only);
  g_test_add_func ("/media-preload/options", test_options);
  g_test_add_func ("/media-preload/thread-loads", test_thread_loads);
  g_test_add_func ("/media-preload/hold-release", test_hold_release);
  return g_test_run ();
}
