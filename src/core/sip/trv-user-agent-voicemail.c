/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent-voicemail.c: message waiting (RFC 3842). A registered account subscribes
 * to message-summary at its own AoR (through its registrar, unless a proxy carries
 * everything); sofia refreshes the subscription and answers its NOTIFYs. PBXs also send
 * NOTIFYs without any subscription (Asterisk's unsolicited MWI): those are answered here,
 * and taken only from the provider when the account takes calls only through it.
 * A server without the service (489, 404, 405...) is not asked again, and says nothing to
 * the user: not every account has voicemail. */
#include "config.h"

#include <string.h>

#include "trv-user-agent-private.h"
#include "trv-message-summary.h"
#include "trv-sip-auth.h"
#include "trv-sip-body.h"

#define MWI_EVENT        "message-summary"
#define MWI_CONTENT_TYPE "application/simple-message-summary"
#define MWI_EXPIRES      "3600"

void
_trv_user_agent_subscribe_voicemail (TrvUserAgent *self)
{
  if (self->mwi_handle || self->mwi_unavailable || self->nua == NULL || self->shutting_down ||
      self->account == NULL)
    return;
  self->mwi_auth_attempts = 0;
  gboolean via_registrar = self->proxy_uri == NULL && self->registrar_uri != NULL;
  self->mwi_handle = nua_handle (self->nua, NULL,
                                 SIPTAG_TO_STR (self->account->address),
                                 SIPTAG_FROM_STR (self->account->address),
                                 TAG_IF (via_registrar, NUTAG_PROXY (self->registrar_uri)),
                                 TAG_END ());
  g_debug ("voicemail: subscribing to %s of %s", MWI_EVENT, self->account->address);
  nua_subscribe (self->mwi_handle,
                 SIPTAG_EVENT_STR (MWI_EVENT),
                 SIPTAG_ACCEPT_STR (MWI_CONTENT_TYPE),
                 SIPTAG_EXPIRES_STR (MWI_EXPIRES),
                 TAG_END ());
}

void
_trv_user_agent_drop_voicemail (TrvUserAgent *self)
{
  if (self->mwi_handle)
    nua_handle_destroy (g_steal_pointer (&self->mwi_handle));
}

/* Statuses by which a server says it has no message-summary for us: 489 Bad Event,
 * 404 (no such mailbox), 405/501 (no SUBSCRIBE), 403 (not for this account). */
static gboolean
no_service (int status)
{
  return status == 489 || status == 404 || status == 405 || status == 501 || status == 403;
}

static void
on_subscribe_response (TrvUserAgent *self, int status, const char *phrase, nua_handle_t *nh,
                       const sip_t *sip)
{
  if (status < 200)
    return;
  if (status < 300)
    {
      self->mwi_auth_attempts = 0;
      g_debug ("voicemail: subscribed (%d %s)", status, phrase);
      return;
    }
  if (status == 401 || status == 407)
    {
      g_autoptr(GError) error = NULL;
      if (trv_sip_auth_respond (self->account, nh, sip, &self->mwi_auth_attempts, &error))
        return;
      g_debug ("voicemail: subscription refused: %s", error->message);
    }
  else if (no_service (status))
    {
      g_debug ("voicemail: no %s service for this account (%d %s)", MWI_EVENT, status, phrase);
      self->mwi_unavailable = TRUE;
    }
  else
    /* Tried again after the next registration. */
    g_debug ("voicemail: subscription failed (%d %s)", status, phrase);
  _trv_user_agent_drop_voicemail (self);
}

/* Reads a message-summary body; FALSE (error set) when it is none. */
static gboolean
apply_summary (TrvUserAgent *self, const sip_t *sip, GError **error)
{
  const sip_payload_t *pl = sip ? sip->sip_payload : NULL;
  TrvMessageSummary summary;
  if (!trv_message_summary_parse (pl ? pl->pl_data : NULL, pl ? pl->pl_len : 0, &summary,
                                  error))
    return FALSE;
  gint new_messages = summary.voice_new;
  /* "no" with no counts is still a count: nothing new. */
  if (new_messages < 0 && !summary.waiting)
    new_messages = 0;
  _trv_user_agent_set_voicemail (self, new_messages, summary.voice_old, summary.account);
  trv_message_summary_clear (&summary);
  return TRUE;
}

static gboolean
is_mwi_event (const sip_t *sip)
{
  return sip && sip->sip_event && sip->sip_event->o_type &&
         g_ascii_strcasecmp (sip->sip_event->o_type, MWI_EVENT) == 0;
}

/* A NOTIFY outside our subscription: answered here. */
static void
on_unsolicited_notify (TrvUserAgent *self, nua_t *nua, nua_handle_t *nh, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  const sip_content_type_t *ct = sip ? sip->sip_content_type : NULL;
  if (!_trv_user_agent_admit_notify (self))
    /* Counts from a stranger would mislead as much as a ghost call would ring. */
    nua_respond (nh, SIP_403_FORBIDDEN, NUTAG_WITH_CURRENT (nua), TAG_END ());
  else if (!is_mwi_event (sip))
    {
      g_debug ("NOTIFY for event %s: 489",
               sip && sip->sip_event && sip->sip_event->o_type ? sip->sip_event->o_type : "none");
      nua_respond (nh, SIP_489_BAD_EVENT, SIPTAG_ALLOW_EVENTS_STR (MWI_EVENT),
                   NUTAG_WITH_CURRENT (nua), TAG_END ());
    }
  else if (ct && ct->c_type && g_ascii_strcasecmp (ct->c_type, MWI_CONTENT_TYPE) != 0)
    {
      g_debug ("voicemail: NOTIFY body is %s: 415", ct->c_type);
      nua_respond (nh, SIP_415_UNSUPPORTED_MEDIA, SIPTAG_ACCEPT_STR (MWI_CONTENT_TYPE),
                   NUTAG_WITH_CURRENT (nua), TAG_END ());
    }
  else if (!apply_summary (self, sip, &error))
    {
      g_autofree gchar *warning = trv_sip_warning (TRV_SIP_WARNING_MISC, error->message);
      g_debug ("voicemail: unsolicited NOTIFY refused: %s", error->message);
      nua_respond (nh, 400, "Bad Message Summary", SIPTAG_WARNING_STR (warning),
                   NUTAG_WITH_CURRENT (nua), TAG_END ());
    }
  else
    {
      g_debug ("voicemail: unsolicited NOTIFY taken");
      nua_respond (nh, SIP_200_OK, NUTAG_WITH_CURRENT (nua), TAG_END ());
    }
}

gboolean
_trv_user_agent_handle_voicemail (TrvUserAgent *self, nua_t *nua, nua_event_t event,
                                  int status, const char *phrase, nua_handle_t *nh,
                                  gboolean foreign, const sip_t *sip, tagi_t tags[])
{
  gboolean ours = nh != NULL && nh == self->mwi_handle;
  if (event == nua_r_subscribe)
    {
      if (ours)
        on_subscribe_response (self, status, phrase, nh, sip);
      return ours;
    }
  if (event != nua_i_notify)
    return FALSE;

  if (!ours)
    {
      if (status < 200)
        on_unsolicited_notify (self, nua, nh, sip);
      /* Its own handle (sofia made one for the NOTIFY): nothing more comes on it. */
      if (!foreign && nh != self->reg_handle && nh != self->ka_handle)
        nua_handle_destroy (nh);
      return TRUE;
    }

  /* Within our subscription sofia has answered 200 already: a body that is no message
   * summary changes nothing. */
  g_autoptr(GError) error = NULL;
  if (sip && sip->sip_payload && sip->sip_payload->pl_len > 0 &&
      !apply_summary (self, sip, &error))
    g_debug ("voicemail: NOTIFY body ignored: %s", error->message);
  int substate = nua_substate_active;
  tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());
  if (substate == nua_substate_terminated)
    {
      /* Subscribed again after the next registration. */
      g_debug ("voicemail: subscription ended by the server (%d %s)", status,
               phrase ? phrase : "");
      _trv_user_agent_drop_voicemail (self);
    }
  return TRUE;
}

gint
trv_user_agent_get_voicemail_new (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), -1);
  return self->voicemail_new;
}

gint
trv_user_agent_get_voicemail_old (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), -1);
  return self->voicemail_old;
}

const char *
trv_user_agent_get_voicemail_account (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  return self->voicemail_account;
}

const char *
trv_user_agent_get_voicemail_box (TrvUserAgent *self)
{
  g_return_val_if_fail (TRV_IS_USER_AGENT (self), NULL);
  if (self->account && self->account->voicemail)
    return self->account->voicemail;
  return self->voicemail_account;
}
