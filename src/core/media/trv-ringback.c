/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ringback.c: the local ringback tone: GStreamer's sine sources, gated into the
 * region's cadence by the position of each buffer in the stream. */
#include "config.h"

#include "trv-ringback.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-error.h"

#define RATE 8000
#define SAMPLES_PER_BUFFER 160   /* 20 ms: both cadences are whole multiples of it */
#define GATE_KEY "trv-ringback-gate"

/* Shared by the streaming thread (the probe) and the owner (played time). */
typedef struct {
  guint on_ms;
  guint off_ms;
  GstClockTime first_pts;
  GMutex lock;
  guint64 played_ms;
} Gate;

static void
gate_free (gpointer data)
{
  Gate *gate = data;
  g_mutex_clear (&gate->lock);
  g_free (gate);
}

TrvRingbackTone
trv_ringback_tone_for_locale (const char *locale)
{
  const char *vars[] = { "LC_ALL", "LC_TELEPHONE", "LANG" };
  for (guint i = 0; locale == NULL && i < G_N_ELEMENTS (vars); i++)
    {
      const char *value = g_getenv (vars[i]);
      if (value && *value)
        locale = value;
    }
  const char *territory = locale ? strchr (locale, '_') : NULL;
  if (territory == NULL)
    return TRV_RINGBACK_TONE_EUROPE;
  territory++;
  gsize len = strcspn (territory, ".@");
  if (len == 2 && (g_ascii_strncasecmp (territory, "US", 2) == 0 ||
                   g_ascii_strncasecmp (territory, "CA", 2) == 0))
    return TRV_RINGBACK_TONE_NORTH_AMERICA;
  return TRV_RINGBACK_TONE_EUROPE;
}

void
trv_ringback_tone_cadence (TrvRingbackTone tone, guint *on_ms, guint *off_ms)
{
  *on_ms = tone == TRV_RINGBACK_TONE_NORTH_AMERICA ? 2000 : 1000;
  *off_ms = 4000;
}

/* Buffers in the off part of the cadence become silence. */
static GstPadProbeReturn
on_gate_buffer (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  Gate *gate = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  if (!GST_BUFFER_PTS_IS_VALID (buf))
    return GST_PAD_PROBE_OK;
  if (gate->first_pts == GST_CLOCK_TIME_NONE)
    gate->first_pts = GST_BUFFER_PTS (buf);
  guint64 ms = (GST_BUFFER_PTS (buf) - gate->first_pts) / GST_MSECOND;
  g_mutex_lock (&gate->lock);
  if (GST_BUFFER_DURATION_IS_VALID (buf))
    gate->played_ms += GST_BUFFER_DURATION (buf) / GST_MSECOND;
  g_mutex_unlock (&gate->lock);
  if (ms % (gate->on_ms + gate->off_ms) < gate->on_ms)
    return GST_PAD_PROBE_OK;
  buf = gst_buffer_make_writable (buf);
  GstMapInfo map;
  if (gst_buffer_map (buf, &map, GST_MAP_WRITE))
    {
      memset (map.data, 0, map.size);
      gst_buffer_unmap (buf, &map);
    }
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  return GST_PAD_PROBE_OK;
}

static GstElement *
sine_new (guint freq, double volume, gboolean live)
{
  GstElement *src = gst_element_factory_make ("audiotestsrc", NULL);
  g_object_set (src, "wave", 0 /* sine */, "freq", (double) freq, "volume", volume,
                "is-live", live, "samplesperbuffer", SAMPLES_PER_BUFFER, NULL);
  return src;
}

GstElement *
trv_ringback_source_new (TrvRingbackTone tone, gboolean live)
{
  GstElement *bin = gst_bin_new ("ringback");
  GstElement *caps = gst_element_factory_make ("capsfilter", NULL);
  g_autoptr(GstCaps) format = gst_caps_new_simple ("audio/x-raw",
                                                   "format", G_TYPE_STRING, "S16LE",
                                                   "rate", G_TYPE_INT, RATE,
                                                   "channels", G_TYPE_INT, 1,
                                                   "layout", G_TYPE_STRING, "interleaved",
                                                   NULL);
  g_object_set (caps, "caps", format, NULL);
  gst_bin_add (GST_BIN (bin), caps);
  if (tone == TRV_RINGBACK_TONE_NORTH_AMERICA)
    {
      /* Two sines mixed: the dual tone at the same loudness as the single one. */
      GstElement *mix = gst_element_factory_make ("audiomixer", NULL);
      GstElement *low = sine_new (440, 0.15, live);
      GstElement *high = sine_new (480, 0.15, live);
      gst_bin_add_many (GST_BIN (bin), low, high, mix, NULL);
      gst_element_link_many (low, mix, caps, NULL);
      gst_element_link (high, mix);
    }
  else
    {
      GstElement *sine = sine_new (425, 0.3, live);
      gst_bin_add (GST_BIN (bin), sine);
      gst_element_link (sine, caps);
    }
  Gate *gate = g_new0 (Gate, 1);
  trv_ringback_tone_cadence (tone, &gate->on_ms, &gate->off_ms);
  gate->first_pts = GST_CLOCK_TIME_NONE;
  g_mutex_init (&gate->lock);
  g_autoptr(GstPad) out = gst_element_get_static_pad (caps, "src");
  gst_pad_add_probe (out, GST_PAD_PROBE_TYPE_BUFFER, on_gate_buffer, gate, NULL);
  g_object_set_data_full (G_OBJECT (bin), GATE_KEY, gate, gate_free);
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", out));
  return bin;
}

/* --- the player ------------------------------------------------------------------- */

struct _TrvRingback {
  GObject parent_instance;
  TrvRingbackTone tone;
  gchar *sink_desc;
  GstElement *pipeline;
  Gate *gate;                /* owned by the pipeline's source bin */
  guint bus_watch;
  guint64 played_ms;         /* of pipelines already stopped */
};

G_DEFINE_FINAL_TYPE (TrvRingback, trv_ringback, G_TYPE_OBJECT)

static gboolean
on_ringback_bus (GstBus *bus, GstMessage *message, gpointer data)
{
  TrvRingback *self = data;
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      gst_message_parse_error (message, &error, NULL);
      /* The call goes on without the tone: nothing the user must act on. */
      g_debug ("ringback: output failed, stopping it: %s", error->message);
      self->bus_watch = 0;
      trv_ringback_stop (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

TrvRingback *
trv_ringback_new (TrvRingbackTone tone, const char *sink_desc)
{
  TrvRingback *self = g_object_new (TRV_TYPE_RINGBACK, NULL);
  self->tone = tone;
  self->sink_desc = g_strdup (sink_desc && *sink_desc ? sink_desc : "autoaudiosink");
  return self;
}

gboolean
trv_ringback_start (TrvRingback *self, GError **error)
{
  g_return_val_if_fail (TRV_IS_RINGBACK (self), FALSE);
  if (self->pipeline)
    return TRUE;
  g_autoptr(GError) local_error = NULL;
  GstElement *sink = gst_parse_bin_from_description (self->sink_desc, TRUE, &local_error);
  if (sink == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("cannot open the audio output (%s): %s"),
                   self->sink_desc, local_error->message);
      return FALSE;
    }
  GstElement *source = trv_ringback_source_new (self->tone, TRUE);
  GstElement *convert = gst_element_factory_make ("audioconvert", NULL);
  GstElement *resample = gst_element_factory_make ("audioresample", NULL);
  self->pipeline = gst_pipeline_new ("ringback");
  gst_bin_add_many (GST_BIN (self->pipeline), source, convert, resample, sink, NULL);
  gst_element_link_many (source, convert, resample, sink, NULL);
  self->gate = g_object_get_data (G_OBJECT (source), GATE_KEY);
  g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_ringback_bus, self);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      trv_ringback_stop (self);
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("cannot open the audio output (%s)"),
                   self->sink_desc);
      return FALSE;
    }
  g_debug ("ringback: playing (%s) on %s",
           self->tone == TRV_RINGBACK_TONE_NORTH_AMERICA ? "440+480 Hz" : "425 Hz",
           self->sink_desc);
  return TRUE;
}

void
trv_ringback_stop (TrvRingback *self)
{
  g_return_if_fail (TRV_IS_RINGBACK (self));
  if (self->pipeline == NULL)
    return;
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  self->played_ms = trv_ringback_get_played_ms (self);
  self->gate = NULL;
  g_clear_object (&self->pipeline);
  g_debug ("ringback: stopped after %" G_GUINT64_FORMAT " ms", self->played_ms);
}

guint64
trv_ringback_get_played_ms (TrvRingback *self)
{
  g_return_val_if_fail (TRV_IS_RINGBACK (self), 0);
  if (self->gate == NULL)
    return self->played_ms;
  g_mutex_lock (&self->gate->lock);
  guint64 ms = self->played_ms + self->gate->played_ms;
  g_mutex_unlock (&self->gate->lock);
  return ms;
}

static void
trv_ringback_dispose (GObject *object)
{
  trv_ringback_stop (TRV_RINGBACK (object));
  G_OBJECT_CLASS (trv_ringback_parent_class)->dispose (object);
}

static void
trv_ringback_finalize (GObject *object)
{
  g_free (TRV_RINGBACK (object)->sink_desc);
  G_OBJECT_CLASS (trv_ringback_parent_class)->finalize (object);
}

static void
trv_ringback_class_init (TrvRingbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = trv_ringback_dispose;
  object_class->finalize = trv_ringback_finalize;
}

static void
trv_ringback_init (TrvRingback *self)
{
}
