/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-quality.h: call quality figures and an estimated MOS from the E-model
 * (ITU-T G.107, simplified for VoIP planning). Pure functions, no state. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Impairment of one codec on the narrowband E-model scale. */
typedef struct {
  double ie;          /* equipment impairment factor */
  double bpl;         /* packet-loss robustness factor */
  double lookahead_ms; /* algorithmic delay beyond one packet (encoder look-ahead) */
} TrvCodecImpairment;

/* One snapshot of live quality, as the call view and the stats JSON show it. */
typedef struct {
  double rtt_ms;      /* round-trip time from RTCP; < 0 while not known yet */
  double loss_pct;    /* received packets lost in the last interval, 0..100 */
  double jitter_ms;   /* interarrival jitter of the received stream */
  double delay_ms;    /* estimated one-way mouth-to-ear delay used for the R factor */
  double r;           /* E-model transmission rating, 0..100 */
  double mos;         /* estimated MOS-CQE, 1..4.5 */
} TrvQuality;

#define TRV_TYPE_QUALITY (trv_quality_get_type ())
GType       trv_quality_get_type (void) G_GNUC_CONST;
TrvQuality *trv_quality_copy     (const TrvQuality *q);
void        trv_quality_free     (TrvQuality *q);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvQuality, trv_quality_free)

/* Ie/Bpl for a codec by SDP encoding name ("opus", "G722", "PCMU", "PCMA", any case).
 * Unknown codecs get conservative values and FALSE. */
gboolean trv_quality_codec_impairment (const char *codec, TrvCodecImpairment *out);

/* One-way delay: half the RTT (0 when unknown), the jitter buffer, one packet and the
 * codec's look-ahead. */
double   trv_quality_one_way_delay_ms (double rtt_ms, double jitter_buffer_ms, guint ptime_ms,
                                       const TrvCodecImpairment *codec);

/* Delay impairment Id for a one-way delay (ms). */
double   trv_quality_delay_impairment (double one_way_delay_ms);
/* Effective equipment impairment Ie,eff for random loss (percent). */
double   trv_quality_loss_impairment  (const TrvCodecImpairment *codec, double loss_pct);
/* R = 93.2 - Id - Ie,eff, clamped to 0..100. */
double   trv_quality_r_factor         (double one_way_delay_ms, double loss_pct,
                                       const TrvCodecImpairment *codec);
/* G.107 Annex B: R -> MOS (1..4.5). */
double   trv_quality_mos_from_r       (double r);

/* Fills every field of *out from the measured figures. */
void     trv_quality_estimate (const char *codec, double rtt_ms, double loss_pct,
                               double jitter_ms, double jitter_buffer_ms, guint ptime_ms,
                               TrvQuality *out);

/* Loss in percent over an interval from cumulative counters (received packets and
 * lost packets at the start and the end). Negative loss (duplicates) counts as 0. */
double   trv_quality_interval_loss_pct (guint64 received_before, gint64 lost_before,
                                        guint64 received_now, gint64 lost_now);

/* Live quality of one received stream, fed with cumulative counters at each RTCP
 * interval; the loss figure covers the time since the previous update. */
typedef struct {
  gboolean have_previous;
  guint64 received;
  gint64 lost;
  TrvQuality current;
} TrvQualityTracker;

void     trv_quality_tracker_init   (TrvQualityTracker *t);
/* Returns TRUE when a new snapshot was computed (packets flowed since the last one). */
gboolean trv_quality_tracker_update (TrvQualityTracker *t, const char *codec,
                                     guint64 received, gint64 lost, double rtt_ms,
                                     double jitter_ms, double jitter_buffer_ms,
                                     guint ptime_ms);

G_END_DECLS
