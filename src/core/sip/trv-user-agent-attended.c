/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent-attended.c: the agent's part of attended transfer: consulting the target
 * while the call waits on hold, and an INVITE with Replaces (RFC 3891) taking over one of
 * our calls. */
#include "config.h"

#include "trv-user-agent-private.h"
#include "trv-call-private.h"
#include "trv-error.h"

#include <glib/gi18n-lib.h>

gboolean
trv_user_agent_transfer (TrvUserAgent *self, TrvCall *call, const char *target,
                         GError **error)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), FALSE);
  g_return_val_if_fail (TRV_IS_CALL (call), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  g_autofree gchar *uri = _trv_user_agent_normalize_target (self, target, error);
  return uri != NULL && trv_call_transfer (call, uri, error);
}

TrvCall *
trv_user_agent_consult (TrvUserAgent *self, TrvCall *call, const char *target,
                        GError **error)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  g_return_val_if_fail (TRV_IS_CALL (call), NULL);
  g_return_val_if_fail (target != NULL, NULL);
  if (g_list_find (self->calls, call) == NULL || !_trv_call_check_transfer (call, error))
    return NULL;
  if (trv_call_get_consultation (call) != NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("cannot transfer: the target is being consulted already"));
      return NULL;
    }
  /* A target that cannot be called is refused before the call is put on hold. */
  g_autofree gchar *uri = _trv_user_agent_normalize_target (self, target, error);
  if (uri == NULL)
    return NULL;
  if (trv_call_get_state (call) == TRV_CALL_STATE_ACTIVE &&
      !trv_call_set_held (call, TRUE, error))
    return NULL;
  TrvCall *consultation = trv_user_agent_dial (self, uri, error);
  if (consultation == NULL)
    return NULL;
  _trv_call_set_consultation (call, consultation);
  return consultation;
}

/* RFC 3891 3: the call an INVITE's Replaces names, or a refusal. Only established calls
 * are replaced: an early dialog (ringing either way) gets 481, which RFC 3891 allows for
 * the ones we initiated and requires for the others; "early-only" for an established call
 * gets 486, a call already ending 603. */
gboolean
_trv_user_agent_find_replaced (TrvUserAgent *self, nua_handle_t *nh, const sip_t *sip,
                               TrvCall **replaced)
{
  *replaced = NULL;
  if (sip == NULL || sip->sip_replaces == NULL)
    return TRUE;
  const sip_replaces_t *rp = sip->sip_replaces;
  nua_handle_t *old = nua_handle_by_replaces (self->nua, rp);
  TrvCall *call = NULL;
  if (old != NULL)
    {
      gpointer magic = nua_handle_magic (old);
      if (magic != NULL && g_list_find (self->calls, magic) != NULL)
        call = magic;
      nua_handle_unref (old);
    }
  int status = 0;
  const char *phrase = NULL, *why = NULL;
  if (call == NULL)
    status = 481, phrase = "Call Does Not Exist", why = "no such dialog";
  else if (trv_call_get_state (call) == TRV_CALL_STATE_ENDED || call->bye_done)
    status = 603, phrase = "Declined", why = "the call has ended";
  else if (!_trv_call_is_established (call))
    status = 481, phrase = "Early Dialog Not Replaced", why = "an early dialog";
  else if (rp->rp_early_only)
    status = 486, phrase = "Busy Here", why = "early-only for an established call";
  if (status != 0)
    {
      g_debug ("INVITE with Replaces %s: %d (%s)", rp->rp_call_id, status, why);
      nua_respond (nh, status, phrase, TAG_END ());
      nua_handle_destroy (nh);
      return FALSE;
    }
  g_debug ("INVITE with Replaces for the call with %s", trv_call_get_remote_uri (call));
  *replaced = call;
  return TRUE;
}

void
_trv_user_agent_replace_call (TrvUserAgent *self, TrvCall *replaced, TrvCall *call)
{
  g_autoptr(TrvCall) old = g_object_ref (replaced);
  g_debug ("call %s: replaced by %s", trv_call_get_remote_uri (old),
           trv_call_get_remote_uri (call));
  /* Front ends follow the new call first; the old one's BYE goes before the new one's
   * 200 so that the two never play at once. */
  _trv_call_emit_replaced (old, call);
  trv_call_hangup (old);
  g_autoptr(GError) error = NULL;
  if (!trv_call_answer (call, &error))
    g_warning ("cannot answer the replacing call: %s", error->message);
}
