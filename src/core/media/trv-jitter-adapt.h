/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-jitter-adapt.h: how deep the jitter buffer should be, from what the call measures.
 * Plain state and arithmetic (no GStreamer), so the policy is testable by numbers. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The shallowest depth: the codec's floor (trv-codec.h: 5 ms for Opus, whose PLC conceals
 * a late packet), else one packet as we asked the peer for it, 20 ms unless told
 * otherwise; never below 5 ms. Each further ms of floor is a ms of mouth-to-ear delay on
 * every call; a jittery path deepens the buffer within a second (trv_jitter_adapt_update). */
#define TRV_JITTER_MIN_MS 20     /* floor_ms 0: one 20 ms packet */
#define TRV_JITTER_FLOOR_MS 5    /* the least margin over a packet's expected arrival */

typedef struct {
  guint min_ms, max_ms;   /* bounds: one packet (or max_ms if smaller) .. configured */
  guint latency_ms;       /* current depth */
  guint calm;             /* intervals in a row that would allow a shallower buffer */
  guint64 late;           /* packets that came after their deadline, so far */
} TrvJitterAdapt;

/* Starts shallow, at the lower bound (floor_ms, see above): a clean path keeps it there. */
void     trv_jitter_adapt_init   (TrvJitterAdapt *a, guint floor_ms, guint max_ms);
/* One measurement interval (an RTCP report): RFC 3550 interarrival jitter in ms and the
 * jitter buffer's count of late packets since the start. Deepens at once when packets
 * came late or jitter grew; gets shallower only in 10 ms steps after 5 calm intervals.
 * Returns TRUE when latency_ms changed; it always stays within [min_ms, max_ms]. */
gboolean trv_jitter_adapt_update (TrvJitterAdapt *a, double jitter_ms, guint64 late_total);

G_END_DECLS
