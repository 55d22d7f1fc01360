/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-reoffer.c: what the far end changes in an established call. PBXs re-INVITE
 * (or UPDATE) to change the codec, to hold and resume, and to move the media elsewhere
 * (after a transfer, or when they drop out of the media path): the answer follows the new
 * offer and the media session takes the new codec and address. An INVITE without an offer
 * (initial or re-INVITE, RFC 3261 13.2.1, RFC 3264) gets our offer in the 200; its answer
 * comes in the ACK. sofia's own offer/answer is off (NUTAG_MEDIA_ENABLE (0)): it passes the
 * ACK's body on as nua_i_ack and leaves a missing answer to us. */
#include "config.h"


#include "trv-call-private.h"
#include "trv-enum.h"
#include "trv-error.h"
#include "trv-sdp-enums.h"
#include "trv-sip-body.h"
#include "trv-offer-answer.h"

gchar *
_trv_call_build_offer (TrvCall *self, GError **error)
{
  g_autoptr(TrvMediaEndpoint) ep = _trv_call_describe_local (self);
  if (!trv_srtp_prepare_offer (&self->srtp, self->srtp_key, ep, error))
    return NULL;
  g_free (self->local_offer);
  self->local_offer = trv_offer_answer_create_offer (self->media_config, ep,
                                                     _trv_call_wanted_direction (self),
                                                     self->session_id,
                                                     ++self->session_version);
  return g_strdup (self->local_offer);
}

/* Refuses the request being handled, with the reason in a Warning header. */
static void
refuse (TrvCall *self, nua_t *nua, int status, const char *phrase, const char *why)
{
  g_autofree gchar *warning = trv_sip_warning (TRV_SIP_WARNING_MISC, why);
  g_debug ("call %s: %s refused with %d: %s", self->remote_uri, nua ? "UPDATE" : "re-INVITE",
           status, why);
  nua_respond (self->nh, status, phrase, TAG_IF (nua, NUTAG_WITH_CURRENT (nua)),
               SIPTAG_WARNING_STR (warning), TAG_END ());
}

void
_trv_call_answer_reoffer (TrvCall *self, nua_t *nua, const char *offer, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvMediaEndpoint) ep = _trv_call_describe_local (self);
  TrvNegotiation *negotiation = NULL;
  g_autofree gchar *answer =
    trv_srtp_prepare_answer (&self->srtp, self->srtp_key, offer, ep, &error)
    ? trv_offer_answer_create_answer (offer, self->media_config, ep,
                                      _trv_call_wanted_direction (self), self->session_id,
                                      ++self->session_version, &negotiation, &error)
    : NULL;
  if (answer == NULL)
    {
      /* The call keeps its media as it was (RFC 3261 14.2, RFC 3311 5.2). */
      refuse (self, nua, SIP_488_NOT_ACCEPTABLE, error->message);
      return;
    }
  g_debug ("call %s: %s offer answered: %s to %s:%u, %s", self->remote_uri,
           nua ? "UPDATE" : "re-INVITE", negotiation->codec->name,
           negotiation->remote ? negotiation->remote->address : "?",
           negotiation->remote ? negotiation->remote->port : 0,
           trv_enum_to_nick (TRV_TYPE_DIRECTION, negotiation->direction));
  nua_respond (self->nh, SIP_200_OK, TAG_IF (nua, NUTAG_WITH_CURRENT (nua)),
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (answer),
               TAG_END ());
  /* sofia takes an UPDATE's timer headers only when it has some. */
  if (nua == NULL || (sip && sip->sip_session_expires))
    _trv_call_store_session_timer (self, TRUE, sip);
  if (!_trv_call_apply_negotiation (self, negotiation, &error))
    {
      _trv_call_fail (self, g_steal_pointer (&error));
      return;
    }
  _trv_call_update_remote_hold (self);
}

void
_trv_call_offer_in_answer (TrvCall *self, const sip_t *sip)
{
  gboolean initial = self->state == TRV_CALL_STATE_INCOMING;
  if (self->offer_in_answer)
    return;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *offer = _trv_call_build_offer (self, &error);
  if (offer == NULL)
    {
      g_debug ("call %s: no offer for an INVITE without one: %s", self->remote_uri,
               error->message);
      nua_respond (self->nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END ());
      if (initial)
        _trv_call_end (self, TRV_CALL_END_FAILED, g_steal_pointer (&error));
      return;
    }
  g_debug ("call %s: %s without an offer: ours goes in the 200, the answer comes in the ACK",
           self->remote_uri, initial ? "INVITE" : "re-INVITE");
  self->offer_in_answer = TRUE;
  nua_respond (self->nh, SIP_200_OK,
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (offer),
               TAG_END ());
  if (initial)
    {
      _trv_call_set_sip_status (self, 200);
      self->answer_time_us = g_get_monotonic_time ();
    }
  else
    _trv_call_store_session_timer (self, TRUE, sip);
}

void
_trv_call_on_ack (TrvCall *self, const sip_t *sip)
{
  if (!self->offer_in_answer)
    return;
  self->offer_in_answer = FALSE;
  gboolean initial = self->state == TRV_CALL_STATE_INCOMING;
  g_autofree gchar *answer = NULL;
  if (!initial && (!trv_sip_body_sdp (sip, &answer) || answer == NULL))
    {
      /* A PBX that ignores the offer of a refresh re-INVITE: the media stays as it was
       * rather than the call being dropped for it. */
      g_debug ("call %s: the ACK carries no answer to our offer: media unchanged",
               self->remote_uri);
      return;
    }
  _trv_call_apply_answer (self, sip);
  if (initial && self->state == TRV_CALL_STATE_INCOMING)
    _trv_call_set_state (self, TRV_CALL_STATE_ACTIVE);
}
