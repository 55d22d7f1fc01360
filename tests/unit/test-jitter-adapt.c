/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The adaptive jitter-buffer policy, by numbers: starts at the lower bound, deepens at
 * once for jitter or late packets, never leaves [min, configured max], thins slowly. */
#include "trv-jitter-adapt.h"

#include <math.h>

static void
test_bounds (void)
{
  TrvJitterAdapt a;
  trv_jitter_adapt_init (&a, 0, 60);
  g_assert_cmpuint (a.min_ms, ==, TRV_JITTER_MIN_MS);
  g_assert_cmpuint (a.max_ms, ==, 60);
  g_assert_cmpuint (a.latency_ms, ==, TRV_JITTER_MIN_MS);

  /* A clean path (loopback: well under a millisecond of jitter) stays shallow. */
  for (int i = 0; i < 20; i++)
    g_assert_false (trv_jitter_adapt_update (&a, 0.2, 0));
  g_assert_cmpuint (a.latency_ms, ==, 20);

  /* 10 ms of interarrival jitter: 40 ms at once. */
  g_assert_true (trv_jitter_adapt_update (&a, 10.0, 0));
  g_assert_cmpuint (a.latency_ms, ==, 40);
  /* Much more: capped at the configured bound, also when packets come late. */
  g_assert_true (trv_jitter_adapt_update (&a, 30.0, 0));
  g_assert_cmpuint (a.latency_ms, ==, 60);
  g_assert_false (trv_jitter_adapt_update (&a, 500.0, 7));
  g_assert_cmpuint (a.latency_ms, ==, 60);

  /* Calm again: 10 ms less only after five calm intervals, step by step. */
  for (int i = 0; i < 4; i++)
    g_assert_false (trv_jitter_adapt_update (&a, 0.1, 7));
  g_assert_true (trv_jitter_adapt_update (&a, 0.1, 7));
  g_assert_cmpuint (a.latency_ms, ==, 50);
  /* A jittery interval in between restarts the count. */
  for (int i = 0; i < 4; i++)
    trv_jitter_adapt_update (&a, 0.1, 7);
  g_assert_false (trv_jitter_adapt_update (&a, 12.0, 7));   /* target 50: no change */
  for (int i = 0; i < 4; i++)
    g_assert_false (trv_jitter_adapt_update (&a, 0.1, 7));
  g_assert_true (trv_jitter_adapt_update (&a, 0.1, 7));
  g_assert_cmpuint (a.latency_ms, ==, 40);
  for (int i = 0; i < 100; i++)
    trv_jitter_adapt_update (&a, 0.0, 7);
  g_assert_cmpuint (a.latency_ms, ==, TRV_JITTER_MIN_MS);
}

/* The floor as the caller gives it (a codec's own, or one packet as asked for); none
 * given, 20 ms; never below 5 ms nor above the configured bound. */
static void
test_packet_floor (void)
{
  TrvJitterAdapt a;
  trv_jitter_adapt_init (&a, 10, 60);
  g_assert_cmpuint (a.min_ms, ==, 10);
  g_assert_cmpuint (a.latency_ms, ==, 10);
  for (int i = 0; i < 20; i++)
    g_assert_false (trv_jitter_adapt_update (&a, 0.2, 0));
  g_assert_cmpuint (a.latency_ms, ==, 10);
  /* A late packet: one 20 ms step deeper; calm again, back to 10 in 10 ms steps. */
  g_assert_true (trv_jitter_adapt_update (&a, 0.5, 1));
  g_assert_cmpuint (a.latency_ms, ==, 30);
  for (int i = 0; i < 100; i++)
    trv_jitter_adapt_update (&a, 0.0, 1);
  g_assert_cmpuint (a.latency_ms, ==, 10);

  trv_jitter_adapt_init (&a, 20, 60);
  g_assert_cmpuint (a.latency_ms, ==, 20);
  trv_jitter_adapt_init (&a, 5, 60);
  g_assert_cmpuint (a.latency_ms, ==, 5);
  trv_jitter_adapt_init (&a, 2, 60);
  g_assert_cmpuint (a.latency_ms, ==, TRV_JITTER_FLOOR_MS);
  g_assert_cmpuint (TRV_JITTER_FLOOR_MS, ==, 5);
  trv_jitter_adapt_init (&a, 40, 30);
  g_assert_cmpuint (a.latency_ms, ==, 30);
}

static void
test_late_packets (void)
{
  TrvJitterAdapt a;
  trv_jitter_adapt_init (&a, 0, 200);
  /* Late packets with little measured jitter (a burst): one packet deeper per interval. */
  g_assert_true (trv_jitter_adapt_update (&a, 0.5, 3));
  g_assert_cmpuint (a.latency_ms, ==, 40);
  g_assert_true (trv_jitter_adapt_update (&a, 0.5, 5));
  g_assert_cmpuint (a.latency_ms, ==, 60);
  /* No new late packets: no further deepening. */
  g_assert_false (trv_jitter_adapt_update (&a, 0.5, 5));
  g_assert_cmpuint (a.latency_ms, ==, 60);
}

static void
test_small_bound_and_bad_input (void)
{
  TrvJitterAdapt a;
  /* A configured bound under one packet is respected as both bounds. */
  trv_jitter_adapt_init (&a, 0, 15);
  g_assert_cmpuint (a.min_ms, ==, 15);
  g_assert_cmpuint (a.latency_ms, ==, 15);
  g_assert_false (trv_jitter_adapt_update (&a, 100.0, 9));
  g_assert_cmpuint (a.latency_ms, ==, 15);

  trv_jitter_adapt_init (&a, 0, 60);
  g_assert_false (trv_jitter_adapt_update (&a, NAN, 0));
  g_assert_false (trv_jitter_adapt_update (&a, -5.0, 0));
  g_assert_false (trv_jitter_adapt_update (&a, INFINITY, 0));
  g_assert_cmpuint (a.latency_ms, ==, 20);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/jitter-adapt/bounds", test_bounds);
  g_test_add_func ("/jitter-adapt/packet-floor", test_packet_floor);
  g_test_add_func ("/jitter-adapt/late-packets", test_late_packets);
  g_test_add_func ("/jitter-adapt/small-bound-and-bad-input", test_small_bound_and_bad_input);
  return g_test_run ();
}
