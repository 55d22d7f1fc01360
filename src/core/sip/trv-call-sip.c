/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-sip.c: a call's SIP side: INVITE/answer, re-INVITE (hold), INFO (DTMF). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-call-private.h"
#include "trv-error.h"
#include "trv-sip-auth.h"
#include "trv-sip-body.h"
#include "trv-offer-answer.h"
#include "trv-ice-transport.h"

void
_trv_call_send_offer (TrvCall *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *offer = _trv_call_build_offer (self, &error);
  if (offer == NULL)
    {
      if (!self->invite_sent || self->state == TRV_CALL_STATE_DIALING)
        _trv_call_end (self, TRV_CALL_END_FAILED, g_steal_pointer (&error));
      else
        _trv_call_fail (self, g_steal_pointer (&error));
      return;
    }
  /* Only the first INVITE replaces a dialog at the target (attended transfer). */
  g_autofree gchar *replaces = g_steal_pointer (&self->replaces);
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (offer),
              TAG_IF (replaces, SIPTAG_REPLACES_STR (replaces)),
              TAG_END ());
}

static void
on_outgoing_transport_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvCall) self = data;
  g_autoptr(GError) error = NULL;

  if (!trv_media_transport_prepare_finish (TRV_MEDIA_TRANSPORT (source), result, &error))
    {
      if (self->state != TRV_CALL_STATE_ENDED)
        _trv_call_end (self, TRV_CALL_END_FAILED,
                       g_error_new (TRV_ERROR,
                                    g_error_matches (error, TRV_ERROR, TRV_ERROR_NO_RESOURCES)
                                    ? TRV_ERROR_NO_RESOURCES : TRV_ERROR_CALL_FAILED,
                                    _("cannot open a media port: %s"), error->message));
      return;
    }
  if (self->state == TRV_CALL_STATE_ENDED)
    return;
  self->transport_ready = TRUE;
  self->invite_sent = TRUE;
  _trv_call_send_offer (self);
}

void
_trv_call_start_outgoing (TrvCall *self)
{
  self->dial_time_us = g_get_monotonic_time ();
  trv_media_transport_prepare_async (self->transport, NULL, on_outgoing_transport_ready,
                                     g_object_ref (self));
}

gchar *
_trv_call_no_media_reason (const sip_reason_t *reason)
{
  for (const sip_reason_t *r = reason; r; r = r->re_next)
    {
      guint64 cause = 0;
      if (r->re_protocol == NULL || g_ascii_strcasecmp (r->re_protocol, "SIP") != 0 ||
          r->re_cause == NULL ||
          !g_ascii_string_to_unsigned (r->re_cause, 10, 100, 699, &cause, NULL) ||
          cause != TRV_CALL_NO_MEDIA_CAUSE)
        continue;
      if (r->re_text == NULL)
        return g_strdup (_("no media path"));
      char *text = msg_unquote_dup (NULL, r->re_text);
      gchar *why = g_strdup (text);
      su_free (NULL, text);
      return why;
    }
  return NULL;
}

/* RFC 3261 Warning 302 "Incompatible transport protocol": the offer's RTP profile
 * (RTP/AVP where RTP/SAVP is required) is not acceptable. Traverse adds it to the 488
 * with which it refuses an offer without usable SRTP. */
#define WARNING_INCOMPATIBLE_TRANSPORT 302
#define WARNING_MEDIA_TYPE_NOT_AVAILABLE 304

static gboolean
has_warning (const sip_t *sip, unsigned code)
{
  for (const sip_warning_t *w = sip ? sip->sip_warning : NULL; w; w = w->w_next)
    if (w->w_code == code)
      return TRUE;
  return FALSE;
}

static GError *
rejection_error_message (TrvCall *self, int status, const char *phrase, const sip_t *sip)
{
  /* A peer without SRTP refuses an RTP/SAVP offer as not acceptable. */
  if ((status == 488 || status == 606) && self->srtp.policy == TRV_SRTP_MANDATORY)
    {
      g_autofree gchar *detail = g_strdup_printf (_("%s refused our encrypted offer (SIP %d %s)"),
                                                  self->remote_uri, status, phrase);
      return trv_srtp_peer_unsupported_error (detail);
    }
  /* Another Traverse (or a peer saying so) that requires SRTP we did not offer. */
  if ((status == 488 || status == 606) && has_warning (sip, WARNING_INCOMPATIBLE_TRANSPORT))
    return g_error_new (TRV_ERROR, TRV_ERROR_REJECTED,
                        /* Translators: the second %s is "is off for this account" or "needs
                         * TLS signalling here (...)"; the last two are the SIP status and the
                         * server's reason phrase. */
                        _("%s requires encrypted media (SRTP), which %s (SIP %d %s)"),
                        self->remote_uri,
                        self->srtp.policy == TRV_SRTP_OFF ? _("is off for this account")
                        : _("needs TLS signalling here (or account.srtp-over-insecure = true)"),
                        status, phrase);
  /* Only a peer that says so (Warning 304 "Media type not available" or 305, as Traverse
   * sends) lacks our codecs; a bare 488 can mean any part of the offer. */
  if ((status == 488 || status == 606) &&
      (has_warning (sip, WARNING_MEDIA_TYPE_NOT_AVAILABLE) ||
       has_warning (sip, TRV_SIP_WARNING_INCOMPATIBLE_MEDIA)))
    return g_error_new (TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC,
                        _("%s has no codec in common with us (SIP %d %s)"),
                        self->remote_uri, status, phrase);
  if (status == 488 || status == 606)
    return g_error_new (TRV_ERROR, TRV_ERROR_REJECTED,
                        _("%s did not accept the call's media offer (SIP %d %s)"),
                        self->remote_uri, status, phrase);
  if (status == 408 || (status == 503 && self->sip_status == 0))
    return g_error_new (TRV_ERROR, TRV_ERROR_UNREACHABLE,
                        _("cannot reach %s (SIP %d %s)"), self->remote_uri, status, phrase);
  if (status == 401 || status == 407 || status == 403)
    return g_error_new (TRV_ERROR, TRV_ERROR_AUTH_FAILED,
                        _("the server refused to place the call to %s (SIP %d %s)"),
                        self->remote_uri, status, phrase);
  return g_error_new (TRV_ERROR, TRV_ERROR_REJECTED, _("%s rejected the call (SIP %d %s)"),
                      self->remote_uri, status, phrase);
}

/* The same, with the status and the peer as data (for a front end's detail). */
static GError *
rejection_error (TrvCall *self, int status, const char *phrase, const sip_t *sip)
{
  return trv_error_set_sip (rejection_error_message (self, status, phrase, sip), status,
                            self->remote_uri);
}

static void
on_invite_answered (TrvCall *self, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  const char *body = (sip && sip->sip_payload) ? sip->sip_payload->pl_data : NULL;
  g_autofree gchar *answer = body ? g_strndup (body, sip->sip_payload->pl_len) : NULL;

  if (_trv_call_answer_keeps_early (self, answer))
    {
      g_debug ("call %s: answered, the early media session goes on", self->remote_uri);
      _trv_call_update_remote_hold (self);
      return;
    }
  if (answer == NULL)
    {
      _trv_call_fail (self, g_error_new (TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                                         _("%s answered without SDP"), self->remote_uri));
      return;
    }
  /* A different SDP than the early media's updates the running session (remote address,
   * codec) instead of starting another. */
  TrvNegotiation *negotiation = _trv_call_read_answer (self, answer, &error);
  if (negotiation == NULL || !_trv_call_apply_negotiation (self, negotiation, &error))
    {
      _trv_call_fail (self, g_steal_pointer (&error));
      return;
    }
  _trv_call_update_remote_hold (self);
}

void
_trv_call_apply_answer (TrvCall *self, const sip_t *sip)
{
  on_invite_answered (self, sip);
}

static void
on_r_invite (TrvCall *self, int status, const char *phrase, const sip_t *sip)
{
  gboolean initial = self->state == TRV_CALL_STATE_DIALING ||
                     self->state == TRV_CALL_STATE_RINGING;

  if (status == 401 || status == 407)
    {
      g_autoptr(GError) error = NULL;
      if (trv_sip_auth_respond (self->account, self->nh, sip, &self->auth_attempts, &error))
        return;
      if (initial)
        _trv_call_end (self, TRV_CALL_END_FAILED,
                       trv_error_set_sip (g_steal_pointer (&error), status, self->remote_uri));
      return;
    }

  if (status < 200)
    {
      _trv_call_session_too_small (self, sip);
      if (initial)
        _trv_call_on_provisional (self, status, sip);
      return;
    }

  if (initial)
    {
      _trv_call_set_sip_status (self, status);
      if (status >= 300)
        {
          if (status == 487 || self->end_reason == TRV_CALL_END_CANCELLED)
            _trv_call_end (self, TRV_CALL_END_CANCELLED, NULL);
          else
            _trv_call_end (self, TRV_CALL_END_REJECTED,
                           rejection_error (self, status, phrase, sip));
          return;
        }
      self->answer_time_us = g_get_monotonic_time ();
      _trv_call_store_session_timer (self, FALSE, sip);
      on_invite_answered (self, sip);
      if (self->state != TRV_CALL_STATE_ENDED)
        _trv_call_set_state (self, self->want_held ? TRV_CALL_STATE_HELD : TRV_CALL_STATE_ACTIVE);
      return;
    }

  /* The answer to our re-INVITE (hold / resume / ICE restart). */
  self->reinvite_pending = FALSE;
  if (status == 491 && self->ice_restarting)
    {
      /* Glare: both sides lost the path and restarted ICE at the same moment. */
      _trv_call_retry_ice_restart (self);
      return;
    }
  if (status >= 300 && self->ice_restarting)
    {
      /* Our side already restarted ICE: without the peer's new candidates there is
       * no media path left. */
      self->ice_restarting = FALSE;
      /* No answer at all (408, or the dialog is gone: 481) means the peer itself is gone,
       * not that it said no. */
      gboolean gone = status == 408 || status == 481;
      if (self->nh)
        _trv_call_bye_no_media (self, gone ? "no media path: no answer to the ICE restart"
                                           : "no media path: the peer refused the ICE restart");
      _trv_call_end (self, TRV_CALL_END_NO_MEDIA,
                     gone ? g_error_new (TRV_ERROR, TRV_ERROR_NO_MEDIA,
                                         _("no media path: the other side did not answer the "
                                           "ICE restart (SIP %d %s)"), status, phrase)
                          : g_error_new (TRV_ERROR, TRV_ERROR_NO_MEDIA,
                                         _("no media path: the peer refused the ICE restart "
                                           "(SIP %d %s)"), status, phrase));
      return;
    }
  self->ice_restarting = FALSE;
  if (status >= 300)
    {
      if (status == 481 || status == 408)
        {
          _trv_call_fail (self, g_error_new (TRV_ERROR, TRV_ERROR_CALL_FAILED,
                                             _("the call was lost (SIP %d %s)"), status, phrase));
          return;
        }
      self->want_held = self->state == TRV_CALL_STATE_HELD;
      return;
    }
  _trv_call_store_session_timer (self, FALSE, sip);
  on_invite_answered (self, sip);
  if (self->state != TRV_CALL_STATE_ENDED)
    _trv_call_set_state (self, self->want_held ? TRV_CALL_STATE_HELD : TRV_CALL_STATE_ACTIVE);
}

/* An offer we cannot take: the status with the reason in a Warning header, so the
 * caller can tell its user more than "Not Acceptable Here". */
static void
refuse_offer (TrvCall *self, int status, const char *phrase, const GError *error)
{
  guint code = g_error_matches (error, TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC)
                ? TRV_SIP_WARNING_INCOMPATIBLE_MEDIA : TRV_SIP_WARNING_MISC;
  g_autofree gchar *warning = trv_sip_warning (code, error ? error->message : phrase);
  g_debug ("call %s: offer refused with %d: %s", self->remote_uri, status,
           error ? error->message : phrase);
  nua_respond (self->nh, status, phrase, SIPTAG_WARNING_STR (warning), TAG_END ());
}

void
_trv_call_send_answer (TrvCall *self)
{
  if (self->remote_offer == NULL)
    {
      _trv_call_offer_in_answer (self, NULL);
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvMediaEndpoint) ep = _trv_call_describe_local (self);
  TrvNegotiation *negotiation = NULL;
  g_autofree gchar *answer =
    trv_srtp_prepare_answer (&self->srtp, self->srtp_key, self->remote_offer, ep, &error)
    ? trv_offer_answer_create_answer (self->remote_offer, self->media_config, ep,
                                      _trv_call_wanted_direction (self), self->session_id,
                                      ++self->session_version, &negotiation, &error)
    : NULL;
  if (answer == NULL)
    {
      refuse_offer (self, SIP_488_NOT_ACCEPTABLE, error);
      _trv_call_end (self, TRV_CALL_END_FAILED, g_steal_pointer (&error));
      return;
    }
  nua_respond (self->nh, SIP_200_OK,
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (answer),
               TAG_END ());
  _trv_call_set_sip_status (self, 200);
  self->answer_time_us = g_get_monotonic_time ();
  if (!_trv_call_apply_negotiation (self, negotiation, &error))
    {
      _trv_call_fail (self, g_steal_pointer (&error));
      return;
    }
  _trv_call_update_remote_hold (self);
  _trv_call_set_state (self, TRV_CALL_STATE_ACTIVE);
}

static void
on_incoming_transport_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvCall) self = data;
  g_autoptr(GError) error = NULL;

  if (!trv_media_transport_prepare_finish (TRV_MEDIA_TRANSPORT (source), result, &error))
    {
      if (self->state == TRV_CALL_STATE_INCOMING)
        {
          /* Short of resources is ours and passes (503); the code stays for the front end. */
          gboolean short_of = g_error_matches (error, TRV_ERROR, TRV_ERROR_NO_RESOURCES);
          if (short_of)
            nua_respond (self->nh, SIP_503_SERVICE_UNAVAILABLE, TAG_END ());
          else
            nua_respond (self->nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END ());
          _trv_call_end (self, TRV_CALL_END_FAILED,
                         g_error_new (TRV_ERROR, short_of ? TRV_ERROR_NO_RESOURCES
                                      : TRV_ERROR_CALL_FAILED,
                                      _("cannot open a media port: %s"), error->message));
        }
      return;
    }
  self->transport_ready = TRUE;
  if (self->answer_requested && self->state == TRV_CALL_STATE_INCOMING)
    _trv_call_send_answer (self);
}

static gchar *
payload_string (const sip_t *sip)
{
  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0)
    return NULL;
  return g_strndup (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

/* The offer in an INVITE or re-INVITE, or FALSE after answering what is wrong with
 * the request itself: a body that is not SDP (415), or an Accept without SDP (406). */
static gboolean
read_offer (TrvCall *self, const sip_t *sip, gchar **offer)
{
  if (!trv_sip_body_sdp (sip, offer))
    {
      g_debug ("call %s: INVITE body is %s, not SDP: 415", self->remote_uri,
               sip->sip_content_type && sip->sip_content_type->c_type
               ? sip->sip_content_type->c_type : "untyped");
      nua_respond (self->nh, SIP_415_UNSUPPORTED_MEDIA, SIPTAG_ACCEPT_STR ("application/sdp"),
                   TAG_END ());
      return FALSE;
    }
  if (!trv_sip_accepts_sdp (sip))
    {
      g_debug ("call %s: INVITE does not accept application/sdp: 406", self->remote_uri);
      g_clear_pointer (offer, g_free);
      nua_respond (self->nh, SIP_406_NOT_ACCEPTABLE, TAG_END ());
      return FALSE;
    }
  return TRUE;
}

/* Checks the offer of an incoming call now, so a call we cannot take never rings; FALSE
 * after refusing it and ending the call. */
static gboolean
check_offer (TrvCall *self, const char *offer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvMediaEndpoint) probe = trv_media_endpoint_new ();
  probe->address = g_strdup (self->media_address);
  probe->port = 9;
  if (TRV_IS_ICE_TRANSPORT (self->transport))
    {
      /* We do ICE: with an ICE offer the candidates decide whether an address family
       * works (the peer's c= may be IPv6 while ours is IPv4), not the c= lines. */
      probe->ice_ufrag = g_strdup ("probe");
      probe->ice_pwd = g_strdup ("probe-password-not-used");
    }
  TrvNegotiation *negotiation = NULL;
  gboolean srtp_ok = trv_srtp_prepare_answer (&self->srtp, self->srtp_key, offer, probe, &error);
  g_autofree gchar *answer = !srtp_ok ? NULL :
                             trv_offer_answer_create_answer (offer, self->media_config, probe, TRV_DIRECTION_SENDRECV,
                                                             self->session_id, 0, &negotiation, &error);
  if (answer == NULL)
    {
      if (!srtp_ok && self->srtp.policy == TRV_SRTP_MANDATORY &&
          g_error_matches (error, TRV_ERROR, TRV_ERROR_SRTP_UNSUPPORTED))
        nua_respond (self->nh, 488, "Encrypted Media (SRTP) Required",
                     SIPTAG_WARNING_STR (G_STRINGIFY (WARNING_INCOMPATIBLE_TRANSPORT)
                                         " traverse \"Incompatible transport protocol\""),
                     TAG_END ());
      else if (!srtp_ok || g_error_matches (error, TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC) ||
               g_error_matches (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE))
        refuse_offer (self, SIP_488_NOT_ACCEPTABLE, error);
      else
        refuse_offer (self, 400, "Bad Session Description", error);
      _trv_call_end (self, TRV_CALL_END_FAILED, g_steal_pointer (&error));
      return FALSE;
    }
  trv_negotiation_free (negotiation);
  return TRUE;
}

static void
on_initial_invite (TrvCall *self, const sip_t *sip)
{
  g_autofree gchar *offer = NULL;

  if (!read_offer (self, sip, &offer))
    {
      _trv_call_end (self, TRV_CALL_END_FAILED,
                     g_error_new (TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                                  _("incoming call from %s carried no SDP we can use"),
                                  self->remote_uri));
      return;
    }
  if (offer != NULL && !check_offer (self, offer))
    return;
  /* Without an offer, ours goes in the 200 (trv-call-reoffer.c). */
  self->remote_offer = g_steal_pointer (&offer);
  _trv_call_store_session_timer (self, TRUE, sip);
  nua_respond (self->nh, SIP_180_RINGING, TAG_END ());
  _trv_call_set_state (self, TRV_CALL_STATE_INCOMING);
  trv_media_transport_prepare_async (self->transport, NULL, on_incoming_transport_ready,
                                     g_object_ref (self));
}

static void
on_reinvite (TrvCall *self, const sip_t *sip)
{
  if (self->ice_regathering)
    {
      /* Our own ICE restart offer is about to go out (RFC 3261 14.2): the peer retries
       * after its random wait, and by then knows our new side, instead of both sides
       * restarting on top of each other. */
      nua_respond (self->nh, SIP_491_REQUEST_PENDING, TAG_END ());
      return;
    }
  g_autofree gchar *offer = NULL;
  if (!read_offer (self, sip, &offer))
    return;
  if (offer == NULL)
    _trv_call_offer_in_answer (self, sip);
  else
    _trv_call_answer_reoffer (self, NULL, offer, sip);
}

static void
on_info (TrvCall *self, const sip_t *sip)
{
  g_autofree gchar *body = payload_string (sip);
  if (body == NULL)
    return;
  char digit = 0;
  const char *signal = strstr (body, "Signal=");
  if (signal)
    {
      signal += 7;
      while (*signal == ' ')
        signal++;
      digit = *signal;
    }
  else if (sip->sip_content_type &&
           g_ascii_strcasecmp (sip->sip_content_type->c_type, "application/dtmf") == 0)
    digit = g_strstrip (body)[0];
  if (trv_dtmf_event_of (digit) >= 0)
    {
      digit = g_ascii_toupper (digit);
      _trv_call_dtmf_received (self, digit);
    }
}

void
_trv_call_send_next_info (TrvCall *self)
{
  if (self->info_in_flight || self->info_queue->len == 0 || self->nh == NULL ||
      self->state == TRV_CALL_STATE_ENDED)
    return;
  g_autofree gchar *body = g_strdup_printf ("Signal=%c\r\nDuration=160\r\n",
                                            self->info_queue->str[0]);
  g_string_erase (self->info_queue, 0, 1);
  self->info_in_flight = TRUE;
  nua_info (self->nh,
            SIPTAG_CONTENT_TYPE_STR ("application/dtmf-relay"),
            SIPTAG_PAYLOAD_STR (body),
            TAG_END ());
}

void
_trv_call_handle_event (TrvCall *self, nua_event_t event, int status, const char *phrase,
                        nua_handle_t *nh, const sip_t *sip, tagi_t tags[])
{
  switch (event)
    {
    case nua_i_invite:
      if (self->state == TRV_CALL_STATE_ACTIVE || self->state == TRV_CALL_STATE_HELD)
        on_reinvite (self, sip);
      else if (self->state == TRV_CALL_STATE_INCOMING && self->remote_offer == NULL)
        on_initial_invite (self, sip);
      break;

    case nua_i_ack:
      _trv_call_on_ack (self, sip);
      break;

    case nua_r_invite:
      on_r_invite (self, status, phrase, sip);
      break;

    case nua_i_cancel:
      _trv_call_end (self, TRV_CALL_END_CANCELLED, NULL);
      break;

    case nua_i_bye:
      {
        self->bye_done = TRUE;
        /* A peer that hangs up for lack of media says so in Reason (RFC 3326): the
         * user hears why here too, instead of a plain hang-up. */
        g_autofree gchar *why = _trv_call_no_media_reason (sip ? sip->sip_reason : NULL);
        const char *ours = NULL;
        GError *own = why ? _trv_call_no_path_error (self, &ours) : NULL;
        if (own)
          _trv_call_end (self, TRV_CALL_END_NO_MEDIA, own);   /* our data, our language */
        else if (why)
          _trv_call_end (self, TRV_CALL_END_NO_MEDIA,
                         g_error_new (TRV_ERROR, TRV_ERROR_NO_MEDIA,
                                      _("the peer hung up: %s"), why));
        else
          _trv_call_end (self, TRV_CALL_END_REMOTE_HANGUP, NULL);
      }
      break;

    case nua_i_info:
      on_info (self, sip);
      break;

    case nua_r_update:
      _trv_call_on_r_update (self, status, sip);
      break;

    case nua_r_bye:
      _trv_call_on_r_bye (self, status);
      break;

    case nua_r_info:
      if (status >= 200)
        {
          self->info_in_flight = FALSE;
          _trv_call_send_next_info (self);
        }
      break;

    case nua_i_state:
      {
        int callstate = nua_callstate_init;
        tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), TAG_END ());
        if (callstate == nua_callstate_terminated)
          {
            self->bye_done = TRUE;
            if (self->state != TRV_CALL_STATE_ENDED)
              _trv_call_end (self, TRV_CALL_END_REMOTE_HANGUP, NULL);
            _trv_call_release_handle (self);
          }
      }
      break;

    default:
      break;
    }
}
