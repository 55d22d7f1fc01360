/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-session-private.h: shared by the media session's public face
 * (trv-media-session.c) and its GStreamer pipeline (trv-media-pipeline.c). */
#pragma once

#include "trv-media-session.h"
#include "trv-quality.h"
#include "trv-jitter-adapt.h"
#include "trv-inactivity.h"

G_BEGIN_DECLS

#define DTMF_CLOCK_RATE 8000     /* telephone-event/8000 as offer/answer writes it */

struct _TrvMediaSession {
  GObject parent_instance;
  TrvMediaTransport *transport;
  TrvMediaOptions *options;
  GMainContext *context;
  TrvNegotiation *negotiation;
  /* What streaming threads need, fixed while a pipeline exists (negotiation may
   * be replaced by update() meanwhile). */
  const TrvCodec *rx_codec;
  guint rx_pt;
  gint rx_dtmf_pt;
  guint rx_ptime;            /* ms per received packet, as negotiated */

  GstElement *pipeline;
  GstElement *rtpbin;
  GstElement *volume;        /* mute */
  GstElement *valve;         /* hold: drop instead of send */
  GstElement *opusenc;       /* NULL unless sending Opus: FEC follows the reported loss */
  guint fec_loss_pct;        /* packet-loss-percentage last given to opusenc */
  GstElement *dtmfsrc;       /* NULL when the peer has no telephone-event */
  GstElement *wavparse;      /* play file, looped by segment seeks */
  GstElement *play_bin;
  GstElement *record_bin;
  GstElement *selector;      /* picks the newest received stream */
  guint bus_watch;

  gboolean started;
  gboolean stopped;
  gboolean muted;
  gint stopping;             /* atomic: pipeline being torn down, ignore errors */
  gint recording;            /* atomic: audio reached the recorder */
  gint fec_requested;        /* atomic: packets were lost, Opus decoders switch FEC on */

  GMutex lock;               /* first_rtp_us, last_rx_us */
  gint64 first_rtp_us;
  gint64 last_rx_us;         /* monotonic time of the last RTP or RTCP from the peer */
  gint64 rtp_sent;           /* atomic via the lock as well */
  gint64 rtp_received;

  GString *dtmf_queue;
  guint dtmf_source;
  gboolean dtmf_playing;

  TrvQualityTracker quality;  /* main context only; updated per received RTCP */
  TrvJitterAdapt jitter;      /* main context only: the jitter buffer's depth */
  TrvInactivity inactivity;   /* main context only: is the peer silent? */
  guint inactivity_source;    /* the once-a-second check on self->context */
  GstElement *jitterbuffer;   /* newest stream's rtpjitterbuffer (ref), under the lock */
  GstElement *opusdec;        /* newest stream's opusdec (ref), under the lock; NULL if none */
  /* RTCP figures of the last pipeline, kept for stats written after hang-up. */
  gboolean have_last_stats;
  TrvMediaStats last_stats;
};

/* trv-media-session.c, main context only */
void     _trv_media_session_emit_error     (TrvMediaSession *self, GError *error);
void     _trv_media_session_emit_dtmf      (TrvMediaSession *self, gchar digit);
gboolean _trv_media_session_emit_first_rtp (gpointer self); /* GSourceFunc */
void     _trv_media_session_update_quality (TrvMediaSession *self);
/* Streaming threads: a packet (RTP or RTCP) from the peer arrived. */
void     _trv_media_session_note_rx            (TrvMediaSession *self);

/* trv-media-io.c */
/* gst_element_factory_make / gst_parse_bin_from_description with TRV_ERROR_MEDIA
 * errors naming the missing element(s). */
GstElement *_trv_media_make         (const char *factory, const char *name, GError **error);
GstElement *_trv_media_parse_bin    (const char *desc, const char *what, GError **error);
/* The audio we send (play file, description or microphone; sets self->wavparse)
 * and where received audio goes (record file, description or speaker). */
GstElement *_trv_media_session_build_source (TrvMediaSession *self, GError **error);
GstElement *_trv_media_session_build_sink   (TrvMediaSession *self, GError **error);
/* Whether the options put webrtcdsp/webrtcechoprobe around the devices: echo_cancel on
 * and both ends sound devices (no file, no echo endpoint, no test description). */
gboolean    _trv_media_options_want_echo_cancel (const TrvMediaOptions *o);
/* Opus: makes the opusdec in `branch` report the one packet it really holds back
 * (hold_ms) while use-inband-fec is on, instead of the 120 ms GStreamer 1.22 declares
 * (FEC on at start) or nothing (FEC switched on later). Returns the decoder (not a new
 * reference), NULL when the branch has none. */
GstElement *_trv_media_correct_fec_latency (GstElement *branch, guint hold_ms);
/* The first element made by `factory` ("opusenc") inside `bin`, with a reference; NULL if
 * there is none. */
GstElement *_trv_media_find_element (GstElement *bin, const char *factory);

/* trv-media-pipeline.c */
/* Builds the pipeline for self->negotiation and sets it PLAYING. */
gboolean _trv_media_session_run_pipeline              (TrvMediaSession *self, GError **error);
/* Finishes the recording (EOS), then NULL. Safe without a pipeline. */
void     _trv_media_session_teardown_pipeline         (TrvMediaSession *self);
/* Hold: the valve drops what the negotiated direction does not let us send. */
void     _trv_media_session_apply_direction  (TrvMediaSession *self);

/* trv-media-adapt.c */
/* Main context, per RTCP interval: deepens or thins the jitter buffer (rtpbin latency)
 * from the measured jitter and late packets, within [the codec's floor, jitter_ms];
 * switches Opus FEC decoding on once packets were lost; sizes the encoder's FEC by the
 * loss the peer reports. */
void     _trv_media_session_adapt              (TrvMediaSession *self, double jitter_ms);
/* Finds the encoder chain's opusenc (self->opusenc) and starts its FEC at 0 % loss. */
void     _trv_media_session_setup_encoder       (TrvMediaSession *self, GstElement *bin);
/* A new stream's Opus decoder: FEC decoding is switched on from its own thread. */
void     _trv_media_session_watch_decoder       (TrvMediaSession *self, GstElement *dec);

G_END_DECLS
