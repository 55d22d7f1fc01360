/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-adapt.c: how a call's media follows its path. From the RTCP reports (main
 * context, _trv_media_session_adapt): the jitter buffer's depth, Opus FEC decoding once
 * packets are lost, and the Opus encoder's FEC sized by the loss the peer reports. */
#include "config.h"

#include "trv-media-session-private.h"

#include <math.h>

/* --- helpers ---------------------------------------------------------------------- */

/* Whether an fmtp carries Opus's useinbandfec=1 (RFC 7587). */
static gboolean
fmtp_has_fec (const char *fmtp)
{
  g_auto(GStrv) params = g_strsplit (fmtp ? fmtp : "", ";", -1);
  for (guint i = 0; params[i]; i++)
    if (g_ascii_strcasecmp (g_strstrip (params[i]), "useinbandfec=1") == 0)
      return TRUE;
  return FALSE;
}

/* Streaming thread, before a packet enters the Opus decoder: switches its FEC on once
 * the main context asked for it. opusdec (GStreamer 1.22) reads use-inband-fec several
 * times per packet without a lock; set from another thread while it decodes, it can
 * find FEC off at the start of a packet and on further down, and then takes the size
 * of a held packet it never stored (gst_buffer_get_size (NULL): a CRITICAL). Here,
 * on the thread that runs the decoder, the switch falls between two packets. */
static GstPadProbeReturn
on_fec_switch (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  TrvMediaSession *self = data;
  if (!g_atomic_int_get (&self->fec_requested))
    return GST_PAD_PROBE_OK;
  g_autoptr(GstElement) dec = gst_pad_get_parent_element (pad);
  if (dec == NULL)
    return GST_PAD_PROBE_OK;
  g_debug ("packets lost: opus FEC decoding on");
  g_object_set (dec, "use-inband-fec", TRUE, NULL);
  gst_element_post_message (dec, gst_message_new_latency (GST_OBJECT (dec)));
  return GST_PAD_PROBE_REMOVE;
}

/* Main context, once the jitter buffer declared a packet lost: from now on the decoder
 * repairs a lost packet from the next one's in-band FEC. That needs one packet of
 * hold-back, so it is not on from the start: on a clean path the FEC data never gets
 * used and the delay would be paid for nothing. Our fmtp's useinbandfec=1 told the peer
 * we decode FEC; the RTCP reports carrying the same loss make the peer's encoder add it
 * (setup_opus_fec on its side). It stays on for the rest of the call (a later stream's
 * decoder starts with it): switching it off would drop the held packet. The pipeline's
 * latency grows by the hold, once. The decoder itself switches, between two packets
 * (on_fec_switch). */
static void
enable_fec_decoding (TrvMediaSession *self)
{
  if (self->rx_codec == NULL || !fmtp_has_fec (self->rx_codec->fmtp))
    return;
  g_atomic_int_set (&self->fec_requested, TRUE);
}

/* Main context: the share of our packets the peer last reported lost (RTCP RR), in %;
 * -1 when it has not reported yet. */
static double
peer_reported_loss (TrvMediaSession *self)
{
  GObject *session = NULL;
  g_signal_emit_by_name (self->rtpbin, "get-internal-session", 0, &session);
  if (session == NULL)
    return -1;
  GstStructure *s = NULL;
  g_object_get (session, "stats", &s, NULL);
  g_object_unref (session);
  if (s == NULL)
    return -1;
  double pct = -1;
  const GValue *arr = gst_structure_get_value (s, "source-stats");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GValueArray *sources = arr ? g_value_get_boxed (arr) : NULL;
  for (guint i = 0; sources && i < sources->n_values; i++)
    {
      const GstStructure *src = g_value_get_boxed (g_value_array_get_nth (sources, i));
      gboolean internal = FALSE, have_rb = FALSE;
      guint fraction = 0;
      gst_structure_get_boolean (src, "internal", &internal);
      if (!internal && gst_structure_get_boolean (src, "have-rb", &have_rb) && have_rb &&
          gst_structure_get_uint (src, "rb-fractionlost", &fraction))
        pct = MAX (pct, fraction * 100.0 / 256.0);
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  gst_structure_free (s);
  return pct;
}

/* --- public ------------------------------------------------------------------------ */

/* Opus FEC where negotiated, sized by the loss the peer reports: opusenc starts at 0 %
 * expected loss. At 10 % it switches to its FEC-carrying mode, which costs four times
 * the CPU of a clean call, so a clean path should not pay for it. */
void
_trv_media_session_setup_encoder (TrvMediaSession *self, GstElement *bin)
{
  if (self->opusenc == NULL)
    self->opusenc = _trv_media_find_element (bin, "opusenc");
  self->fec_loss_pct = 0;
  if (self->opusenc)
    g_object_set (self->opusenc, "inband-fec", fmtp_has_fec (self->negotiation->send_fmtp),
                  "packet-loss-percentage", 0, NULL);
}

void
_trv_media_session_watch_decoder (TrvMediaSession *self, GstElement *dec)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (dec, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     on_fec_switch, self, NULL);
}

void
_trv_media_session_adapt (TrvMediaSession *self, double jitter_ms)
{
  if (self->rtpbin == NULL)
    return;
  g_mutex_lock (&self->lock);
  GstElement *jb = self->jitterbuffer ? g_object_ref (self->jitterbuffer) : NULL;
  g_mutex_unlock (&self->lock);
  guint64 late = 0, lost = 0;
  if (jb)
    {
      GstStructure *s = NULL;
      g_object_get (jb, "stats", &s, NULL);
      if (s)
        {
          gst_structure_get_uint64 (s, "num-late", &late);
          gst_structure_get_uint64 (s, "num-lost", &lost);
        }
      g_clear_pointer (&s, gst_structure_free);
      g_object_unref (jb);
    }
  if (lost > 0)
    enable_fec_decoding (self);
  /* rtpbin hands the new latency to its jitter buffers; they post a latency message. */
  if (trv_jitter_adapt_update (&self->jitter, jitter_ms, late))
    g_object_set (self->rtpbin, "latency", self->jitter.latency_ms, NULL);

  /* Opus FEC follows the loss the peer sees, in whole percent up to 30. */
  double loss = self->opusenc ? peer_reported_loss (self) : -1;
  if (loss >= 0)
    {
      guint pct = (guint) MIN (ceil (loss), 30.0);
      if (pct != self->fec_loss_pct)
        {
          self->fec_loss_pct = pct;
          g_debug ("opus FEC: the peer reports %.1f %% loss, expecting %u %%", loss, pct);
          g_object_set (self->opusenc, "packet-loss-percentage", (gint) pct, NULL);
        }
    }
}
