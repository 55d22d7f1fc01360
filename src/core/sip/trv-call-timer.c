/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-timer.c: a call's session timer (RFC 4028). sofia-sip negotiates the
 * interval, answers 422 and retries after one, refreshes with a bodiless UPDATE (no
 * offer/answer, so our SDP is never touched) and sends BYE when the session expires
 * unrefreshed. The call keeps the interval for --stats, answers the peer's UPDATE and
 * ends with a plain reason when the other side stopped confirming the session. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "trv-call-private.h"
#include "trv-error.h"
#include "trv-sip-body.h"

guint
_trv_session_interval (gboolean uas, guint session_expires, guint min_se)
{
  guint interval;

  if (uas)
    /* sofia answers with the caller's interval, at most ours. */
    interval = session_expires ? MIN (session_expires, TRV_SESSION_EXPIRES) : TRV_SESSION_EXPIRES;
  else
    /* The 2xx holds the interval the far end chose; without one, sofia keeps ours. */
    interval = session_expires ? session_expires : MAX (TRV_SESSION_EXPIRES, min_se);
  return MAX (interval, MAX (TRV_MIN_SE, min_se));
}

/* The interval of a session set up or refreshed by @sip: a request we answered (uas)
 * or a 2xx to our INVITE or UPDATE. */
void
_trv_call_store_session_timer (TrvCall *self, gboolean uas, const sip_t *sip)
{
  if (sip == NULL)
    return;
  guint min_se = sip->sip_min_se ? (guint) sip->sip_min_se->min_delta : 0;
  /* A 422's Min-SE holds for our own requests only: sofia answers by its defaults. */
  if (!uas)
    min_se = MAX (min_se, self->session_min_se);
  guint interval = _trv_session_interval (uas, sip->sip_session_expires
                                          ? (guint) sip->sip_session_expires->x_delta : 0,
                                          min_se);
  if (interval != self->session_expires)
    g_debug ("call %s: session timer %u s", self->remote_uri, interval);
  self->session_expires = interval;
}

/* A 422 to our INVITE: sofia retries with the peer's Min-SE; remember it for the
 * interval the retry ends up with. */
void
_trv_call_session_too_small (TrvCall *self, const sip_t *sip)
{
  if (sip == NULL || sip->sip_status == NULL || sip->sip_status->st_status != 422 ||
      sip->sip_min_se == NULL)
    return;
  self->session_min_se = MAX (self->session_min_se, (guint) sip->sip_min_se->min_delta);
  g_debug ("call %s: 422, retrying with a session interval of at least %u s",
           self->remote_uri, self->session_min_se);
}

static void
session_lost (TrvCall *self)
{
  _trv_call_end (self, TRV_CALL_END_FAILED,
                 g_error_new (TRV_ERROR, TRV_ERROR_CALL_FAILED,
                              _("the call ended: the other side stopped confirming the call")));
}

/* The peer's UPDATE (RFC 3311). Without a body it only refreshes the session timer:
 * sofia adds the timer headers to our 200. An offer in it (a PBX's hold, new codec or
 * new media address) is answered like one in a re-INVITE, once the call is established;
 * sofia without its media leaves the overlap rules of RFC 3311 5.2 to us. */
void
_trv_call_on_update (TrvCall *self, nua_t *nua, int status, const sip_t *sip)
{
  if (status >= 200 || self->nh == NULL)
    return;
  if (sip && sip->sip_payload && sip->sip_payload->pl_len > 0)
    {
      g_autofree gchar *offer = NULL;
      if (!trv_sip_body_sdp (sip, &offer))
        {
          g_debug ("call %s: UPDATE body is not SDP: 415", self->remote_uri);
          nua_respond (self->nh, SIP_415_UNSUPPORTED_MEDIA,
                       SIPTAG_ACCEPT_STR ("application/sdp"), NUTAG_WITH_CURRENT (nua),
                       TAG_END ());
        }
      else if (self->state != TRV_CALL_STATE_ACTIVE && self->state != TRV_CALL_STATE_HELD)
        {
          g_debug ("call %s: UPDATE offer before the call is established: 488",
                   self->remote_uri);
          nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE,
                       SIPTAG_WARNING_STR ("399 traverse \"No media change before the call "
                                           "is established\""),
                       NUTAG_WITH_CURRENT (nua), TAG_END ());
        }
      else if (self->reinvite_pending || self->offer_in_answer)
        {
          /* Our own offer awaits its answer (RFC 3311 5.2). */
          g_debug ("call %s: UPDATE offer while ours is pending: 491", self->remote_uri);
          nua_respond (self->nh, SIP_491_REQUEST_PENDING, NUTAG_WITH_CURRENT (nua), TAG_END ());
        }
      else
        _trv_call_answer_reoffer (self, nua, offer, sip);
      return;
    }
  g_debug ("call %s: session refreshed by the peer's UPDATE", self->remote_uri);
  _trv_call_store_session_timer (self, TRUE, sip);
  nua_respond (self->nh, SIP_200_OK, NUTAG_WITH_CURRENT (nua), TAG_END ());
}

/* The answer to sofia's refresh UPDATE. No answer at all (408) or no dialog (481)
 * means the peer is gone. sofia has ended the dialog by then: after a timeout it drops
 * it without BYE (there is no one to send it to), after a 408 or 481 from the peer it
 * sends its own BYE (RFC 5057); a BYE of ours would be refused either way. */
void
_trv_call_on_r_update (TrvCall *self, int status, const sip_t *sip)
{
  if (status < 200)
    return;
  if (status < 300)
    {
      g_debug ("call %s: session refreshed (UPDATE %d)", self->remote_uri, status);
      _trv_call_store_session_timer (self, FALSE, sip);
      return;
    }
  g_debug ("call %s: refresh UPDATE failed: %d", self->remote_uri, status);
  if (status != 408 && status != 481)
    return;
  self->bye_done = TRUE;
  session_lost (self);
}

/* A BYE we did not send: sofia's, when the session expired unrefreshed (RFC 4028 10). */
void
_trv_call_on_r_bye (TrvCall *self, int status)
{
  if (self->bye_done)
    return;
  self->bye_done = TRUE;
  g_debug ("call %s: session expired, sofia sent BYE (%d)", self->remote_uri, status);
  session_lost (self);
}

guint
trv_call_get_session_expires (TrvCall *self)
{
  g_return_val_if_fail (TRV_IS_CALL (self), 0);
  return self->answer_time_us != 0 ? self->session_expires : 0;
}

/* --- the call's times (dial, answer, end) ---------------------------------------- */

gint64
trv_call_get_dial_unix_ms (TrvCall *self)
{
  if (self->dial_time_us == 0)
    return -1;
  /* The times are monotonic; shift by the clocks' current offset. */
  return (g_get_real_time () - (g_get_monotonic_time () - self->dial_time_us)) / 1000;
}

gint64
trv_call_get_setup_ms (TrvCall *self)
{
  if (self->answer_time_us == 0)
    return -1;
  return (self->answer_time_us - self->dial_time_us) / 1000;
}

double
trv_call_get_duration_s (TrvCall *self)
{
  if (self->answer_time_us == 0)
    return 0;
  gint64 end = self->end_time_us ? self->end_time_us : g_get_monotonic_time ();
  return (end - self->answer_time_us) / 1e6;
}
