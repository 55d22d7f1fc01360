/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent-transfer.c: the agent's part of a transfer: REFER, its NOTIFYs and the
 * call to the target, with Replaces in an attended transfer (the call's part is in
 * trv-call-transfer.c and trv-call-attended.c). */
#include "config.h"

#include "trv-user-agent-private.h"
#include "trv-call-private.h"

gboolean
_trv_user_agent_handle_transfer (TrvUserAgent *self, nua_t *nua, nua_event_t event,
                                 int status, const char *phrase, nua_handle_t *nh,
                                 gpointer hmagic, const sip_t *sip, tagi_t tags[])
{
  TrvCall *call = hmagic != NULL && TRV_IS_CALL (hmagic) ? TRV_CALL (hmagic) : NULL;
  switch (event)
    {
    case nua_r_refer:
      if (call)
        _trv_call_on_r_refer (call, status, phrase, sip);
      return call != NULL;

    case nua_i_notify:
      /* Outside a call: a message summary (trv-user-agent-voicemail.c). */
      if (call)
        _trv_call_on_notify (call, nua, status, sip, tags);
      return call != NULL;

    case nua_i_refer:
      if (call == NULL)
        {
          /* A transfer only makes sense inside a call; one outside any (RFC 3515 allows
           * it) is refused as before REFER was implemented. */
          g_debug ("REFER outside a call: 405");
          if (status < 200)
            nua_respond (nh, SIP_405_METHOD_NOT_ALLOWED, NUTAG_WITH_CURRENT (nua), TAG_END ());
          if (hmagic == NULL && nh != self->reg_handle && nh != self->ka_handle)
            nua_handle_destroy (nh);
          return TRUE;
        }
      {
        g_autoptr(TrvCall) ref = g_object_ref (call);
        g_autofree gchar *replaces = NULL;
        g_autofree gchar *target = _trv_call_accept_refer (call, nua, status, sip, tags,
                                                           &replaces);
        if (target == NULL)
          return TRUE;
        g_autoptr(GError) error = NULL;
        /* Through this agent and account, like any call the user places. */
        TrvCall *next = trv_user_agent_dial (self, target, &error);
        /* The INVITE waits for the media transport (always asynchronous): in time. */
        if (next != NULL && replaces != NULL)
          _trv_call_set_replaces (next, replaces);
        _trv_call_follow_transfer (call, target, next, error);
      }
      return TRUE;

    default:
      return FALSE;
    }
}
