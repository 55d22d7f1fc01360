/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-jitter-adapt.c: adaptive jitter-buffer depth within configured bounds. */
#include "trv-jitter-adapt.h"

#include <math.h>

#define LATE_STEP_MS 20     /* deepen by a packet for each interval with late packets */
#define SHRINK_STEP_MS 10
#define CALM_INTERVALS 5
/* Interarrival jitter is a mean deviation; delays spread to a few times that. */
#define JITTER_FACTOR 4.0

void
trv_jitter_adapt_init (TrvJitterAdapt *a, guint floor_ms, guint max_ms)
{
  a->max_ms = MAX (max_ms, 1);
  a->min_ms = MIN (MAX (floor_ms ? floor_ms : TRV_JITTER_MIN_MS, TRV_JITTER_FLOOR_MS),
                   a->max_ms);
  a->latency_ms = a->min_ms;
  a->calm = 0;
  a->late = 0;
}

gboolean
trv_jitter_adapt_update (TrvJitterAdapt *a, double jitter_ms, guint64 late_total)
{
  double want = isfinite (jitter_ms) && jitter_ms > 0 ? JITTER_FACTOR * jitter_ms : 0;
  /* Whole 5 ms steps, so measurement noise does not move the buffer. */
  guint target = (guint) MIN (ceil (want / 5.0) * 5.0, (double) a->max_ms);
  if (late_total > a->late)
    target = MAX (target, a->latency_ms + LATE_STEP_MS);
  a->late = MAX (a->late, late_total);
  target = CLAMP (target, a->min_ms, a->max_ms);

  guint old = a->latency_ms;
  if (target > a->latency_ms)
    {
      a->latency_ms = target;
      a->calm = 0;
    }
  else if (target + SHRINK_STEP_MS <= a->latency_ms)
    {
      if (++a->calm >= CALM_INTERVALS)
        {
          a->latency_ms = MAX (a->latency_ms - SHRINK_STEP_MS, target);
          a->calm = 0;
        }
    }
  else
    a->calm = 0;
  return a->latency_ms != old;
}
