/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-io.c: the ends of a call's audio (microphone, speaker, play and record
 * files, gst-launch descriptions) and element creation with errors that name what is
 * missing. */
#include "config.h"

#include "trv-media-session-private.h"
#include "trv-error.h"

#include <glib/gi18n-lib.h>
#include <gst/base/gstbasesink.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>

#define RECORD_RATE 48000
#define ECHO_CANCEL_RATE 48000   /* webrtcdsp takes 8/16/32/48 kHz */
#define ECHO_PROBE_KEY "trv-echo-probe"
/* A sound card delivers what it captured in periods of this length (GstAudioBaseSrc
 * latency-time, in microseconds). 10 ms is GStreamer's default for pulsesrc/alsasrc;
 * set explicitly so a device description cannot bring a longer period (each ms of it is
 * a ms of mouth-to-ear delay), and it matches webrtcdsp's 10 ms frames. */
#define CAPTURE_PERIOD_US 10000
/* GstBaseSink processing-deadline of a live sound-card sink, i.e. how long after its
 * render time a buffer may still arrive. The default (20 ms) budgets for heavy
 * processing; after the jitter buffer a call only depayloads, decodes 10-20 ms of audio
 * and converts it (well under 1 ms), so 5 ms leaves room for thread scheduling on a
 * busy machine and gives 15 ms back to mouth-to-ear. Network timing is the jitter
 * buffer's job, in front of this. */
#define DEVICE_SINK_DEADLINE_MS 5

/* Which package provides an element is the distribution's (or the Flatpak runtime's)
 * knowledge, not ours: the message names the element, and the log carries GStreamer's
 * installer detail, the string a codec installer (gst_install_plugins_async) takes. */
static void
set_missing_elements (GError **error, const char *const *names)
{
  gst_pb_utils_init ();
  for (guint i = 0; names[i]; i++)
    {
      g_autofree gchar *detail = gst_missing_element_installer_detail_new (names[i]);
      g_debug ("missing GStreamer element %s (installer detail: %s)", names[i], detail);
    }
  if (names[0] != NULL && names[1] == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA,
                   _("GStreamer element '%s' does not exist (no installed plugin provides it)"),
                   names[0]);
      return;
    }
  g_autoptr(GString) list = g_string_new (NULL);
  for (guint i = 0; names[i]; i++)
    g_string_append_printf (list, "%s'%s'", i ? ", " : "", names[i]);
  g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA,
               _("GStreamer elements %s do not exist (no installed plugin provides them)"),
               list->str);
}

GstElement *
_trv_media_make (const char *factory, const char *name, GError **error)
{
  GstElement *e = gst_element_factory_make (factory, name);
  if (e == NULL)
    {
      const char *names[] = { factory, NULL };
      set_missing_elements (error, names);
    }
  return e;
}

/* gst_parse_bin_from_description with errors that name a missing element. `what` is
 * an untranslated N_() string, translated here. */
GstElement *
_trv_media_parse_bin (const char *desc, const char *what, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstParseContext) context = gst_parse_context_new ();
  GstElement *bin = gst_parse_bin_from_description_full (desc, TRUE, context,
                                                         GST_PARSE_FLAG_FATAL_ERRORS,
                                                         &local_error);
  if (bin != NULL)
    return bin;
  g_auto(GStrv) missing = gst_parse_context_get_missing_elements (context);
  if (missing != NULL && missing[0] != NULL)
    {
      set_missing_elements (error, (const char *const *) missing);
      g_prefix_error (error, "%s: ", _(what));
      return NULL;
    }
  /* Translators: the first %s is a part of the audio path ("audio source", "encoder"...),
   * the second its GStreamer description, the last GStreamer's reason. */
  g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("%s '%s' is not usable: %s"), _(what), desc,
               local_error ? local_error->message : _("unknown error"));
  return NULL;
}

static GstPadProbeReturn
on_record_data (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  TrvMediaSession *self = data;
  g_atomic_int_set (&self->recording, 1);
  return GST_PAD_PROBE_REMOVE;
}

/* RIFF/WAVE check up front: a wrong file is a clear error before the call, not a
 * bus error in the middle of it. */
static gboolean
check_play_file (const char *path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &local_error);
  guint8 head[12];
  gsize got = 0;
  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &got, NULL,
                                &local_error))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("cannot read play file '%s': %s"),
                   path, local_error->message);
      return FALSE;
    }
  if (got < sizeof head || memcmp (head, "RIFF", 4) != 0 || memcmp (head + 8, "WAVE", 4) != 0)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA,
                   _("play file '%s' is not a WAV file (no RIFF/WAVE header)"), path);
      return FALSE;
    }
  return TRUE;
}

/* autoaudiosrc/-sink quietly fall back to fake elements without a sound server;
 * a call that silently plays into nothing is worse than a clear error. */
static gboolean
uses_fake_element (GstElement *element)
{
  if (gst_element_set_state (element, GST_STATE_READY) == GST_STATE_CHANGE_FAILURE)
    return TRUE;
  g_autoptr(GstIterator) it = gst_bin_iterate_elements (GST_BIN (element));
  GValue v = G_VALUE_INIT;
  gboolean fake = FALSE;
  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK)
    {
      GstElementFactory *f = gst_element_get_factory (g_value_get_object (&v));
      const char *fname = f ? gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (f)) : "";
      if (g_str_has_prefix (fname, "fake"))
        fake = TRUE;
      g_value_reset (&v);
    }
  g_value_unset (&v);
  return fake;
}

/* autoaudiosrc/-sink quietly fall back to fake elements without a sound server;
 * a call that silently plays into nothing is worse than a clear error. */
static gboolean
check_auto_device (GstElement *element, gboolean source, GError **error)
{
  /* Some capture elements (openalsrc) only fail later, when they start: that is
   * reported on the bus as "the microphone failed". */
  if (!uses_fake_element (element))
    return TRUE;
  gst_element_set_state (element, GST_STATE_NULL);
  g_set_error_literal (error, TRV_ERROR, TRV_ERROR_MEDIA,
                       source ? _("no sound server or microphone found; use a play/record "
                                  "file instead")
                              : _("no sound server or speaker found; use a play/record file "
                                  "instead"));
  return FALSE;
}

/* Streaming thread, after the decoder answered a latency query: while it decodes FEC,
 * its share is the packet it holds back, whatever it declared. */
static GstPadProbeReturn
on_fec_latency (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  GstQuery *q = GST_PAD_PROBE_INFO_QUERY (info);
  if (q == NULL || GST_QUERY_TYPE (q) != GST_QUERY_LATENCY)
    return GST_PAD_PROBE_OK;
  g_autoptr(GstElement) dec = gst_pad_get_parent_element (pad);
  gboolean fec = FALSE;
  if (dec)
    g_object_get (dec, "use-inband-fec", &fec, NULL);
  if (!fec)
    return GST_PAD_PROBE_OK;
  GstClockTime hold = GPOINTER_TO_UINT (data) * GST_MSECOND;
  gboolean live;
  GstClockTime min, max;
  gst_query_parse_latency (q, &live, &min, &max);
  g_autoptr(GstPad) sink = gst_element_get_static_pad (dec, "sink");
  g_autoptr(GstQuery) up = gst_query_new_latency ();
  if (sink == NULL || !gst_pad_peer_query (sink, up))
    return GST_PAD_PROBE_OK;
  GstClockTime up_min, up_max;
  gst_query_parse_latency (up, NULL, &up_min, &up_max);
  min = up_min + hold;
  if (GST_CLOCK_TIME_IS_VALID (max) && max < min)
    max = min;
  gst_query_set_latency (q, live, min, max);
  return GST_PAD_PROBE_OK;
}

/* GStreamer 1.22's opusdec with use-inband-fec declares 120 ms (the longest Opus frame)
 * as its latency when FEC is on at start, and keeps its start-time figure (0) when FEC is
 * switched on later; either way it really holds back exactly one packet, to repair a
 * loss from the next packet's FEC. Sinks honour the declared figure: 100 ms of needless
 * mouth-to-ear delay at 20 ms packets, or late (dropped) audio. */
GstElement *
_trv_media_correct_fec_latency (GstElement *branch, guint hold_ms)
{
  GstElement *dec = _trv_media_find_element (branch, "opusdec");
  if (dec == NULL)
    return NULL;
  g_autoptr(GstPad) src = gst_element_get_static_pad (dec, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_QUERY_UPSTREAM | GST_PAD_PROBE_TYPE_PULL,
                     on_fec_latency, GUINT_TO_POINTER (hold_ms), NULL);
  /* Handed back without our reference: the branch keeps the decoder alive. */
  gst_object_unref (dec);
  return dec;
}

GstElement *
_trv_media_find_element (GstElement *bin, const char *factory)
{
  g_autoptr(GstIterator) it =
    gst_bin_iterate_all_by_element_factory_name (GST_BIN (bin), factory);
  GValue v = G_VALUE_INIT;
  GstElement *found = NULL;
  if (gst_iterator_next (it, &v) == GST_ITERATOR_OK)
    {
      found = g_value_dup_object (&v);
      g_value_unset (&v);
    }
  return found;
}

/* Applies `fn` to every element of `element` (itself, or all inside when a bin) that is
 * of the GType named `type_name` (by name: a plugin's base class, not linked against). */
static void
for_each_of_type (GstElement *element, const char *type_name,
                  void (*fn)(GstElement *e))
{
  GType type = g_type_from_name (type_name);
  if (type == 0)
    return;
  if (!GST_IS_BIN (element))
    {
      if (g_type_is_a (G_OBJECT_TYPE (element), type))
        fn (element);
      return;
    }
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (element));
  GValue v = G_VALUE_INIT;
  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK)
    {
      GstElement *e = g_value_get_object (&v);
      if (g_type_is_a (G_OBJECT_TYPE (e), type))
        fn (e);
      g_value_reset (&v);
    }
  g_value_unset (&v);
}

static void
set_capture_period (GstElement *e)
{
  g_object_set (e, "latency-time", (gint64) CAPTURE_PERIOD_US, NULL);
}

static void
set_sink_deadline (GstElement *e)
{
  /* Only sinks that wait for the clock render live; the deadline adds to their latency. */
  if (gst_base_sink_get_sync (GST_BASE_SINK (e)))
    gst_base_sink_set_processing_deadline (GST_BASE_SINK (e),
                                           DEVICE_SINK_DEADLINE_MS * GST_MSECOND);
}

/* Whether a source/sink description (NULL: autoaudiosrc/-sink) stands for a sound card
 * rather than a test stand-in (TRAVERSE_AUDIOSRC/-SINK). */
static gboolean
is_device (const TrvMediaOptions *o, const char *desc)
{
  return desc == NULL || o->descs_are_devices;
}

gboolean
_trv_media_options_want_echo_cancel (const TrvMediaOptions *o)
{
  /* A file, a test source or the echo endpoint has no microphone that hears the
   * speaker: nothing to cancel, and the DSP would only alter the audio. */
  if (!o->echo_cancel || o->echo || o->play_file || o->record_file)
    return FALSE;
  return (o->source_desc == NULL && o->sink_desc == NULL) || o->descs_are_devices;
}

/* One probe name per session, shared by the microphone's webrtcdsp and the speaker's
 * webrtcechoprobe: webrtcdsp finds its probe by name in a process-wide list, so two
 * calls in one process must not share it. */
static const char *
echo_probe_name (TrvMediaSession *self)
{
  static gint serial;
  const char *name = g_object_get_data (G_OBJECT (self), ECHO_PROBE_KEY);
  if (name == NULL)
    {
      gchar *n = g_strdup_printf ("trv-echo-probe-%d", g_atomic_int_add (&serial, 1));
      g_object_set_data_full (G_OBJECT (self), ECHO_PROBE_KEY, n, g_free);
      name = n;
    }
  return name;
}

/* Microphone: device ! S16 mono ! webrtcdsp (echo cancellation, noise suppression,
 * gain control). Speaker: S16 mono ! webrtcechoprobe ! device; the probe hands what
 * is played to the DSP, which subtracts its echo from what the microphone hears. */
static GstElement *
wrap_echo_cancel (TrvMediaSession *self, GstElement *end, gboolean source, GError **error)
{
  const char *probe = echo_probe_name (self);
  g_autofree gchar *desc =
    g_strdup_printf ("audioconvert ! audioresample ! "
                     "audio/x-raw,format=S16LE,rate=%d,channels=1 ! %s%s",
                     ECHO_CANCEL_RATE, source ? "webrtcdsp probe=" : "webrtcechoprobe name=",
                     probe);
  GstElement *dsp = _trv_media_parse_bin (desc, N_("echo canceller"), error);
  if (dsp == NULL)
    {
      gst_object_unref (end);
      return NULL;
    }
  GstElement *bin = gst_bin_new (source ? "microphone" : "speaker");
  gst_bin_add_many (GST_BIN (bin), end, dsp, NULL);
  gboolean linked = source ? gst_element_link (end, dsp) : gst_element_link (dsp, end);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (dsp, source ? "src" : "sink");
  if (!linked || pad == NULL)
    {
      gst_object_unref (bin);
      g_set_error_literal (error, TRV_ERROR, TRV_ERROR_MEDIA,
                           source ? _("the echo canceller does not fit the microphone's audio "
                                      "format")
                                  : _("the echo canceller does not fit the speaker's audio "
                                      "format"));
      return NULL;
    }
  gst_element_add_pad (bin, gst_ghost_pad_new (source ? "src" : "sink", pad));
  return bin;
}

GstElement *
_trv_media_session_build_source (TrvMediaSession *self, GError **error)
{
  const TrvMediaOptions *o = self->options;
  if (o->play_file)
    {
      if (!check_play_file (o->play_file, error))
        return NULL;
      GstElement *bin = gst_bin_new ("play");
      GstElement *src = _trv_media_make ("filesrc", NULL, error);
      GstElement *parse = src ? _trv_media_make ("wavparse", NULL, error) : NULL;
      GstElement *queue = parse ? _trv_media_make ("queue", NULL, error) : NULL;
      if (queue == NULL)
        {
          g_clear_pointer (&src, gst_object_unref);
          g_clear_pointer (&parse, gst_object_unref);
          gst_object_unref (bin);
          return NULL;
        }
      g_object_set (src, "location", o->play_file, NULL);
      gst_bin_add_many (GST_BIN (bin), src, parse, queue, NULL);
      gst_element_link_many (src, parse, queue, NULL);
      g_autoptr(GstPad) out = gst_element_get_static_pad (queue, "src");
      gst_element_add_pad (bin, gst_ghost_pad_new ("src", out));
      self->wavparse = parse;
      return bin;
    }
  GstElement *src;
  if (o->source_desc)
    src = _trv_media_parse_bin (o->source_desc, N_("audio source"), error);
  else
    {
      src = _trv_media_make ("autoaudiosrc", NULL, error);
      if (src && !check_auto_device (src, TRUE, error))
        g_clear_pointer (&src, gst_object_unref);
    }
  /* autoaudiosrc made its device element when check_auto_device set it READY. */
  if (src && is_device (o, o->source_desc))
    for_each_of_type (src, "GstAudioBaseSrc", set_capture_period);
  if (src && _trv_media_options_want_echo_cancel (o))
    src = wrap_echo_cancel (self, src, TRUE, error);
  return src;
}

GstElement *
_trv_media_session_build_sink (TrvMediaSession *self, GError **error)
{
  const TrvMediaOptions *o = self->options;
  if (o->record_file)
    {
      GstElement *bin = gst_bin_new ("record");
      GstElement *conv = _trv_media_make ("audioconvert", NULL, error);
      GstElement *res = conv ? _trv_media_make ("audioresample", NULL, error) : NULL;
      GstElement *caps = res ? _trv_media_make ("capsfilter", NULL, error) : NULL;
      GstElement *enc = caps ? _trv_media_make ("wavenc", NULL, error) : NULL;
      GstElement *sink = enc ? _trv_media_make ("filesink", NULL, error) : NULL;
      if (sink == NULL)
        {
          g_clear_pointer (&conv, gst_object_unref);
          g_clear_pointer (&res, gst_object_unref);
          g_clear_pointer (&caps, gst_object_unref);
          g_clear_pointer (&enc, gst_object_unref);
          gst_object_unref (bin);
          return NULL;
        }
      g_autoptr(GstCaps) raw = gst_caps_new_simple ("audio/x-raw",
                                                    "format", G_TYPE_STRING, "S16LE",
                                                    "rate", G_TYPE_INT, RECORD_RATE,
                                                    "channels", G_TYPE_INT, 1, NULL);
      g_object_set (caps, "caps", raw, NULL);
      g_object_set (sink, "location", o->record_file, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add_many (GST_BIN (bin), conv, res, caps, enc, sink, NULL);
      gst_element_link_many (conv, res, caps, enc, sink, NULL);
      g_autoptr(GstPad) in = gst_element_get_static_pad (conv, "sink");
      gst_pad_add_probe (in, GST_PAD_PROBE_TYPE_BUFFER, on_record_data, self, NULL);
      gst_element_add_pad (bin, gst_ghost_pad_new ("sink", in));
      return bin;
    }
  g_autofree gchar *desc = g_strdup_printf ("audioconvert ! audioresample ! %s",
                                            o->sink_desc ? o->sink_desc : "autoaudiosink");
  GstElement *bin = _trv_media_parse_bin (desc, N_("audio sink"), error);
  if (bin && o->sink_desc == NULL)
    {
      g_autoptr(GstIterator) it = gst_bin_iterate_sinks (GST_BIN (bin));
      GValue v = G_VALUE_INIT;
      gboolean ok = TRUE;
      if (gst_iterator_next (it, &v) == GST_ITERATOR_OK)
        ok = check_auto_device (g_value_get_object (&v), FALSE, error);
      g_value_unset (&v);
      if (!ok)
        g_clear_pointer (&bin, gst_object_unref);
    }
  if (bin && is_device (o, o->sink_desc))
    for_each_of_type (bin, "GstBaseSink", set_sink_deadline);
  if (bin && _trv_media_options_want_echo_cancel (o))
    bin = wrap_echo_cancel (self, bin, FALSE, error);
  return bin;
}
