/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-pipeline.c: the GStreamer pipeline of one call.
 *
 *  source -> convert -> volume(mute) -> valve(hold) -> encoder -> payloader -+
 *                                                   rtpdtmfsrc -> rtpdtmfmux -> rtpbin
 *  rtpbin send_rtp_src + send_rtcp_src -> funnel -> transport sink  (rtcp-mux)
 *  transport src -> rtpbin recv_rtp_sink -> [per SSRC/PT] depay -> decoder -> selector
 *  selector -> convert -> sink (device, description or WAV file)   [echo: -> encoder]
 *
 * Streaming-thread callbacks (pad-added, probes) only touch GStreamer objects and
 * counters under the session's lock; anything that reaches core objects or signals
 * hops to the main context. */
#include "config.h"

#include "trv-media-session-private.h"
#include "trv-error.h"
#include "trv-media-srtp.h"
#include "trv-main-context.h"

#include <glib/gi18n-lib.h>
#include <gst/rtp/rtp.h>
#include <stdio.h>
#include <string.h>

#define RTCP_MIN_INTERVAL_MS 1000
/* How long teardown lets a pending state change (preroll) finish before going to NULL. */
#define TEARDOWN_SETTLE_NS (500 * GST_MSECOND)
#define BRANCH_KEY "trv-branch"

/* --- errors ----------------------------------------------------------------------- */

/* A bus error in words: which part of the call's audio failed and why. */
static GError *
describe_bus_error (TrvMediaSession *self, GstMessage *msg)
{
  g_autoptr(GError) gerr = NULL;
  g_autofree gchar *debug = NULL;
  gst_message_parse_error (msg, &gerr, &debug);
  GstObject *src = GST_MESSAGE_SRC (msg);
  g_autofree gchar *src_name = src ? gst_object_get_name (src) : g_strdup ("pipeline");

  const TrvMediaOptions *o = self->options;
  if (self->play_bin && src &&
      (src == GST_OBJECT (self->play_bin) ||
       gst_object_has_as_ancestor (src, GST_OBJECT (self->play_bin))))
    {
      if (o->play_file)
        return g_error_new (TRV_ERROR, TRV_ERROR_MEDIA, _("cannot play '%s': %s"),
                            o->play_file, gerr->message);
      if (o->source_desc)
        return g_error_new (TRV_ERROR, TRV_ERROR_MEDIA, _("audio source '%s' failed: %s"),
                            o->source_desc, gerr->message);
      return g_error_new (TRV_ERROR, TRV_ERROR_MEDIA,
                          _("the microphone failed (%s); is a sound server running?"),
                          gerr->message);
    }
  if (self->record_bin && src &&
      (src == GST_OBJECT (self->record_bin) ||
       gst_object_has_as_ancestor (src, GST_OBJECT (self->record_bin))))
    {
      if (o->record_file)
        return g_error_new (TRV_ERROR, TRV_ERROR_MEDIA, _("cannot record to '%s': %s"),
                            o->record_file, gerr->message);
      if (o->sink_desc)
        return g_error_new (TRV_ERROR, TRV_ERROR_MEDIA, _("audio sink '%s' failed: %s"),
                            o->sink_desc, gerr->message);
      return g_error_new (TRV_ERROR, TRV_ERROR_MEDIA,
                          _("the speaker failed (%s); is a sound server running?"),
                          gerr->message);
    }
  if (gerr->domain == GST_CORE_ERROR && gerr->code == GST_CORE_ERROR_MISSING_PLUGIN)
    return g_error_new (TRV_ERROR, TRV_ERROR_MEDIA, _("a GStreamer plugin is missing: %s"),
                        gerr->message);
  return g_error_new (TRV_ERROR, TRV_ERROR_MEDIA, _("audio pipeline failed in %s: %s"),
                      src_name, gerr->message);
}

/* --- main-context hops ------------------------------------------------------------ */

static gboolean
quality_on_main (gpointer data)
{
  TrvMediaSession *self = data;
  if (!self->stopped && self->pipeline)
    _trv_media_session_update_quality (self);
  return G_SOURCE_REMOVE;
}

/* Streaming thread: an RTCP packet arrived from the peer; recompute on the main context. */
static void
on_ssrc_active (GstElement *rtpbin, guint session, guint ssrc, gpointer data)
{
  TrvMediaSession *self = data;
  trv_main_context_defer (self->context, quality_on_main, g_object_ref (self), g_object_unref);
}

/* Streaming thread: count RTP (not muxed RTCP) arriving and note the first one. */
static GstPadProbeReturn
on_rtp_in (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  TrvMediaSession *self = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  guint8 header[2];
  if (buf == NULL || gst_buffer_extract (buf, 0, header, 2) != 2 || (header[0] >> 6) != 2)
    return GST_PAD_PROBE_OK;
  _trv_media_session_note_rx (self);
  /* RFC 5761: second byte 192..223 is RTCP on a muxed port. */
  if (header[1] >= 192 && header[1] <= 223)
    {
      /* rtpsession 1.22 takes a timestamped buffer on recv_rtp_sink as RTP: it passes
       * no arrival NTP time on to the report blocks, so every round trip came out 0.
       * Without a PTS it reads the clock as its RTCP pad does. */
      if (GST_BUFFER_PTS_IS_VALID (buf))
        {
          buf = gst_buffer_make_writable (buf);
          GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
          GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
          GST_PAD_PROBE_INFO_DATA (info) = buf;
        }
      return GST_PAD_PROBE_OK;
    }
  gboolean first = FALSE;
  g_mutex_lock (&self->lock);
  self->rtp_received++;
  if (self->first_rtp_us == 0)
    {
      self->first_rtp_us = g_get_monotonic_time ();
      first = TRUE;
    }
  g_mutex_unlock (&self->lock);
  if (first)
    g_debug ("media %p: first RTP received", (gpointer) self);
  if (first)
    trv_main_context_defer (self->context, _trv_media_session_emit_first_rtp, g_object_ref (self),
                            g_object_unref);
  return GST_PAD_PROBE_OK;
}

/* Streaming thread: RTCP on its own port keeps a silent (held) peer known alive. */
static GstPadProbeReturn
on_rtcp_in (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  _trv_media_session_note_rx (data);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_rtp_out (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  TrvMediaSession *self = data;
  g_mutex_lock (&self->lock);
  self->rtp_sent++;
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_OK;
}

/* --- receive side ----------------------------------------------------------------- */

/* Streaming thread: rtpbin made the jitter buffer of a new stream. */
static void
on_new_jitterbuffer (GstElement *rtpbin, GstElement *jitterbuffer, guint session, guint ssrc,
                     gpointer data)
{
  TrvMediaSession *self = data;
  g_mutex_lock (&self->lock);
  g_set_object (&self->jitterbuffer, jitterbuffer);
  g_mutex_unlock (&self->lock);
}

static GstCaps *
caps_for_pt (TrvMediaSession *self, guint pt)
{
  if (self->rx_codec == NULL)
    return NULL;
  if (pt == self->rx_pt)
    {
      g_autofree gchar *enc = g_ascii_strup (self->rx_codec->name, -1);
      return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "audio",
                                  "clock-rate", G_TYPE_INT, (gint) self->rx_codec->clock_rate,
                                  "encoding-name", G_TYPE_STRING, enc,
                                  "payload", G_TYPE_INT, (gint) pt, NULL);
    }
  if (self->rx_dtmf_pt >= 0 && pt == (guint) self->rx_dtmf_pt)
    return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "audio",
                                "clock-rate", G_TYPE_INT, DTMF_CLOCK_RATE,
                                "encoding-name", G_TYPE_STRING, "TELEPHONE-EVENT",
                                "payload", G_TYPE_INT, (gint) pt, NULL);
  return NULL;
}

static GstCaps *
on_request_pt_map (GstElement *rtpbin, guint session, guint pt, gpointer data)
{
  return caps_for_pt (data, pt);
}

/* Streaming thread: a new SSRC/PT stream leaves the jitter buffer. */
static void
on_pad_added (GstElement *rtpbin, GstPad *pad, gpointer data)
{
  TrvMediaSession *self = data;
  guint session, ssrc, pt;
  g_autofree gchar *name = gst_pad_get_name (pad);
  if (sscanf (name, "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) != 3 ||
      g_atomic_int_get (&self->stopping))
    return;

  const char *desc;
  g_autofree gchar *audio_desc = NULL;
  gboolean audio = FALSE;
  if (self->rx_dtmf_pt >= 0 && pt == (guint) self->rx_dtmf_pt)
    desc = "rtpdtmfdepay ! fakesink sync=false async=false";
  else if (pt == self->rx_pt)
    {
      audio_desc = g_strdup_printf ("%s ! %s", self->rx_codec->depayloader,
                                    self->rx_codec->decoder);
      desc = audio_desc;
      audio = TRUE;
    }
  else
    desc = "fakesink sync=false async=false";

  g_autoptr(GError) error = NULL;
  GstElement *branch = _trv_media_parse_bin (desc, N_("receive branch"), &error);
  if (branch == NULL)
    {
      GstMessage *m = gst_message_new_error (GST_OBJECT (rtpbin), error, desc);
      gst_element_post_message (rtpbin, m);
      return;
    }
  gst_bin_add (GST_BIN (self->pipeline), branch);
  g_object_set_data (G_OBJECT (pad), BRANCH_KEY, branch);
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (branch, "sink");
  gst_pad_link (pad, sinkpad);
  if (audio)
    {
      GstPad *selpad = gst_element_request_pad_simple (self->selector, "sink_%u");
      g_autoptr(GstPad) srcpad = gst_element_get_static_pad (branch, "src");
      gst_pad_link (srcpad, selpad);
      /* The newest stream is heard: a peer that restarts with a new SSRC stays audible. */
      g_object_set (self->selector, "active-pad", selpad, NULL);
      g_object_set_data_full (G_OBJECT (branch), "trv-selector-pad", selpad,
                              (GDestroyNotify) gst_object_unref);
      /* One packet as the peer may send it: a=ptime is only a preference, and a hold
       * longer than the packet costs delay only, a shorter one late audio. */
      GstElement *dec = _trv_media_correct_fec_latency (branch, MAX (self->rx_ptime, 20));
      if (dec)
        _trv_media_session_watch_decoder (self, dec);
      g_mutex_lock (&self->lock);
      g_set_object (&self->opusdec, dec);
      g_mutex_unlock (&self->lock);
    }
  gst_element_sync_state_with_parent (branch);
}

typedef struct {
  TrvMediaSession *self;
  GstElement *branch;
} RemoveBranch;

static gboolean
remove_branch (gpointer data)
{
  RemoveBranch *rb = data;
  TrvMediaSession *self = rb->self;
  if (self->pipeline && GST_OBJECT_PARENT (rb->branch) == GST_OBJECT (self->pipeline))
    {
      GstPad *selpad = g_object_get_data (G_OBJECT (rb->branch), "trv-selector-pad");
      gst_element_set_state (rb->branch, GST_STATE_NULL);
      if (selpad && self->selector)
        gst_element_release_request_pad (self->selector, selpad);
      gst_bin_remove (GST_BIN (self->pipeline), rb->branch);
    }
  gst_object_unref (rb->branch);
  g_object_unref (rb->self);
  g_free (rb);
  return G_SOURCE_REMOVE;
}

/* A stream timed out or said BYE: drop its branch on the main context. */
static void
on_pad_removed (GstElement *rtpbin, GstPad *pad, gpointer data)
{
  TrvMediaSession *self = data;
  GstElement *branch = g_object_get_data (G_OBJECT (pad), BRANCH_KEY);
  if (branch == NULL || g_atomic_int_get (&self->stopping))
    return;
  RemoveBranch *rb = g_new0 (RemoveBranch, 1);
  rb->self = g_object_ref (self);
  rb->branch = gst_object_ref (branch);
  trv_main_context_defer (self->context, remove_branch, rb, NULL);
}

/* --- building ---------------------------------------------------------------------- */

/* Links a request/static pad of rtpbin to an element's static pad. */
static gboolean
link_pads (GstElement *src, const char *src_pad, GstElement *sink, const char *sink_pad)
{
  g_autoptr(GstPad) sp = gst_element_get_static_pad (src, src_pad);
  if (sp == NULL)
    sp = gst_element_request_pad_simple (src, src_pad);
  g_autoptr(GstPad) dp = gst_element_get_static_pad (sink, sink_pad);
  if (dp == NULL)
    dp = gst_element_request_pad_simple (sink, sink_pad);
  return sp && dp && gst_pad_link (sp, dp) == GST_PAD_LINK_OK;
}

#define FAIL_LINK(what) \
  G_STMT_START { \
    g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("cannot link the %s of the audio pipeline"), _(what)); \
    return FALSE; \
  } G_STMT_END

static gboolean
add_transport (TrvMediaSession *self, gboolean mux, GError **error)
{
  GstElement *rtp_sink = trv_media_transport_create_sink (self->transport, TRV_COMPONENT_RTP);
  GstElement *rtp_src = trv_media_transport_create_src (self->transport, TRV_COMPONENT_RTP);
  if (rtp_sink == NULL || rtp_src == NULL)
    {
      g_clear_pointer (&rtp_sink, gst_object_unref);
      g_clear_pointer (&rtp_src, gst_object_unref);
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA,
                   _("the media transport has no elements (closed, or a GStreamer plugin is missing)"));
      return FALSE;
    }
  GstElement *rtp_caps = gst_element_factory_make ("capsfilter", NULL);
  /* srtpdec (SDES) takes only SRTP/SRTCP caps on its inputs. */
  gboolean srtp = self->negotiation->local_crypto_key != NULL;
  g_autoptr(GstCaps) xrtp = gst_caps_new_empty_simple (srtp ? "application/x-srtp"
                                                            : "application/x-rtp");
  g_object_set (rtp_caps, "caps", xrtp, NULL);
  gst_bin_add_many (GST_BIN (self->pipeline), rtp_sink, rtp_src, rtp_caps, NULL);

  g_autoptr(GstPad) in = gst_element_get_static_pad (rtp_src, "src");
  gst_pad_add_probe (in, GST_PAD_PROBE_TYPE_BUFFER, on_rtp_in, self, NULL);
  if (!gst_element_link (rtp_src, rtp_caps) ||
      !link_pads (rtp_caps, "src", self->rtpbin, "recv_rtp_sink_0"))
    FAIL_LINK (N_("RTP receiver"));

  if (mux)
    {
      GstElement *funnel = gst_element_factory_make ("funnel", NULL);
      gst_bin_add (GST_BIN (self->pipeline), funnel);
      if (!link_pads (self->rtpbin, "send_rtp_src_0", funnel, "sink_%u") ||
          !link_pads (self->rtpbin, "send_rtcp_src_0", funnel, "sink_%u") ||
          !gst_element_link (funnel, rtp_sink))
        FAIL_LINK (N_("RTP/RTCP sender"));
      return TRUE;
    }

  if (!link_pads (self->rtpbin, "send_rtp_src_0", rtp_sink, "sink"))
    FAIL_LINK (N_("RTP sender"));
  GstElement *rtcp_sink = trv_media_transport_create_sink (self->transport, TRV_COMPONENT_RTCP);
  GstElement *rtcp_src = trv_media_transport_create_src (self->transport, TRV_COMPONENT_RTCP);
  if (rtcp_sink == NULL || rtcp_src == NULL)
    {
      g_clear_pointer (&rtcp_sink, gst_object_unref);
      g_clear_pointer (&rtcp_src, gst_object_unref);
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("the media transport has no RTCP component"));
      return FALSE;
    }
  GstElement *rtcp_caps = gst_element_factory_make ("capsfilter", NULL);
  g_autoptr(GstCaps) xrtcp = gst_caps_new_empty_simple (srtp ? "application/x-srtcp"
                                                             : "application/x-rtcp");
  g_object_set (rtcp_caps, "caps", xrtcp, NULL);
  gst_bin_add_many (GST_BIN (self->pipeline), rtcp_sink, rtcp_src, rtcp_caps, NULL);
  g_autoptr(GstPad) rtcp_in = gst_element_get_static_pad (rtcp_src, "src");
  gst_pad_add_probe (rtcp_in, GST_PAD_PROBE_TYPE_BUFFER, on_rtcp_in, self, NULL);
  if (!link_pads (self->rtpbin, "send_rtcp_src_0", rtcp_sink, "sink") ||
      !gst_element_link (rtcp_src, rtcp_caps) ||
      !link_pads (rtcp_caps, "src", self->rtpbin, "recv_rtcp_sink_0"))
    FAIL_LINK (N_("RTCP path"));
  return TRUE;
}

static GstPadProbeReturn
drop_latency_event (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  return event && GST_EVENT_TYPE (event) == GST_EVENT_LATENCY ? GST_PAD_PROBE_DROP
                                                             : GST_PAD_PROBE_OK;
}

/* Encoder chain: raw audio in, RTP out with the peer's payload type.
 * Pacing, for sources that are not live: a clocksync before the valve releases the
 * audio at its time (also while the valve drops on hold). A packet is complete only
 * once the raw buffer holding its last sample arrived, so for a file a second
 * clocksync sends each packet one ptime after its start: evenly spaced, not in
 * bursts of wavparse's buffer size. Microphone and echo audio are live: no pacing,
 * which would only add delay. */
static GstElement *
build_encoder (TrvMediaSession *self, GError **error)
{
  const TrvNegotiation *n = self->negotiation;
  const TrvMediaOptions *o = self->options;
  guint ptime = n->ptime ? n->ptime : 20;
  gboolean pace = !o->echo && (o->play_file || o->source_desc);
  g_autofree gchar *after = o->play_file && !o->echo
    ? g_strdup_printf (" ! clocksync ts-offset=%" G_GUINT64_FORMAT,
                       (guint64) ptime * GST_MSECOND)
    : g_strdup ("");
  g_autofree gchar *desc =
    g_strdup_printf ("%saudioconvert ! audioresample ! volume name=trv-volume ! "
                     "valve name=trv-valve ! audio/x-raw,rate=%u,channels=1 ! "
                     "%s ! %s name=trv-pay%s", pace ? "clocksync ! " : "",
                     n->codec->sample_rate, n->codec->encoder, n->codec->payloader, after);
  GstElement *bin = _trv_media_parse_bin (desc, N_("encoder"), error);
  if (bin == NULL)
    return NULL;
  self->volume = gst_bin_get_by_name (GST_BIN (bin), "trv-volume");
  self->valve = gst_bin_get_by_name (GST_BIN (bin), "trv-valve");
  _trv_media_session_setup_encoder (self, bin);
  /* rtpopuspay sends each Opus frame as one packet: a peer asking for 10 ms packets
   * gets 10 ms frames (less delay, see trv-codec.c); otherwise opusenc's 20 ms. */
  if (self->opusenc && ptime < 20)
    gst_util_set_object_arg (G_OBJECT (self->opusenc), "frame-size", "10");
  g_autoptr(GstElement) pay = gst_bin_get_by_name (GST_BIN (bin), "trv-pay");
  g_object_set (pay, "pt", n->send_pt, NULL);
  /* Fixed-size packets: without a bound the audio payloaders fill the MTU. */
  if (n->codec->static_pt >= 0)
    g_object_set (pay, "min-ptime", (gint64) ptime * GST_MSECOND,
                  "max-ptime", (gint64) ptime * GST_MSECOND, NULL);
  g_autoptr(GstPad) out = gst_element_get_static_pad (pay, "src");
  gst_pad_add_probe (out, GST_PAD_PROBE_TYPE_BUFFER, on_rtp_out, self, NULL);
  /* The pipeline's latency is the receive path's (jitter buffer, decoder); when the
   * adaptive jitter buffer changes it, the pacing clocksyncs would shift what we send
   * by the difference (a gap or a burst). Sending does not wait for receiving. */
  g_autoptr(GstPad) bin_out = gst_element_get_static_pad (bin, "src");
  gst_pad_add_probe (bin_out, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, drop_latency_event, NULL, NULL);
  return bin;
}

void
_trv_media_session_apply_direction (TrvMediaSession *self)
{
  gboolean send = trv_direction_can_send (self->negotiation->direction);
  if (self->valve)
    g_object_set (self->valve, "drop", !send, NULL);
}

static gboolean on_bus (GstBus *bus, GstMessage *msg, gpointer data);

/* Streaming thread (echo): hand decoded audio to the encoder's appsrc, restamped
 * with the time it is sent again. */
static GstFlowReturn
on_echo_sample (GstElement *sink, gpointer data)
{
  GstElement *src = data;
  GstSample *sample = NULL;
  g_signal_emit_by_name (sink, "pull-sample", &sample);
  if (sample == NULL)
    return GST_FLOW_EOS;
  GstCaps *caps = gst_sample_get_caps (sample);
  g_autoptr(GstCaps) current = NULL;
  g_object_get (src, "caps", &current, NULL);
  if (caps && (current == NULL || !gst_caps_is_equal (caps, current)))
    g_object_set (src, "caps", caps, NULL);
  GstBuffer *buf = gst_buffer_copy (gst_sample_get_buffer (sample));
  GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
  GstFlowReturn ret = GST_FLOW_OK;
  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  gst_sample_unref (sample);
  return ret;
}

/* encoder [-> rtpdtmfmux <- rtpdtmfsrc] -> rtpbin, and RTCP's report interval. */
static gboolean
build_send_side (TrvMediaSession *self, GstElement *encoder, GError **error)
{
  const TrvNegotiation *n = self->negotiation;
  GstElement *rtp_out = encoder;
  if (n->send_dtmf_pt >= 0)
    {
      GstElement *mux_el = _trv_media_make ("rtpdtmfmux", NULL, error);
      self->dtmfsrc = mux_el ? _trv_media_make ("rtpdtmfsrc", NULL, error) : NULL;
      if (self->dtmfsrc == NULL)
        {
          g_clear_pointer (&mux_el, gst_object_unref);
          return FALSE;
        }
      g_object_set (self->dtmfsrc, "pt", n->send_dtmf_pt, "clock-rate", DTMF_CLOCK_RATE, NULL);
      gst_bin_add_many (GST_BIN (self->pipeline), mux_el, self->dtmfsrc, NULL);
      if (!link_pads (encoder, "src", mux_el, "sink_%u") ||
          !link_pads (self->dtmfsrc, "src", mux_el, "priority_sink_%u"))
        FAIL_LINK (N_("DTMF mixer"));
      rtp_out = mux_el;
    }
  if (!link_pads (rtp_out, "src", self->rtpbin, "send_rtp_sink_0"))
    FAIL_LINK (N_("RTP sender"));
  GObject *session = NULL;
  g_signal_emit_by_name (self->rtpbin, "get-internal-session", 0, &session);
  if (session)
    {
      /* RFC 3550 6.2 allows a reduced minimum; 5 s would leave the call view without
       * round-trip figures for the first ~10 s of a call. */
      g_object_set (session, "rtcp-min-interval", (guint64) RTCP_MIN_INTERVAL_MS * GST_MSECOND,
                    NULL);
      g_object_unref (session);
    }
  return TRUE;
}

/* The selector of decoded streams, and what it feeds: the sink, or for the echo endpoint
 * the encoder; the source feeds the encoder. */
static gboolean
build_receive_side (TrvMediaSession *self, GstElement *encoder, GError **error)
{
  const TrvMediaOptions *o = self->options;
  /* Receive side: decoded streams meet in a selector, which feeds the sink or,
   * for the echo endpoint, the encoder. */
  self->selector = _trv_media_make ("input-selector", NULL, error);
  if (self->selector == NULL)
    return FALSE;
  g_object_set (self->selector, "sync-streams", FALSE, NULL);
  gst_bin_add (GST_BIN (self->pipeline), self->selector);
  if (o->echo)
    {
      /* appsink -> appsrc instead of a pad link: rtpbin would otherwise sit on a
       * cycle in the element graph, which GstBin cannot order for state changes. */
      GstElement *loop_sink = _trv_media_make ("appsink", NULL, error);
      GstElement *loop_src = loop_sink ? _trv_media_make ("appsrc", NULL, error) : NULL;
      if (loop_src == NULL)
        {
          g_clear_pointer (&loop_sink, gst_object_unref);
          return FALSE;
        }
      g_object_set (loop_sink, "emit-signals", TRUE, "sync", FALSE, "async", FALSE,
                    "max-buffers", 10, "drop", TRUE, NULL);
      g_object_set (loop_src, "is-live", TRUE, "format", GST_FORMAT_TIME,
                    "do-timestamp", TRUE, NULL);
      g_signal_connect (loop_sink, "new-sample", G_CALLBACK (on_echo_sample), loop_src);
      gst_bin_add_many (GST_BIN (self->pipeline), loop_sink, loop_src, NULL);
      if (!link_pads (self->selector, "src", loop_sink, "sink") ||
          !link_pads (loop_src, "src", encoder, "sink"))
        FAIL_LINK (N_("echo loop"));
    }
  else
    {
      self->play_bin = _trv_media_session_build_source (self, error);
      if (self->play_bin == NULL)
        return FALSE;
      gst_bin_add (GST_BIN (self->pipeline), self->play_bin);
      if (!link_pads (self->play_bin, "src", encoder, "sink"))
        FAIL_LINK (N_("audio source"));
      self->record_bin = _trv_media_session_build_sink (self, error);
      if (self->record_bin == NULL)
        return FALSE;
      gst_bin_add (GST_BIN (self->pipeline), self->record_bin);
      if (!link_pads (self->selector, "src", self->record_bin, "sink"))
        FAIL_LINK (N_("audio sink"));
    }
  return TRUE;
}

static gboolean
build_pipeline (TrvMediaSession *self, GError **error)
{
  const TrvNegotiation *n = self->negotiation;
  const TrvMediaOptions *o = self->options;
  gboolean mux = n->remote && n->remote->rtcp_mux;

  self->rx_codec = n->codec;
  self->rx_pt = n->recv_pt;
  self->rx_dtmf_pt = n->recv_dtmf_pt;
  self->rx_ptime = n->ptime ? n->ptime : 20;
  self->pipeline = gst_pipeline_new ("trv-media");
  self->rtpbin = _trv_media_make ("rtpbin", NULL, error);
  if (self->rtpbin == NULL)
    return FALSE;
  /* do-lost: the jitter buffer announces each missing packet once its deadline passed,
   * so the decoder conceals it (Opus PLC, or FEC from the next packet) instead of the
   * audio simply skipping. */
  /* The jitter buffer starts shallow and deepens when the path is jittery, up to the
   * configured jitter_ms (_trv_media_session_adapt, trv-media-adapt.c). */
  /* Its floor: 5 ms for Opus (PLC conceals a late packet), else one packet as we asked
   * the peer for it (trv-codec.h). */
  trv_jitter_adapt_init (&self->jitter,
                         n->codec->jitter_floor_ms ? n->codec->jitter_floor_ms : n->codec->ptime,
                         o->jitter_ms ? o->jitter_ms : 60);
  g_object_set (self->rtpbin, "latency", self->jitter.latency_ms,
                "autoremove", TRUE, "do-lost", TRUE, NULL);
  gst_bin_add (GST_BIN (self->pipeline), self->rtpbin);
  g_signal_connect (self->rtpbin, "request-pt-map", G_CALLBACK (on_request_pt_map), self);
  g_signal_connect (self->rtpbin, "pad-added", G_CALLBACK (on_pad_added), self);
  g_signal_connect (self->rtpbin, "pad-removed", G_CALLBACK (on_pad_removed), self);
  g_signal_connect (self->rtpbin, "on-ssrc-active", G_CALLBACK (on_ssrc_active), self);
  g_signal_connect (self->rtpbin, "new-jitterbuffer", G_CALLBACK (on_new_jitterbuffer), self);
  /* SDES-SRTP: before any rtpbin pad exists, so its encoders/decoders get plugged in. */
  if (n->local_crypto_key && !trv_srtp_setup_rtpbin (self->rtpbin, n, error))
    return FALSE;

  /* Send side. */
  GstElement *encoder = build_encoder (self, error);
  if (encoder == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (self->pipeline), encoder);
  if (!build_send_side (self, encoder, error) || !build_receive_side (self, encoder, error))
    return FALSE;

  if (!add_transport (self, mux, error))
    return FALSE;

  g_object_set (self->volume, "mute", self->muted, NULL);
  _trv_media_session_apply_direction (self);

  g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_bus, self);
  g_debug ("media %p: pipeline built: %s, send pt %u, receive pt %u, %s%s", (gpointer) self,
           n->codec->name, n->send_pt, n->recv_pt, o->echo ? "echo" : "audio devices or files",
           n->local_crypto_key ? ", SRTP" : "");
  return TRUE;
}

/* --- running ----------------------------------------------------------------------- */

/* Loops the play file without a gap: every segment-done restarts it at 0 without a
 * flush, so running time and RTP timestamps simply continue. */
static void
seek_play_file (TrvMediaSession *self, gboolean flush)
{
  GstSeekFlags flags = GST_SEEK_FLAG_SEGMENT | (flush ? GST_SEEK_FLAG_FLUSH : 0);
  gst_element_send_event (self->wavparse,
                          gst_event_new_seek (1.0, GST_FORMAT_TIME, flags,
                                              GST_SEEK_TYPE_SET, 0,
                                              GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE));
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer data)
{
  TrvMediaSession *self = data;
  switch (GST_MESSAGE_TYPE (msg))
    {
    case GST_MESSAGE_ERROR:
      if (!g_atomic_int_get (&self->stopping) && !self->stopped)
        {
          g_autoptr(GError) error = describe_bus_error (self, msg);
          g_debug ("media error: %s", error->message);
          g_atomic_int_set (&self->stopping, 1);
          _trv_media_session_emit_error (self, error);
        }
      break;
    case GST_MESSAGE_STATE_CHANGED:
      if (GST_MESSAGE_SRC (msg) == GST_OBJECT (self->pipeline))
        {
          GstState old_state, new_state;
          gst_message_parse_state_changed (msg, &old_state, &new_state, NULL);
          g_debug ("media %p: pipeline %s -> %s", (gpointer) self,
                   gst_element_state_get_name (old_state), gst_element_state_get_name (new_state));
        }
      break;
    case GST_MESSAGE_LATENCY:
      /* The jitter buffer changed depth: sinks must render at the new latency. */
      if (self->pipeline)
        gst_bin_recalculate_latency (GST_BIN (self->pipeline));
      break;
    case GST_MESSAGE_SEGMENT_DONE:
      if (self->wavparse)
        seek_play_file (self, FALSE);
      break;
    case GST_MESSAGE_ELEMENT:
      {
        const GstStructure *s = gst_message_get_structure (msg);
        gint number;
        /* rtpdtmfdepay posts one message when an event starts; rtpdtmfsrc posts
         * "dtmf-event-processed" for what we send, which is not ours to report. */
        if (s && gst_structure_has_name (s, "dtmf-event") &&
            gst_structure_get_int (s, "number", &number) && trv_dtmf_digit_of (number) &&
            !self->stopped)
          _trv_media_session_emit_dtmf (self, trv_dtmf_digit_of (number));
      }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* Sends EOS into the recorder so wavenc writes the final header, then NULL. */
void
_trv_media_session_teardown_pipeline (TrvMediaSession *self)
{
  if (self->pipeline == NULL)
    return;
  trv_media_session_get_stats (self, &self->last_stats);
  self->have_last_stats = TRUE;
  g_mutex_lock (&self->lock);
  g_debug ("media %p: pipeline teardown after %" G_GINT64_FORMAT " RTP sent, %" G_GINT64_FORMAT
           " received", (gpointer) self, self->rtp_sent, self->rtp_received);
  g_mutex_unlock (&self->lock);
  g_atomic_int_set (&self->stopping, 1);
  /* Without audio there is no stream to finish: the file stays empty. */
  if (self->record_bin && self->options->record_file && g_atomic_int_get (&self->recording))
    {
      g_autoptr(GstPad) in = gst_element_get_static_pad (self->record_bin, "sink");
      gst_pad_send_event (in, gst_event_new_eos ());
    }
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  /* A call hung up while the pipeline still prerolls (BYE right after ACK) deadlocked
   * here: our NULL held the state lock and waited for the play file's streaming thread,
   * which finished the async state change with a latency event that needs the state lock.
   * Let a pending state change complete first (bounded; at once when none is pending). */
  GstStateChangeReturn pending = gst_element_get_state (self->pipeline, NULL, NULL,
                                                        TEARDOWN_SETTLE_NS);
  if (pending == GST_STATE_CHANGE_ASYNC)
    g_debug ("media %p: pipeline still changing state at teardown", (gpointer) self);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_object (&self->volume);
  g_clear_object (&self->valve);
  g_clear_object (&self->opusenc);
  self->dtmfsrc = NULL;
  self->wavparse = NULL;
  self->play_bin = NULL;
  self->record_bin = NULL;
  self->selector = NULL;
  self->rtpbin = NULL;
  g_clear_object (&self->pipeline);
  g_mutex_lock (&self->lock);
  g_clear_object (&self->jitterbuffer);
  g_clear_object (&self->opusdec);
  g_mutex_unlock (&self->lock);
}

/* The first error posted by an element that refused to start, if any. */
static void
take_start_error (TrvMediaSession *self, GError **error)
{
  g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (msg)
    g_propagate_error (error, describe_bus_error (self, msg));
  else
    g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("the audio pipeline did not start"));
}

gboolean
_trv_media_session_run_pipeline (TrvMediaSession *self, GError **error)
{
  g_atomic_int_set (&self->stopping, 0);
  g_atomic_int_set (&self->recording, 0);
  g_atomic_int_set (&self->fec_requested, FALSE);
  if (!build_pipeline (self, error))
    {
      _trv_media_session_teardown_pipeline (self);
      return FALSE;
    }
  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    goto failed;
  if (self->wavparse)
    seek_play_file (self, TRUE);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    goto failed;
  return TRUE;

failed:
  take_start_error (self, error);
  _trv_media_session_teardown_pipeline (self);
  return FALSE;
}
