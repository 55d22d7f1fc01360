/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-session.h: the GStreamer pipeline of one call over a transport:
 * codec, RFC 4733 DTMF, RTCP, jitter buffer, statistics. */
#pragma once

#include <gst/gst.h>
#include "trv-media-transport.h"
#include "trv-negotiation.h"
#include "trv-quality.h"

G_BEGIN_DECLS

typedef struct {
  gchar *play_file;     /* WAV sent instead of the microphone (looped); NULL: source_desc */
  gchar *record_file;   /* received audio written as WAV; NULL: sink_desc */
  gchar *source_desc;   /* gst-launch description of the audio source; NULL: autoaudiosrc */
  gchar *sink_desc;     /* gst-launch description of the audio sink; NULL: autoaudiosink */
  gboolean echo;        /* send back the decoded received audio (echo endpoint) */
  guint jitter_ms;      /* rtpbin latency */
  /* Echo cancellation, noise suppression and gain control (webrtcdsp) on device audio;
   * TRUE from trv_media_options_new(). Applies only when both ends are sound devices:
   * never with play/record files or the echo endpoint. */
  gboolean echo_cancel;
  /* source_desc/sink_desc name sound devices (the preferences' device choice), not
   * test stand-ins like TRAVERSE_AUDIOSRC; without a description the device is implied. */
  gboolean descs_are_devices;
} TrvMediaOptions;

TrvMediaOptions *trv_media_options_new  (void);
TrvMediaOptions *trv_media_options_copy (const TrvMediaOptions *o);
void             trv_media_options_free (TrvMediaOptions *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvMediaOptions, trv_media_options_free)

typedef struct {
  guint64 rtp_sent;        /* packets sent: what the transport's socket took where it can
                            * tell (ICE: libnice, DTMF events included), else audio
                            * packets handed to it */
  guint64 rtp_received;    /* packets received */
  gint64  rtp_lost;        /* from the jitter buffer / RTCP */
  guint64 rtp_late;        /* came after their playout time (the jitter buffer deepens) */
  double  jitter_ms;       /* interarrival jitter of received stream */
  double  rtt_ms;          /* from RTCP SR/RR (LSR/DLSR); < 0 if not known yet */
  gint64  first_rtp_us;    /* g_get_monotonic_time() of the first RTP received, 0 = none */
  guint   jitter_buffer_ms; /* current (adaptive) jitter-buffer depth, 0 before start */
} TrvMediaStats;

#define TRV_TYPE_MEDIA_SESSION (trv_media_session_get_type ())
G_DECLARE_FINAL_TYPE (TrvMediaSession, trv_media_session, TRV, MEDIA_SESSION, GObject)

TrvMediaSession *trv_media_session_new        (TrvMediaTransport *transport,
                                               const TrvMediaOptions *options);
/* Builds the pipeline for the negotiated codec and sets it PLAYING. Errors: TRV_ERROR_MEDIA
 * with a specific message (missing element, unreadable file, no audio device). */
gboolean         trv_media_session_start      (TrvMediaSession *self,
                                               const TrvNegotiation *negotiation,
                                               GError **error);
/* After a re-INVITE: direction changes (hold) apply at once; a new remote address is
 * passed to the transport; a different codec rebuilds the pipeline. */
gboolean         trv_media_session_update     (TrvMediaSession *self,
                                               const TrvNegotiation *negotiation,
                                               GError **error);
void             trv_media_session_set_muted  (TrvMediaSession *self, gboolean muted);
gboolean         trv_media_session_get_muted  (TrvMediaSession *self);
/* Queues RFC 4733 events for the digits (0-9 * # A-D), each ~160 ms with gaps.
 * TRV_ERROR_NOT_AVAILABLE when the peer negotiated no telephone-event (caller falls
 * back to SIP INFO); TRV_ERROR_INVALID_STATE for a bad digit. */
gboolean         trv_media_session_send_dtmf  (TrvMediaSession *self, const char *digits,
                                               GError **error);
gboolean         trv_media_session_can_send_dtmf (TrvMediaSession *self);
void             trv_media_session_get_stats  (TrvMediaSession *self, TrvMediaStats *stats);
/* Latest quality snapshot (RTT, loss, jitter, E-model MOS); FALSE while nothing was
 * measured yet (the snapshot then has rtt_ms -1 and MOS 1), nothing was received, or the
 * peer is silent (the snapshot is then that of its last packets). Also the "quality" property
 * (TrvQuality, notified on the main context at each RTCP interval). */
gboolean         trv_media_session_get_quality (TrvMediaSession *self, TrvQuality *quality);
/* Seconds without RTP or RTCP from the peer after which "inactive" is emitted; 0 (the
 * default) never. Counted only while the negotiated direction is sendrecv (not on hold,
 * either side), from the last packet or the last start/update, whichever is later. */
void             trv_media_session_set_inactivity_timeout (TrvMediaSession *self,
                                                           guint seconds);
/* Whole seconds the peer has sent nothing while media was expected (0 on hold). */
guint            trv_media_session_get_silent_s (TrvMediaSession *self);
/* Also the "silent" property: nothing from the peer for TRV_INACTIVITY_WARN_S. */
gboolean         trv_media_session_get_silent  (TrvMediaSession *self);
/* Pipeline to NULL, transport closed. Idempotent. */
void             trv_media_session_stop       (TrvMediaSession *self);

/* Signals (always emitted on the main context):
 *  "first-rtp"      ()                 first RTP packet received
 *  "dtmf-received"  (gchar digit)      an RFC 4733 event started
 *  "error"          (GError *error)    the pipeline failed
 *  "inactive"       (guint seconds)    the inactivity timeout passed without a packet;
 *                                      once until packets come again or an update */

G_END_DECLS
