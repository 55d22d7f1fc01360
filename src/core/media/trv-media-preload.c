/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-preload.c: loads the GStreamer plugins of the first call on a worker thread,
 * so that building the call's pipeline does not wait for dlopen and plugin_init. */
#include "trv-media-preload.h"
#include "trv-media-session-private.h"
#include "trv-codec.h"

#include <string.h>

/* Elements of every call's pipeline (trv-media-pipeline.c, trv-media-io.c) and of both
 * transports; the codec-, SRTP- and echo-canceller-specific ones are added below. */
static const char *const common_factories[] = {
  "rtpbin", "audioconvert", "audioresample", "volume", "valve", "capsfilter",
  "input-selector", "funnel", "clocksync", "queue",
  "rtpdtmfsrc", "rtpdtmfmux", "rtpdtmfdepay",
  "udpsrc", "udpsink", "nicesrc", "appsink",
  NULL
};

static GMutex hold_lock;
static GCond hold_cond;
static gboolean held;

void
trv_media_preload_hold (void)
{
  g_mutex_lock (&hold_lock);
  held = TRUE;
  g_mutex_unlock (&hold_lock);
  g_debug ("media preload held");
}

void
trv_media_preload_release (void)
{
  g_mutex_lock (&hold_lock);
  gboolean was_held = held;
  held = FALSE;
  g_cond_broadcast (&hold_cond);
  g_mutex_unlock (&hold_lock);
  if (was_held)
    g_debug ("media preload released");
}

void
trv_media_preload_wait (void)
{
  gint64 end = g_get_monotonic_time () + TRV_MEDIA_PRELOAD_MAX_HOLD_S * G_USEC_PER_SEC;
  g_mutex_lock (&hold_lock);
  while (held && g_cond_wait_until (&hold_cond, &hold_lock, end))
    ;
  g_mutex_unlock (&hold_lock);
}

/* "opusenc audio-type=voice ..." -> "opusenc" */
static void
add_first_word (GPtrArray *names, const char *desc)
{
  if (desc != NULL)
    g_ptr_array_add (names, g_strndup (desc, strcspn (desc, " !")));
}

GStrv
trv_media_preload_factories (const TrvMediaConfig *media, const TrvMediaOptions *options,
                             gboolean srtp)
{
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; common_factories[i]; i++)
    g_ptr_array_add (names, g_strdup (common_factories[i]));

  /* Only the preferred codec: between Traverse peers it is the one negotiated, and
   * loading every codec would cost memory for nothing (libav for G.722 is ~30 MiB). */
  const TrvCodec *codec = NULL;
  if (media && media->codecs && media->codecs[0])
    codec = trv_codec_lookup (media->codecs[0]);
  if (codec == NULL)
    codec = trv_codec_all ()[0];
  add_first_word (names, codec->encoder);
  add_first_word (names, codec->payloader);
  add_first_word (names, codec->depayloader);
  add_first_word (names, codec->decoder);

  if (srtp)
    {
      g_ptr_array_add (names, g_strdup ("srtpenc"));
      g_ptr_array_add (names, g_strdup ("srtpdec"));
    }
  if (options && options->play_file)
    g_ptr_array_add (names, g_strdup ("wavparse"));
  if (options && options->record_file)
    g_ptr_array_add (names, g_strdup ("wavenc"));
  if (options && _trv_media_options_want_echo_cancel (options))
    {
      g_ptr_array_add (names, g_strdup ("webrtcdsp"));
      g_ptr_array_add (names, g_strdup ("webrtcechoprobe"));
    }
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

static gpointer
preload_thread (gpointer data)
{
  g_auto(GStrv) names = data;
  trv_media_preload_wait ();
  /* The desktop initializes GStreamer on a thread (src/ui/main.c): wait for it. */
  gst_init (NULL, NULL);
  GstRegistry *registry = gst_registry_get ();
  for (guint i = 0; names[i]; i++)
    {
      /* A missing plugin is not an error here: the pipeline reports it with the
       * package to install when the call needs it. */
      g_autoptr(GstPluginFeature) feature =
        gst_registry_find_feature (registry, names[i], GST_TYPE_ELEMENT_FACTORY);
      if (feature == NULL)
        continue;
      g_autoptr(GstPluginFeature) loaded = gst_plugin_feature_load (feature);
    }
  return NULL;
}

GThread *
trv_media_preload_start (const TrvMediaConfig *media, const TrvMediaOptions *options,
                         gboolean srtp)
{
  return g_thread_new ("trv-preload", preload_thread,
                       trv_media_preload_factories (media, options, srtp));
}
