/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ice-send.c: the pipeline's sink on an ICE transport: an appsink whose packets go
 * out with nice_agent_send (). nicesink drops libnice's refusals (no pair selected yet,
 * consent lost), so a dead call reported every packet it had merely handed over; here
 * only what libnice took counts as sent. */
#include "config.h"

#include <gst/app/gstappsink.h>

#include "trv-ice-transport-private.h"

typedef struct {
  TrvIceTransport *transport;   /* strong: the transport holds no ref on the sink */
  NiceAgent *agent;             /* strong: close() lets go of the transport's */
  guint component;
} Sender;

static void
sender_free (gpointer data)
{
  Sender *s = data;
  g_object_unref (s->transport);
  g_object_unref (s->agent);
  g_free (s);
}

/* RFC 5761: on a muxed port, a second byte of 192..223 is RTCP. */
static gboolean
is_rtp (const guint8 *data, gsize len)
{
  return len >= 12 && (data[0] >> 6) == 2 && !(data[1] >= 192 && data[1] <= 223);
}

/* Streaming thread. */
static GstFlowReturn
on_new_sample (GstAppSink *sink, gpointer data)
{
  Sender *s = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buf = sample ? gst_sample_get_buffer (sample) : NULL;
  GstMapInfo map;
  if (buf == NULL || !gst_buffer_map (buf, &map, GST_MAP_READ))
    return GST_FLOW_OK;
  guint stream = (guint) g_atomic_int_get (&s->transport->send_stream_id);
  gint sent = nice_agent_send (s->agent, stream, s->component, (guint) map.size,
                               (const gchar *) map.data);
  if (sent == (gint) map.size && s->component == TRV_COMPONENT_RTP && is_rtp (map.data, map.size))
    g_atomic_int_inc (&s->transport->rtp_sent);
  gst_buffer_unmap (buf, &map);
  /* A refused packet is lost like one dropped on the way: the pipeline goes on. */
  return GST_FLOW_OK;
}

GstElement *
_trv_ice_transport_make_sender (TrvIceTransport *self, guint component)
{
  if (self->agent == NULL)
    return NULL;
  GstElement *e = gst_element_factory_make ("appsink", NULL);
  if (e == NULL)
    return NULL;
  /* RTP leaves as soon as it is made; waiting for the clock only adds delay. */
  g_object_set (e, "sync", FALSE, "async", FALSE, "enable-last-sample", FALSE, NULL);
  Sender *s = g_new0 (Sender, 1);
  s->transport = g_object_ref (self);
  s->agent = g_object_ref (self->agent);
  s->component = component;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  gst_app_sink_set_callbacks (GST_APP_SINK (e), &callbacks, s, sender_free);
  /* Later, restarts move it (trv-ice-gather.c). */
  g_atomic_int_compare_and_exchange (&self->send_stream_id, 0, (gint) self->stream_id);
  return e;
}
