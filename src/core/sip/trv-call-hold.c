/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-hold.c: what a state change means beyond the state (early media stops, the
 * time a hold began), and the call-waiting mark the agent sets on a second call. */
#include "config.h"

#include "trv-call-private.h"

void
_trv_call_track_state (TrvCall *self, TrvCallState old)
{
  if (self->state != TRV_CALL_STATE_RINGING && self->state != TRV_CALL_STATE_DIALING)
    _trv_call_leave_early (self);
  if (self->state == TRV_CALL_STATE_HELD)
    {
      self->held_since_us = g_get_monotonic_time ();
      g_debug ("call %s: on hold from now", self->remote_uri);
    }
  else if (old == TRV_CALL_STATE_HELD)
    self->held_since_us = 0;
}

gint64
trv_call_get_held_since (TrvCall *self)
{
  g_return_val_if_fail (TRV_IS_CALL (self), 0);
  return self->state == TRV_CALL_STATE_HELD ? self->held_since_us : 0;
}

gboolean
trv_call_get_waiting (TrvCall *self)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  return self->waiting && self->state == TRV_CALL_STATE_INCOMING;
}
