/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-inactivity.c: the peer's silence, counted from the last packet it sent or from
 * when media became expected, whichever is later. */
#include "config.h"

#include "trv-inactivity.h"

void
trv_inactivity_init (TrvInactivity *self, guint warn_s, guint timeout_s)
{
  *self = (TrvInactivity) { .warn_s = warn_s, .timeout_s = timeout_s };
}

void
trv_inactivity_expect (TrvInactivity *self, gboolean expecting, gint64 now_us)
{
  gboolean keep_warning = expecting && self->expecting && self->silent;
  self->expecting = expecting;
  self->since_us = now_us;
  if (!keep_warning)
    self->warn_from_us = now_us;
  self->timed_out = FALSE;
}

static guint
seconds_from (gint64 start_us, gint64 last_rx_us, gint64 now_us)
{
  gint64 from = MAX (start_us, last_rx_us);
  return now_us > from ? (guint) ((now_us - from) / G_USEC_PER_SEC) : 0;
}

guint
trv_inactivity_silent_s (const TrvInactivity *self, gint64 last_rx_us, gint64 now_us)
{
  return self->expecting ? seconds_from (self->warn_from_us, last_rx_us, now_us) : 0;
}

TrvInactivityEvents
trv_inactivity_check (TrvInactivity *self, gint64 last_rx_us, gint64 now_us)
{
  TrvInactivityEvents events = TRV_INACTIVITY_NO_CHANGE;
  guint silent_s = trv_inactivity_silent_s (self, last_rx_us, now_us);
  guint allowance_s = self->expecting ? seconds_from (self->since_us, last_rx_us, now_us) : 0;
  /* On hold (either side) nothing is expected: never silent, never timed out. */
  gboolean silent = self->expecting && silent_s >= self->warn_s;
  if (silent != self->silent)
    {
      self->silent = silent;
      events |= TRV_INACTIVITY_SILENT_CHANGED;
    }
  /* Packets came again (or hold began): a later silence counts anew. */
  if (!self->expecting || self->timeout_s == 0 || allowance_s < self->timeout_s)
    self->timed_out = FALSE;
  else if (!self->timed_out)
    {
      self->timed_out = TRUE;
      events |= TRV_INACTIVITY_TIMED_OUT;
    }
  return events;
}
