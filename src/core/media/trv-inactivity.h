/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-inactivity.h: whether the peer went silent: no RTP or RTCP for a while although
 * the negotiated direction lets it send. Pure arithmetic on monotonic times (µs), so
 * the rules are testable without a pipeline; the media session samples it once a
 * second on its context. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Nothing from the peer for this long while we expect media: tell the user. */
#define TRV_INACTIVITY_WARN_S 5

typedef enum {
  TRV_INACTIVITY_NO_CHANGE = 0,
  TRV_INACTIVITY_SILENT_CHANGED = 1 << 0, /* `silent` turned on or off */
  TRV_INACTIVITY_TIMED_OUT = 1 << 1,      /* silent for timeout_s: once until re-armed */
} TrvInactivityEvents;

typedef struct {
  guint warn_s;           /* silent after this long (TRV_INACTIVITY_WARN_S) */
  guint timeout_s;        /* timed out after this long; 0 = never */
  gboolean expecting;     /* the direction lets the peer send (not on hold) */
  gint64 since_us;        /* when expecting (re)started; the timeout counts from here at most */
  gint64 warn_from_us;    /* the same for the warning, which a renegotiation keeps */
  gboolean silent;
  gboolean timed_out;
} TrvInactivity;

void trv_inactivity_init (TrvInactivity *self, guint warn_s, guint timeout_s);
/* Whether media is expected from now on. Also restarts the count: a change of direction
 * (hold, resume) or a renegotiation gives the peer a fresh allowance before the timeout.
 * A renegotiation that keeps media expected (an ICE restart) does not end a silence the
 * user was told of: that lasts until a packet comes. */
void trv_inactivity_expect (TrvInactivity *self, gboolean expecting, gint64 now_us);
/* last_rx_us: when the last RTP or RTCP packet arrived (0: none yet). Returns what
 * changed since the previous check. */
TrvInactivityEvents trv_inactivity_check (TrvInactivity *self, gint64 last_rx_us,
                                          gint64 now_us);
/* Whole seconds without anything from the peer while expecting (across renegotiations
 * during a silence); 0 otherwise. */
guint trv_inactivity_silent_s (const TrvInactivity *self, gint64 last_rx_us, gint64 now_us);

G_END_DECLS
