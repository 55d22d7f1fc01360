/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-quality.c: the E-model estimate against known reference points. */
#include <math.h>

#include "trv-quality.h"

static void
test_reference_pcmu (void)
{
  TrvQuality q;
  /* Loopback-like: 1 ms RTT, small jitter buffer, 20 ms packets, no loss. */
  trv_quality_estimate ("PCMU", 1.0, 0.0, 0.5, 20, 20, &q);
  g_assert_cmpfloat_with_epsilon (q.r, 93.2 - 0.024 * 40.5, 0.01);
  g_assert_cmpfloat (q.r, >, 92.0);
  g_assert_cmpfloat (q.mos, >, 4.35);
  g_assert_cmpfloat (q.mos, <=, 4.41);

  /* G.107 Annex B: the default R 93.2 maps to MOS 4.41; R 50 to 2.58; R 0 and below to 1. */
  g_assert_cmpfloat_with_epsilon (trv_quality_mos_from_r (93.2), 4.41, 0.005);
  g_assert_cmpfloat_with_epsilon (trv_quality_mos_from_r (50), 2.575, 0.001);
  g_assert_cmpfloat (trv_quality_mos_from_r (0), ==, 1.0);
  g_assert_cmpfloat (trv_quality_mos_from_r (-5), ==, 1.0);
  g_assert_cmpfloat (trv_quality_mos_from_r (100), ==, 4.5);
  g_assert_cmpfloat (trv_quality_mos_from_r (NAN), ==, 1.0);
}

static void
test_loss_monotonic (void)
{
  const char *codecs[] = { "PCMU", "PCMA", "G722", "opus" };
  for (guint c = 0; c < G_N_ELEMENTS (codecs); c++)
    {
      double prev = 5.0;
      for (double loss = 0; loss <= 30; loss += 0.5)
        {
          TrvQuality q;
          trv_quality_estimate (codecs[c], 20, loss, 2, 40, 20, &q);
          g_assert_cmpfloat (q.mos, <, prev);
          prev = q.mos;
        }
    }

  /* G.711 without concealment suffers far more from 2 % loss than Opus with PLC/FEC. */
  TrvQuality pcmu, opus;
  trv_quality_estimate ("PCMU", 20, 2, 2, 40, 20, &pcmu);
  trv_quality_estimate ("opus", 20, 2, 2, 40, 20, &opus);
  g_assert_cmpfloat (pcmu.mos, <, opus.mos - 0.4);
  /* Ie,eff of G.711 at 1 % random loss: 95 * 1 / (1 + 4.3) = 17.9. */
  TrvCodecImpairment g711;
  g_assert_true (trv_quality_codec_impairment ("pcmu", &g711));
  g_assert_cmpfloat_with_epsilon (trv_quality_loss_impairment (&g711, 1.0), 17.92, 0.01);
  /* Total loss cannot make R negative. */
  g_assert_cmpfloat (trv_quality_r_factor (50, 100, &g711), >=, 0.0);
}

static void
test_delay (void)
{
  TrvCodecImpairment g711;
  trv_quality_codec_impairment ("PCMU", &g711);
  /* Below 177.3 ms Id grows slowly (0.024/ms), above it steeply (0.134/ms). */
  double r100 = trv_quality_r_factor (100, 0, &g711);
  double r170 = trv_quality_r_factor (170, 0, &g711);
  double r250 = trv_quality_r_factor (250, 0, &g711);
  double r400 = trv_quality_r_factor (400, 0, &g711);
  g_assert_cmpfloat (r170, <, r100);
  g_assert_cmpfloat ((r100 - r170) / 70, <, 0.03);
  g_assert_cmpfloat ((r170 - r250) / 80, >, 0.1);
  g_assert_cmpfloat_with_epsilon (r400, 93.2 - 0.024 * 400 - 0.11 * (400 - 177.3), 0.001);
  g_assert_cmpfloat (trv_quality_mos_from_r (r400), <, 3.6);

  /* One-way delay: RTT/2 + jitter buffer + packet + look-ahead; unknown RTT adds nothing. */
  TrvCodecImpairment opus;
  trv_quality_codec_impairment ("opus", &opus);
  g_assert_cmpfloat_with_epsilon (trv_quality_one_way_delay_ms (100, 60, 20, &opus),
                                  50 + 60 + 20 + 6.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (trv_quality_one_way_delay_ms (-1, 60, 20, &g711), 80, 1e-9);

  TrvQuality near, far;
  trv_quality_estimate ("PCMU", 10, 0, 1, 40, 20, &near);
  trv_quality_estimate ("PCMU", 400, 0, 1, 40, 20, &far);
  g_assert_cmpfloat (far.delay_ms, >, 177.3);
  g_assert_cmpfloat (far.mos, <, near.mos - 0.2);
}

static void
test_inputs (void)
{
  TrvCodecImpairment imp;
  /* Unknown codecs get a worse-than-G.711 guess, not a crash. */
  g_assert_false (trv_quality_codec_impairment ("GSM", &imp));
  g_assert_cmpfloat (imp.ie, >, 0);
  g_assert_false (trv_quality_codec_impairment (NULL, &imp));

  TrvQuality q;
  trv_quality_estimate ("PCMU", -1, -3, -2, 40, 20, &q);
  g_assert_cmpfloat (q.rtt_ms, ==, -1);
  g_assert_cmpfloat (q.loss_pct, ==, 0);
  g_assert_cmpfloat (q.jitter_ms, ==, 0);
  trv_quality_estimate ("PCMU", NAN, 250, INFINITY, 40, 20, &q);
  g_assert_cmpfloat (q.loss_pct, ==, 100);
  g_assert_cmpfloat (q.mos, >=, 1.0);

  /* Interval loss from cumulative counters. */
  g_assert_cmpfloat_with_epsilon (trv_quality_interval_loss_pct (100, 2, 190, 12), 10.0, 1e-9);
  g_assert_cmpfloat (trv_quality_interval_loss_pct (100, 5, 150, 3), ==, 0);
  g_assert_cmpfloat (trv_quality_interval_loss_pct (100, 5, 100, 5), ==, 0);
  g_assert_cmpfloat (trv_quality_interval_loss_pct (100, 5, 100, 15), ==, 100);

  g_autoptr(TrvQuality) copy = trv_quality_copy (&q);
  g_assert_cmpfloat (copy->mos, ==, q.mos);
  g_assert_true (G_TYPE_IS_BOXED (TRV_TYPE_QUALITY));
}

static void
test_tracker (void)
{
  TrvQualityTracker t;
  trv_quality_tracker_init (&t);
  /* Nothing received yet (a call without a path): no figures, not 0 % loss and MOS 4.4. */
  g_assert_false (trv_quality_tracker_update (&t, "PCMU", 0, 0, -1, 0, 60, 20));
  g_assert_false (t.have_previous);
  g_assert_cmpfloat (t.current.rtt_ms, <, 0);
  /* First interval: 250 packets, none lost. */
  g_assert_true (trv_quality_tracker_update (&t, "PCMU", 250, 0, 2.0, 1.5, 60, 20));
  g_assert_cmpfloat (t.current.loss_pct, ==, 0);
  g_assert_cmpfloat (t.current.rtt_ms, ==, 2.0);
  g_assert_cmpfloat (t.current.jitter_ms, ==, 1.5);
  g_assert_cmpfloat (t.current.mos, >, 4.3);
  double good = t.current.mos;
  /* Second interval: 225 received, 25 lost -> 10 % in this interval only. */
  g_assert_true (trv_quality_tracker_update (&t, "PCMU", 475, 25, 2.0, 1.5, 60, 20));
  g_assert_cmpfloat_with_epsilon (t.current.loss_pct, 10.0, 1e-9);
  g_assert_cmpfloat (t.current.mos, <, good - 1.0);
  /* Nothing moved: the last figures stay. */
  g_assert_false (trv_quality_tracker_update (&t, "PCMU", 475, 25, 3.0, 1.5, 60, 20));
  g_assert_cmpfloat_with_epsilon (t.current.loss_pct, 10.0, 1e-9);
  /* Recovery: loss is per interval, not since the start of the call. */
  g_assert_true (trv_quality_tracker_update (&t, "PCMU", 725, 25, 2.0, 1.5, 60, 20));
  g_assert_cmpfloat (t.current.loss_pct, ==, 0);
  g_assert_cmpfloat_with_epsilon (t.current.mos, good, 1e-9);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quality/reference-pcmu", test_reference_pcmu);
  g_test_add_func ("/quality/loss-monotonic", test_loss_monotonic);
  g_test_add_func ("/quality/delay", test_delay);
  g_test_add_func ("/quality/inputs", test_inputs);
  g_test_add_func ("/quality/tracker", test_tracker);
  return g_test_run ();
}
