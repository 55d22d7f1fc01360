/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-early.c: an outgoing call before its answer: early media from a provisional
 * response with SDP (RFC 3960: the far end's ringback, announcements, IVR prompts), or
 * our own ringback tone while the far end rings without media. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "trv-call-private.h"   /* first: it sets sofia's magic types */
#include "trv-error.h"
#include "trv-offer-answer.h"
#include "trv-sip-body.h"

TrvNegotiation *
_trv_call_read_answer (TrvCall *self, const char *answer, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  TrvNegotiation *negotiation = trv_offer_answer_parse_answer (self->local_offer, answer,
                                                               &local_error);
  if (self->srtp.policy == TRV_SRTP_MANDATORY &&
      (negotiation ? negotiation->local_crypto_key == NULL
                   : g_error_matches (local_error, TRV_ERROR, TRV_ERROR_SRTP_UNSUPPORTED)))
    {
      g_clear_pointer (&negotiation, trv_negotiation_free);
      g_propagate_error (error,
                         trv_srtp_peer_unsupported_error (_("its answer has no usable a=crypto key")));
      return NULL;
    }
  if (negotiation == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return negotiation;
}

void
_trv_call_early_first_rtp (TrvCall *self)
{
  if (self->answer_time_us != 0 || self->early_start_us != 0 ||
      self->state == TRV_CALL_STATE_ENDED)
    return;
  self->early_start_us = g_get_monotonic_time ();
  g_debug ("call %s: early media playing", self->remote_uri);
  if (self->ringback)
    trv_ringback_stop (self->ringback);
  _trv_call_set_ringback (self, TRV_CALL_RINGBACK_NETWORK);
}

/* The far end rings and sends no media: our own tone, in the user's region's cadence.
 * Without an audio output the call simply goes on silently. */
static void
start_local_ringback (TrvCall *self)
{
  if (self->media != NULL || self->ringback != NULL)
    return;
  /* The call's audio goes to a file (traverse-cli --record): no speaker to ring on, and
   * the recording holds what the far end sent, not our tone. */
  if (self->options->record_file != NULL || self->options->echo)
    return;
  g_autoptr(GError) error = NULL;
  self->ringback = trv_ringback_new (trv_ringback_tone_for_locale (NULL),
                                     self->options->sink_desc);
  if (!trv_ringback_start (self->ringback, &error))
    {
      g_debug ("call %s: no local ringback: %s", self->remote_uri, error->message);
      return;
    }
  _trv_call_set_ringback (self, TRV_CALL_RINGBACK_LOCAL);
}

/* A provisional response's SDP is the answer to our offer (RFC 3261 13.2.1): set up the
 * media at once and play what arrives. One we cannot use (no common codec, no usable
 * address) is ignored, as RFC 3960's gateway model has us do with early media we cannot
 * render: the call keeps ringing (with our own tone) and waits for the 200. */
static gboolean
start_early_media (TrvCall *self, const char *sdp)
{
  g_autoptr(GError) error = NULL;
  if (self->early_answer != NULL)
    return TRUE;   /* a repeated 183: the session runs already */
  TrvNegotiation *negotiation = _trv_call_read_answer (self, sdp, &error);
  if (negotiation == NULL)
    {
      g_debug ("call %s: ignoring the early media offered: %s", self->remote_uri,
               error->message);
      return FALSE;
    }
  if (!_trv_call_apply_negotiation (self, negotiation, &error))
    {
      /* Our own media failed (no audio device...): it would fail at the answer too. */
      _trv_call_fail (self, g_steal_pointer (&error));
      return TRUE;
    }
  self->early_answer = g_strdup (sdp);
  g_debug ("call %s: early media session set up", self->remote_uri);
  return TRUE;
}

void
_trv_call_on_provisional (TrvCall *self, int status, const sip_t *sip)
{
  if (status == 180 || status == 183)
    _trv_call_set_state (self, TRV_CALL_STATE_RINGING);
  if (self->state == TRV_CALL_STATE_ENDED || status <= 100)
    return;
  g_autofree gchar *sdp = NULL;
  if (trv_sip_body_sdp (sip, &sdp) && sdp != NULL && start_early_media (self, sdp))
    return;
  if (self->state == TRV_CALL_STATE_RINGING && self->early_answer == NULL)
    start_local_ringback (self);
}

gboolean
_trv_call_answer_keeps_early (TrvCall *self, const char *answer)
{
  if (self->early_answer == NULL || self->media == NULL)
    return FALSE;
  /* With 100rel the answer came reliably in the 183 and the 200 need not repeat it. */
  return answer == NULL || g_strcmp0 (answer, self->early_answer) == 0;
}

void
_trv_call_leave_early (TrvCall *self)
{
  if (self->ringback)
    trv_ringback_stop (self->ringback);
  if (self->early_start_us != 0 && self->early_end_us == 0)
    {
      self->early_end_us = g_get_monotonic_time ();
      g_debug ("call %s: early media ended after %.1f s", self->remote_uri,
               trv_call_get_early_media_s (self));
    }
}

TrvCallRingback
trv_call_get_ringback (TrvCall *self)
{
  g_return_val_if_fail (TRV_IS_CALL (self), TRV_CALL_RINGBACK_NONE);
  return self->ringback_kind;
}

double
trv_call_get_early_media_s (TrvCall *self)
{
  g_return_val_if_fail (TRV_IS_CALL (self), 0);
  if (self->early_start_us == 0)
    return 0;
  gint64 end = self->early_end_us ? self->early_end_us : g_get_monotonic_time ();
  return (end - self->early_start_us) / 1e6;
}
