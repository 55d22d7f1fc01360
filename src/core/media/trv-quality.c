/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-quality.c: the simplified E-model (ITU-T G.107) for a live MOS estimate.
 *
 * R = Ro - Is - Id - Ie,eff + A with the G.107 defaults for everything we cannot measure
 * (Ro - Is = 93.2, A = 0). Id uses the common piecewise-linear fit of G.107's delay curve
 * (Cole & Rosenbluth, 2001): 0.024 d + 0.11 (d - 177.3) for d > 177.3 ms, which is where
 * conversational quality starts to drop fast. Ie,eff follows G.107 7.4 with random loss
 * (BurstR = 1). The MOS is the narrowband MOS-CQE of G.107 Annex B, so the best possible
 * value is ~4.4 whatever the codec. */
#include <math.h>
#include <string.h>

#include "trv-quality.h"

#define R_DEFAULT 93.2

G_DEFINE_BOXED_TYPE (TrvQuality, trv_quality, trv_quality_copy, trv_quality_free)

TrvQuality *
trv_quality_copy (const TrvQuality *q)
{
  return g_memdup2 (q, sizeof *q);
}

void
trv_quality_free (TrvQuality *q)
{
  g_free (q);
}

/* G.113 Appendix I gives G.711 Ie = 0 and Bpl = 4.3 without packet-loss concealment
 * (25.1 with the G.711 Appendix I PLC). Our G.711 decoders conceal nothing, so 4.3.
 * G.722 and Opus have no narrowband entry there: as wideband codecs they are at least as
 * good as G.711 (G.107.1: Ie,wb 13 for G.722 and lower for Opus vs. 36 for G.711), which on
 * the narrowband scale clamps to Ie = 0. avdec_g722 conceals nothing either (Bpl as G.711
 * without PLC); opusdec runs PLC and in-band FEC, taken as G.711 with PLC (conservative). */
static const struct {
  const char *name;
  TrvCodecImpairment imp;
} codec_table[] = {
  { "PCMU", { 0.0, 4.3, 0.0 } },
  { "PCMA", { 0.0, 4.3, 0.0 } },
  { "G722", { 0.0, 4.3, 1.5 } },
  { "opus", { 0.0, 25.1, 6.5 } },
};

gboolean
trv_quality_codec_impairment (const char *codec, TrvCodecImpairment *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  for (guint i = 0; codec && i < G_N_ELEMENTS (codec_table); i++)
    if (g_ascii_strcasecmp (codec, codec_table[i].name) == 0)
      {
        *out = codec_table[i].imp;
        return TRUE;
      }
  /* Unknown: assume a low-rate codec without concealment (G.729-like Ie, G.711 Bpl). */
  *out = (TrvCodecImpairment) { 11.0, 4.3, 5.0 };
  return FALSE;
}

double
trv_quality_one_way_delay_ms (double rtt_ms, double jitter_buffer_ms, guint ptime_ms,
                              const TrvCodecImpairment *codec)
{
  double d = 0;
  if (rtt_ms > 0 && isfinite (rtt_ms))
    d += rtt_ms / 2;
  if (jitter_buffer_ms > 0 && isfinite (jitter_buffer_ms))
    d += jitter_buffer_ms;
  d += ptime_ms;
  if (codec)
    d += codec->lookahead_ms;
  return d;
}

double
trv_quality_delay_impairment (double d)
{
  if (!(d > 0))
    return 0;
  double id = 0.024 * d;
  if (d > 177.3)
    id += 0.11 * (d - 177.3);
  return id;
}

double
trv_quality_loss_impairment (const TrvCodecImpairment *codec, double loss_pct)
{
  g_return_val_if_fail (codec != NULL, 0);
  double ppl = isfinite (loss_pct) ? CLAMP (loss_pct, 0.0, 100.0) : 0.0;
  const double burst_r = 1.0;
  return codec->ie + (95.0 - codec->ie) * ppl / (ppl / burst_r + codec->bpl);
}

double
trv_quality_r_factor (double one_way_delay_ms, double loss_pct,
                      const TrvCodecImpairment *codec)
{
  double r = R_DEFAULT - trv_quality_delay_impairment (one_way_delay_ms)
             - trv_quality_loss_impairment (codec, loss_pct);
  return CLAMP (r, 0.0, 100.0);
}

double
trv_quality_mos_from_r (double r)
{
  if (!(r > 0))
    return 1.0;
  if (r >= 100)
    return 4.5;
  /* The cubic dips just below 1 for R < 6.5; MOS has no meaning below 1. */
  return MAX (1.0, 1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7e-6);
}

void
trv_quality_estimate (const char *codec, double rtt_ms, double loss_pct, double jitter_ms,
                      double jitter_buffer_ms, guint ptime_ms, TrvQuality *out)
{
  g_return_if_fail (out != NULL);
  TrvCodecImpairment imp;
  trv_quality_codec_impairment (codec, &imp);
  out->rtt_ms = (rtt_ms >= 0 && isfinite (rtt_ms)) ? rtt_ms : -1;
  out->loss_pct = isfinite (loss_pct) ? CLAMP (loss_pct, 0.0, 100.0) : 0.0;
  out->jitter_ms = (jitter_ms >= 0 && isfinite (jitter_ms)) ? jitter_ms : 0.0;
  out->delay_ms = trv_quality_one_way_delay_ms (rtt_ms, jitter_buffer_ms, ptime_ms, &imp);
  out->r = trv_quality_r_factor (out->delay_ms, out->loss_pct, &imp);
  out->mos = trv_quality_mos_from_r (out->r);
}

double
trv_quality_interval_loss_pct (guint64 received_before, gint64 lost_before,
                               guint64 received_now, gint64 lost_now)
{
  double received = received_now > received_before ? (double) (received_now - received_before) : 0;
  double lost = (double) lost_now - (double) lost_before;
  if (lost < 0)
    lost = 0;
  if (received + lost <= 0)
    return 0;
  return 100.0 * lost / (received + lost);
}

void
trv_quality_tracker_init (TrvQualityTracker *t)
{
  memset (t, 0, sizeof *t);
  t->current.rtt_ms = -1;
  t->current.mos = trv_quality_mos_from_r (0);
}

gboolean
trv_quality_tracker_update (TrvQualityTracker *t, const char *codec, guint64 received,
                            gint64 lost, double rtt_ms, double jitter_ms,
                            double jitter_buffer_ms, guint ptime_ms)
{
  g_return_val_if_fail (t != NULL, FALSE);
  guint64 before_received = t->have_previous ? t->received : 0;
  gint64 before_lost = t->have_previous ? t->lost : 0;
  /* Nothing ever arrived: there is no quality to judge, least of all a good one. */
  if (received == 0 && lost <= 0)
    return FALSE;
  /* Nothing new arrived or was missed: keep the last figures instead of claiming 0 % loss. */
  if (received == before_received && lost <= before_lost && t->have_previous)
    return FALSE;
  double loss = trv_quality_interval_loss_pct (before_received, before_lost, received, lost);
  t->have_previous = TRUE;
  t->received = received;
  t->lost = lost;
  trv_quality_estimate (codec, rtt_ms, loss, jitter_ms, jitter_buffer_ms, ptime_ms, &t->current);
  return TRUE;
}
