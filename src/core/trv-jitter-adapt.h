/* trv-jitter-adapt.h: how deep the jitter buffer should be, from what the call measures.
 * Plain state and arithmetic (no GStreamer), so the policy is testable by numbers. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TRV_JITTER_MIN_MS 20   /* one packet: less only turns every hiccup into a loss */

typedef struct {
  guint min_ms, max_ms;   /* bounds: TRV_JITTER_MIN_MS (or max_ms if smaller) .. configured */
  guint latency_ms;       /* current depth */
  guint calm;             /* intervals in a row that would allow a shallower buffer */
  guint64 late;           /* packets that came after their deadline, so far */
} TrvJitterAdapt;

/* Starts shallow, at the lower bound: a clean path keeps it there. */
void     trv_jitter_adapt_init   (TrvJitterAdapt *a, guint max_ms);
/* One measurement interval (an RTCP report): RFC 3550 interarrival jitter in ms and the
 * jitter buffer's count of late packets since the start. Deepens at once when packets
 * came late or jitter grew; gets shallower only in 10 ms steps after 5 calm intervals.
 * Returns TRUE when latency_ms changed; it always stays within [min_ms, max_ms]. */
gboolean trv_jitter_adapt_update (TrvJitterAdapt *a, double jitter_ms, guint64 late_total);

G_END_DECLS
