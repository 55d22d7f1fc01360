/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ringer.c: the ringtone: a 440 Hz tone in the usual 1 s on / 3 s off cadence,
 * played through GStreamer (the same audio output as calls). */
#include "config.h"

#include <gst/gst.h>

#include "trv-ringer.h"

#define RING_ON_MS  1000
#define RING_OFF_MS 3000

struct _TrvRinger {
  GObject parent_instance;
  GstElement *pipeline;
  GstElement *volume;
  guint cadence_source;
  gboolean sounding;
  gboolean ringing;
  gboolean warned;
  gchar *sink_desc;
  double level;                 /* of the tone: 1.0, lower for a soft ring */
};

G_DEFINE_FINAL_TYPE (TrvRinger, trv_ringer, G_TYPE_OBJECT)

static gboolean
on_cadence (gpointer data)
{
  TrvRinger *self = data;
  self->sounding = !self->sounding;
  g_object_set (self->volume, "mute", !self->sounding, NULL);
  self->cadence_source = g_timeout_add (self->sounding ? RING_ON_MS : RING_OFF_MS,
                                        on_cadence, self);
  return G_SOURCE_REMOVE;
}

static GstElement *
build_pipeline (TrvRinger *self, GError **error)
{
  /* Tests and headless sessions point the audio at a fake sink, like traverse-cli. */
  const char *sink = g_getenv ("TRAVERSE_AUDIOSINK");
  gst_init (NULL, NULL); /* started on a thread by main.c: wait for it */
  if (sink == NULL || *sink == '\0')
    sink = self->sink_desc;
  g_autofree gchar *desc =
    g_strdup_printf ("audiotestsrc is-live=true wave=sine freq=440 volume=0.4 "
                     "! volume name=gate ! audioconvert ! audioresample ! %s",
                     sink && *sink ? sink : "autoaudiosink");
  GstElement *pipeline = gst_parse_launch (desc, error);
  if (pipeline == NULL)
    return NULL;
  self->volume = gst_bin_get_by_name (GST_BIN (pipeline), "gate");
  g_object_set (self->volume, "volume", self->level, NULL);
  return pipeline;
}

void
trv_ringer_start (TrvRinger *self)
{
  g_return_if_fail (TRV_IS_RINGER (self));
  g_autoptr(GError) error = NULL;

  if (self->ringing)
    return;
  if (self->pipeline == NULL)
    self->pipeline = build_pipeline (self, &error);
  /* Unmuted before PLAYING: a ring stopped in its pause left the gate muted, and the
   * streaming thread may push the first buffer before set_state() returns. */
  if (self->volume)
    g_object_set (self->volume, "mute", FALSE, NULL);
  if (self->pipeline == NULL ||
      gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (!self->warned)
        g_warning ("cannot play the ringtone: %s",
                   error ? error->message : "no audio output device");
      self->warned = TRUE;
      if (self->pipeline)
        gst_element_set_state (self->pipeline, GST_STATE_NULL);
      return;
    }
  self->ringing = TRUE;
  self->sounding = TRUE;
  self->cadence_source = g_timeout_add (RING_ON_MS, on_cadence, self);
}

void
trv_ringer_stop (TrvRinger *self)
{
  g_return_if_fail (TRV_IS_RINGER (self));
  g_clear_handle_id (&self->cadence_source, g_source_remove);
  if (self->pipeline)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  self->ringing = FALSE;
}

void
trv_ringer_set_sink (TrvRinger *self, const char *sink_desc)
{
  g_return_if_fail (TRV_IS_RINGER (self));
  if (g_strcmp0 (sink_desc, self->sink_desc) == 0)
    return;
  g_free (self->sink_desc);
  self->sink_desc = g_strdup (sink_desc);
  /* Rebuilt with the new output on the next ring. */
  if (!self->ringing)
    {
      g_clear_object (&self->volume);
      g_clear_object (&self->pipeline);
      self->warned = FALSE;
    }
}

void
trv_ringer_set_level (TrvRinger *self, double level)
{
  g_return_if_fail (TRV_IS_RINGER (self));
  self->level = CLAMP (level, 0.0, 1.0);
  if (self->volume)
    g_object_set (self->volume, "volume", self->level, NULL);
}

double
trv_ringer_get_level (TrvRinger *self)
{
  g_return_val_if_fail (TRV_IS_RINGER (self), 0.0);
  return self->level;
}

gboolean
trv_ringer_is_ringing (TrvRinger *self)
{
  return self->ringing;
}

TrvRinger *
trv_ringer_new (void)
{
  return g_object_new (TRV_TYPE_RINGER, NULL);
}

static void
trv_ringer_dispose (GObject *object)
{
  TrvRinger *self = TRV_RINGER (object);
  trv_ringer_stop (self);
  g_clear_object (&self->volume);
  g_clear_object (&self->pipeline);
  G_OBJECT_CLASS (trv_ringer_parent_class)->dispose (object);
}

static void
trv_ringer_finalize (GObject *object)
{
  g_free (TRV_RINGER (object)->sink_desc);
  G_OBJECT_CLASS (trv_ringer_parent_class)->finalize (object);
}

static void
trv_ringer_class_init (TrvRingerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = trv_ringer_dispose;
  G_OBJECT_CLASS (klass)->finalize = trv_ringer_finalize;
}

static void
trv_ringer_init (TrvRinger *self)
{
  self->level = 1.0;
}
