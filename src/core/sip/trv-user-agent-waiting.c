/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent-waiting.c: call waiting. A call that arrives while another is up is
 * marked waiting; it is answered by holding the current calls first, or by ending them,
 * and a person switches between established calls by holding one and resuming another. */
#include "config.h"

#include "trv-user-agent-private.h"
#include "trv-call-private.h"
#include "trv-error.h"

#include <glib/gi18n-lib.h>

static gboolean
is_up (TrvCall *call)
{
  TrvCallState state = trv_call_get_state (call);
  return state == TRV_CALL_STATE_ACTIVE || state == TRV_CALL_STATE_HELD;
}

void
_trv_user_agent_mark_waiting (TrvUserAgent *self, TrvCall *call)
{
  for (GList *l = self->calls; l; l = l->next)
    if (l->data != call && is_up (l->data))
      {
        call->waiting = TRUE;
        g_debug ("call %s: waiting (another call is up)", trv_call_get_remote_uri (call));
        return;
      }
}

TrvCall *
trv_user_agent_get_current_call (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  for (GList *l = self->calls; l; l = l->next)
    if (trv_call_get_state (l->data) == TRV_CALL_STATE_ACTIVE)
      return l->data;
  return NULL;
}

/* @call is one of ours and rings for us. */
static gboolean
check_ringing (TrvUserAgent *self, TrvCall *call, GError **error)
{
  if (g_list_find (self->calls, call) == NULL ||
      trv_call_get_state (call) != TRV_CALL_STATE_INCOMING)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("only a ringing incoming call can be answered"));
      return FALSE;
    }
  return TRUE;
}

/* Holds every active call but @except (a re-INVITE each). Stops at the first that cannot
 * be held (a hold or resume still in progress). */
static gboolean
hold_others (TrvUserAgent *self, TrvCall *except, GError **error)
{
  for (GList *l = self->calls; l; l = l->next)
    {
      TrvCall *other = l->data;
      if (other == except || trv_call_get_state (other) != TRV_CALL_STATE_ACTIVE)
        continue;
      g_debug ("call %s: holding it for %s", trv_call_get_remote_uri (other),
               trv_call_get_remote_uri (except));
      if (!trv_call_set_held (other, TRUE, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
trv_user_agent_hold_and_answer (TrvUserAgent *self, TrvCall *call, GError **error)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), FALSE);
  g_return_val_if_fail (TRV_IS_CALL (call), FALSE);
  if (!check_ringing (self, call, error) || !hold_others (self, call, error))
    return FALSE;
  /* The answer does not wait for the holds' 200s: the caller waited long enough, and a
   * held call's media is sendonly (or inactive) once its peer accepts. */
  return trv_call_answer (call, error);
}

gboolean
trv_user_agent_end_and_answer (TrvUserAgent *self, TrvCall *call, GError **error)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), FALSE);
  g_return_val_if_fail (TRV_IS_CALL (call), FALSE);
  if (!check_ringing (self, call, error))
    return FALSE;
  /* A copy: hanging up removes the call from self->calls (once it ends). */
  g_autoptr(GPtrArray) active = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = self->calls; l; l = l->next)
    if (l->data != call && trv_call_get_state (l->data) == TRV_CALL_STATE_ACTIVE)
      g_ptr_array_add (active, g_object_ref (l->data));
  for (guint i = 0; i < active->len; i++)
    {
      g_debug ("call %s: ending it for %s", trv_call_get_remote_uri (active->pdata[i]),
               trv_call_get_remote_uri (call));
      trv_call_hangup (active->pdata[i]);
    }
  return trv_call_answer (call, error);
}

gboolean
trv_user_agent_switch_to (TrvUserAgent *self, TrvCall *call, GError **error)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), FALSE);
  g_return_val_if_fail (TRV_IS_CALL (call), FALSE);
  if (g_list_find (self->calls, call) == NULL || !is_up (call))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("only an established call can be switched to"));
      return FALSE;
    }
  if (!hold_others (self, call, error))
    return FALSE;
  g_debug ("call %s: switching to it", trv_call_get_remote_uri (call));
  return trv_call_set_held (call, FALSE, error);
}
