/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call.c: one SIP dialog (nua handle), its offer/answer and its media session. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-call-private.h"   /* first: it sets sofia's magic types */
#include "trv-error.h"
#include "trv-udp-transport.h"
#include "trv-ice-transport.h"
#include "trv-enum.h"
#include "trv-sip-enums.h"

G_DEFINE_FINAL_TYPE (TrvCall, trv_call, G_TYPE_OBJECT)

enum {
  SIGNAL_STATE_CHANGED,
  SIGNAL_DTMF_RECEIVED,
  SIGNAL_MEDIA_STARTED,
  SIGNAL_PATH_CHANGED,
  SIGNAL_QUALITY_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* Readable state, each notified when it changes (the front ends watch these). */
enum {
  PROP_0,
  PROP_STATE,
  PROP_DIRECTION,
  PROP_REMOTE_URI,
  PROP_REMOTE_NAME,
  PROP_MUTED,
  PROP_REMOTE_HELD,
  PROP_REMOTE_HOLD_COUNT,
  PROP_SIP_STATUS,
  PROP_END_REASON,
  PROP_MEDIA_SILENT,
  PROP_RINGBACK,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* --- state ---------------------------------------------------------------- */

void
_trv_call_set_state (TrvCall *self, TrvCallState state)
{
  if (self->state == state)
    return;
  TrvCallState old = self->state;
  g_debug ("call %s: %s -> %s", self->remote_uri, trv_enum_to_nick (TRV_TYPE_CALL_STATE, old),
           trv_enum_to_nick (TRV_TYPE_CALL_STATE, state));
  self->state = state;
  _trv_call_track_state (self, old);   /* early media ends, a hold's start (-hold.c) */
  if (state == TRV_CALL_STATE_ACTIVE && old != TRV_CALL_STATE_HELD)
    _trv_call_arm_path_verdict (self);
  /* Notify first: a "state-changed" handler may drop the last reference (the agent lets
   * go of an ended call there). */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, old);
}

void
_trv_call_set_sip_status (TrvCall *self, guint status)
{
  if (self->sip_status == status)
    return;
  self->sip_status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIP_STATUS]);
}

void
_trv_call_set_ringback (TrvCall *self, TrvCallRingback kind)
{
  if (self->ringback_kind == kind)
    return;
  g_debug ("call %s: ringback %s", self->remote_uri, trv_enum_to_nick (TRV_TYPE_CALL_RINGBACK, kind));
  self->ringback_kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RINGBACK]);
}

void
_trv_call_notify_media_silent (TrvCall *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA_SILENT]);
}

void
_trv_call_release_handle (TrvCall *self)
{
  if (self->nh)
    {
      nua_handle_bind (self->nh, NULL);
      nua_handle_destroy (g_steal_pointer (&self->nh));
    }
  g_clear_object (&self->handle_ref);
}

void
_trv_call_end (TrvCall *self, TrvCallEndReason reason, GError *error)
{
  if (self->state == TRV_CALL_STATE_ENDED)
    {
      if (error)
        g_error_free (error);
      return;
    }
  if (self->end_reason != reason)
    {
      self->end_reason = reason;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_REASON]);
    }
  g_debug ("call %s: ends (%s)%s%s", self->remote_uri, trv_enum_to_nick (TRV_TYPE_CALL_END_REASON, reason),
           error ? ": " : "", error ? error->message : "");
  if (error && self->error == NULL)
    self->error = error;
  else if (error)
    g_error_free (error);
  /* Every local end of a confirmed dialog tells the peer, whatever ended it: a 200
   * without a BYE left the caller in a silent call. */
  if (self->answer_time_us != 0 && reason != TRV_CALL_END_REMOTE_HANGUP)
    _trv_call_bye (self, NULL);
  self->end_time_us = g_get_monotonic_time ();
  g_clear_handle_id (&self->glare_source, g_source_remove);
  g_clear_handle_id (&self->verdict_source, g_source_remove);
  _trv_call_transfer_stop (self);
  if (self->media)
    trv_media_session_stop (self->media);
  else if (self->transport)
    trv_media_transport_close (self->transport);
  _trv_call_set_state (self, TRV_CALL_STATE_ENDED);
}

void
_trv_call_bye (TrvCall *self, const char *reason)
{
  if (self->nh == NULL || self->bye_done)
    return;
  self->bye_done = TRUE;
  g_debug ("call %s: sending BYE%s%s", self->remote_uri, reason ? ", reason " : "",
           reason ? reason : "");
  nua_bye (self->nh, TAG_IF (reason, SIPTAG_REASON_STR (reason)), TAG_END ());
}

/* Ends the call because of a local failure after the dialog exists: BYE it. */
void
_trv_call_fail (TrvCall *self, GError *error)
{
  if (self->nh && self->state != TRV_CALL_STATE_ENDED)
    {
      if (self->state == TRV_CALL_STATE_ACTIVE || self->state == TRV_CALL_STATE_HELD ||
          self->answer_time_us != 0)
        _trv_call_bye (self, NULL);
      else if (self->direction == TRV_CALL_DIRECTION_OUTGOING && self->invite_sent)
        nua_cancel (self->nh, TAG_END ());
    }
  _trv_call_end (self, TRV_CALL_END_FAILED, error);
}

/* --- media ------------------------------------------------------------------ */

static void
on_media_first_rtp (TrvMediaSession *media, TrvCall *self)
{
  TrvMediaStats stats;
  trv_media_session_get_stats (media, &stats);
  if (self->first_rtp_ms < 0 && stats.first_rtp_us > 0)
    self->first_rtp_ms = (stats.first_rtp_us - self->dial_time_us) / 1000;
  _trv_call_early_first_rtp (self);
  g_signal_emit (self, signals[SIGNAL_MEDIA_STARTED], 0);
}

/* The media session's figures after each RTCP report, for the call view. */
static void
on_media_quality (TrvMediaSession *media, GParamSpec *pspec, TrvCall *self)
{
  TrvQuality q;
  trv_media_session_get_quality (media, &q);
  g_signal_emit (self, signals[SIGNAL_QUALITY_CHANGED], 0, &q);
}

gboolean
trv_call_get_quality (TrvCall *self, TrvQuality *quality)
{
  g_return_val_if_fail (TRV_IS_CALL (self) && quality != NULL, FALSE);
  if (self->media == NULL)
    {
      memset (quality, 0, sizeof *quality);
      quality->rtt_ms = -1;
      quality->mos = 1.0;
      return FALSE;
    }
  return trv_media_session_get_quality (self->media, quality);
}

void
_trv_call_dtmf_received (TrvCall *self, gchar digit)
{
  g_string_append_c (self->dtmf_received, digit);
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, digit);
}

static void
on_media_dtmf_received (TrvMediaSession *media, gchar digit, TrvCall *self)
{
  _trv_call_dtmf_received (self, digit);
}

static void
on_media_error (TrvMediaSession *media, GError *error, TrvCall *self)
{
  _trv_call_fail (self, g_error_copy (error));
}

static void
on_transport_path_changed (TrvMediaTransport *transport, TrvCall *self)
{
  /* A restart that found a path again starts the count afresh: the limit is for
   * restarts in a row that fail, not for a long call on a flaky network. */
  if (!self->ice_restarting)
    self->ice_restarts = 0;
  g_signal_emit (self, signals[SIGNAL_PATH_CHANGED], 0);
}

/* Restarts in a row without a path in between. */
#define MAX_ICE_RESTARTS 3

static void
on_ice_restarted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvCall) self = data;
  g_autoptr(GError) error = NULL;
  self->ice_regathering = FALSE;
  if (self->state == TRV_CALL_STATE_ENDED)
    return;
  if (!trv_ice_transport_restart_finish (TRV_ICE_TRANSPORT (source), result, &error))
    {
      self->reinvite_pending = FALSE;
      self->ice_restarting = FALSE;
      _trv_call_fail (self, g_steal_pointer (&error));
      return;
    }
  /* Fresh credentials go out in a re-INVITE; the answer restarts the checks. */
  _trv_call_send_offer (self);
}

static gboolean
on_glare_retry (gpointer data)
{
  TrvCall *self = data;
  self->glare_source = 0;
  if (self->state == TRV_CALL_STATE_ENDED)
    return G_SOURCE_REMOVE;
  TrvIceTransport *ice = TRV_ICE_TRANSPORT (self->transport);
  if (trv_ice_transport_get_state (ice) == TRV_ICE_STATE_CONNECTED)
    {
      /* The peer's restart offer already carried our new side: nothing left to send. */
      self->ice_restarting = FALSE;
      return G_SOURCE_REMOVE;
    }
  if (self->reinvite_pending)
    return G_SOURCE_REMOVE;   /* a hold/resume offer is out: it carries our new side too */
  self->reinvite_pending = TRUE;
  _trv_call_send_offer (self);
  return G_SOURCE_REMOVE;
}

void
_trv_call_retry_ice_restart (TrvCall *self)
{
  /* RFC 3261 14.1: the dialog's owner of the Call-ID (the caller) waits 2.1-4 s,
   * the other side 0-2 s, so one of the two retries first. */
  guint ms = self->direction == TRV_CALL_DIRECTION_OUTGOING ? g_random_int_range (2100, 4000)
                                                             : g_random_int_range (0, 2000);
  g_clear_handle_id (&self->glare_source, g_source_remove);
  self->glare_source = g_timeout_add (ms, on_glare_retry, self);
}

gboolean
_trv_call_restart_ice (TrvCall *self, const char *why)
{
  if ((self->state != TRV_CALL_STATE_ACTIVE && self->state != TRV_CALL_STATE_HELD) ||
      !TRV_IS_ICE_TRANSPORT (self->transport) || self->reinvite_pending ||
      self->ice_restarts >= MAX_ICE_RESTARTS || self->nh == NULL)
    return FALSE;
  g_info ("call %s: ICE restart (%s)", self->remote_uri, why);
  self->ice_restarts++;
  self->reinvite_pending = TRUE;
  self->ice_restarting = TRUE;
  self->ice_regathering = TRUE;
  trv_ice_transport_restart_async (TRV_ICE_TRANSPORT (self->transport), NULL,
                                   on_ice_restarted, g_object_ref (self));
  return TRUE;
}

/* ICE found no working pair: there is no media path, so the call ends with a
 * reason the user can act on instead of staying silent. Lost consent on a path that
 * worked is first answered with an ICE restart. */
static void
on_transport_failed (TrvIceTransport *transport, GError *error, TrvCall *self)
{
  if (self->state == TRV_CALL_STATE_ENDED)
    return;
  if (trv_ice_transport_get_consent_lost (transport) &&
      _trv_call_restart_ice (self, error->message))
    return;
  /* The Reason text is protocol, in English whatever the user's language; the peer
   * decides on its cause (trv-call-sip.c) and shows the text. */
  if (self->nh && (self->state == TRV_CALL_STATE_ACTIVE || self->state == TRV_CALL_STATE_HELD))
    _trv_call_bye_no_media (self, trv_ice_transport_get_consent_lost (transport)
                        ? "no media path: ICE consent lost"
                        : "no media path: ICE connectivity checks failed");
  _trv_call_end (self, TRV_CALL_END_NO_MEDIA, g_error_copy (error));
}

/* The peer stopped answering consent checks: restart ICE while the pair still sends --
 * unless its audio still arrives. Some peers (linphonec 5.1 on its own relay) answer the
 * checks to the wrong address while media flows both ways; a restart would cost them the
 * call, so RFC 7675's 30 s decide ("failed") instead. */
static void
on_consent_doubtful (TrvIceTransport *transport, TrvCall *self)
{
  if (self->state == TRV_CALL_STATE_ENDED)
    return;
  if (self->media && trv_media_session_get_silent_s (self->media) < 2)
    {
      g_debug ("call %s: no answers to consent checks, but the peer's audio arrives: no "
               "restart yet", self->remote_uri);
      return;
    }
  _trv_call_restart_ice (self, "no answer to ICE consent checks");
}

static TrvMediaTransport *
transport_new (TrvCall *self, const TrvCallContext *ctx)
{
  if (ctx->nat_mode == TRV_NAT_MODE_NONE)
    return trv_udp_transport_new (self->media_address, self->advertised_address);
  TrvMediaTransport *t = trv_ice_transport_new (ctx->nat_mode, ctx->nat, self->media_address,
                                                ctx->domain);
  /* The offerer controls the checks (RFC 8445 6.1.1). */
  trv_ice_transport_set_controlling (TRV_ICE_TRANSPORT (t),
                                     self->direction == TRV_CALL_DIRECTION_OUTGOING);
  g_signal_connect (t, "failed", G_CALLBACK (on_transport_failed), self);
  g_signal_connect (t, "consent-doubtful", G_CALLBACK (on_consent_doubtful), self);
  return t;
}

gboolean
_trv_call_apply_negotiation (TrvCall *self, TrvNegotiation *negotiation, GError **error)
{
  g_clear_pointer (&self->negotiation, trv_negotiation_free);
  self->negotiation = negotiation;

  /* Our own hold is sendonly in SDP, which permits sending but does not oblige it. We have
   * no music on hold, and the microphone must not reach a held peer (say, while we talk
   * to another call): the media runs inactive until we resume. */
  g_autoptr(TrvNegotiation) held = NULL;
  if (self->want_held && negotiation->direction != TRV_DIRECTION_INACTIVE)
    {
      held = trv_negotiation_copy (negotiation);
      held->direction = trv_direction_can_receive (negotiation->direction)
                          ? TRV_DIRECTION_RECVONLY : TRV_DIRECTION_INACTIVE;
      negotiation = held;
    }

  if (self->media == NULL)
    {
      self->media = trv_media_session_new (self->transport, self->options);
      g_debug ("call %s: media %p, %s", self->remote_uri, (gpointer) self->media,
               negotiation->codec->name);
      g_signal_connect (self->media, "first-rtp", G_CALLBACK (on_media_first_rtp), self);
      g_signal_connect (self->media, "dtmf-received", G_CALLBACK (on_media_dtmf_received), self);
      g_signal_connect (self->media, "error", G_CALLBACK (on_media_error), self);
      g_signal_connect (self->media, "notify::quality", G_CALLBACK (on_media_quality), self);
      _trv_call_watch_media_silence (self);
      if (!trv_media_session_start (self->media, negotiation, error))
        return FALSE;
      trv_media_session_set_muted (self->media, self->muted);
      return TRUE;
    }
  return trv_media_session_update (self->media, negotiation, error);
}

/* Remote hold is seen in the direction we are allowed: a peer that holds us offers
 * sendonly/inactive, which leaves us recvonly/inactive, i.e. we may not send. (Our own hold
 * leaves us sendonly: we may still send, so that is not a remote hold.) */
void
_trv_call_update_remote_hold (TrvCall *self)
{
  gboolean held = !trv_direction_can_send (self->negotiation->direction);
  if (held == self->remote_held)
    return;
  self->remote_held = held;
  if (held)
    {
      self->remote_hold_count++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_HOLD_COUNT]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_HELD]);
}

TrvDirection
_trv_call_wanted_direction (TrvCall *self)
{
  return self->want_held ? TRV_DIRECTION_SENDONLY : TRV_DIRECTION_SENDRECV;
}

TrvMediaEndpoint *
_trv_call_describe_local (TrvCall *self)
{
  TrvMediaEndpoint *ep = trv_media_endpoint_new ();
  trv_media_transport_describe (self->transport, ep);
  return ep;
}

/* application/dtmf-relay ("Signal=5\r\nDuration=160") or application/dtmf ("5"). */
/* --- public actions ------------------------------------------------------------------- */

gboolean
trv_call_answer (TrvCall *self, GError **error)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  if (self->state != TRV_CALL_STATE_INCOMING)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("only a ringing incoming call can be answered (the call is %s)"),
                   trv_enum_to_nick (TRV_TYPE_CALL_STATE, self->state));
      return FALSE;
    }
  self->dial_time_us = g_get_monotonic_time ();
  self->answer_requested = TRUE;
  if (self->transport_ready)
    _trv_call_send_answer (self);
  return TRUE;
}

gboolean
trv_call_reject (TrvCall *self, guint status, GError **error)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  if (self->state != TRV_CALL_STATE_INCOMING)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("only a ringing incoming call can be rejected"));
      return FALSE;
    }
  if (status < 400 || status > 699)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("%u is not a rejection status (400-699)"), status);
      return FALSE;
    }
  const char *phrase = sip_status_phrase (status);
  nua_respond (self->nh, status, phrase ? phrase : "Rejected", TAG_END ());
  _trv_call_set_sip_status (self, status);
  _trv_call_end (self, TRV_CALL_END_DECLINED, NULL);
  return TRUE;
}

/* The BYE's Reason text (English, see on_transport_failed) when no audio arrived. */
static const char *
no_audio_reason (TrvCall *self)
{
  if (self->transport == NULL ||
      trv_media_transport_get_silence_cause (self->transport) == TRV_SILENCE_CAUSE_LOCAL_ONLY)
    return "no media path: no audio arrived (nat.mode = none offers only local addresses; "
           "peers behind another NAT cannot reach them)";
  return "no media path: no audio arrived over the ICE path";
}

void
trv_call_hangup_with_reason (TrvCall *self, TrvCallEndReason reason)
{
  g_return_if_fail (TRV_IS_CALL (self));
  switch (self->state)
    {
    case TRV_CALL_STATE_ENDED:
      return;
    case TRV_CALL_STATE_INCOMING:
      nua_respond (self->nh, SIP_603_DECLINE, TAG_END ());
      _trv_call_end (self, TRV_CALL_END_DECLINED, NULL);
      return;
    case TRV_CALL_STATE_DIALING:
    case TRV_CALL_STATE_RINGING:
      if (self->invite_sent && self->nh)
        nua_cancel (self->nh, TAG_END ());
      _trv_call_end (self, TRV_CALL_END_CANCELLED, NULL);
      return;
    case TRV_CALL_STATE_ACTIVE:
    case TRV_CALL_STATE_HELD:
      if (reason == TRV_CALL_END_NO_MEDIA)
        _trv_call_bye_no_media (self, no_audio_reason (self));
      else
        _trv_call_bye (self, NULL);
      _trv_call_end (self, reason, NULL);
      return;
    }
}

void
trv_call_hangup (TrvCall *self)
{
  trv_call_hangup_with_reason (self, TRV_CALL_END_LOCAL_HANGUP);
}

void
_trv_call_terminate (TrvCall *self, TrvCallEndReason reason)
{
  trv_call_hangup_with_reason (self, reason);
  _trv_call_release_handle (self);
}

gboolean
trv_call_set_held (TrvCall *self, gboolean held, GError **error)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  if (self->state != TRV_CALL_STATE_ACTIVE && self->state != TRV_CALL_STATE_HELD)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("only an established call can be put on hold or resumed"));
      return FALSE;
    }
  if (self->reinvite_pending)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("a hold or resume is still in progress"));
      return FALSE;
    }
  if ((self->state == TRV_CALL_STATE_HELD) == held)
    return TRUE;
  self->want_held = held;
  self->reinvite_pending = TRUE;
  _trv_call_send_offer (self);
  return TRUE;
}

void
trv_call_set_muted (TrvCall *self, gboolean muted)
{
  g_return_if_fail (TRV_IS_CALL (self));
  muted = !!muted;
  gboolean changed = self->muted != muted;
  self->muted = muted;
  if (self->media)
    trv_media_session_set_muted (self->media, muted);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

/* --- accessors ---------------------------------------------------------------------------- */

TrvCallState trv_call_get_state (TrvCall *self) { return self->state; }
TrvCallDirection trv_call_get_direction (TrvCall *self) { return self->direction; }
const char *trv_call_get_remote_uri (TrvCall *self) { return self->remote_uri; }
const char *trv_call_get_remote_name (TrvCall *self) { return self->remote_name; }
gboolean trv_call_get_remote_held (TrvCall *self) { return self->remote_held; }
guint trv_call_get_remote_hold_count (TrvCall *self) { return self->remote_hold_count; }
gboolean trv_call_get_muted (TrvCall *self) { return self->muted; }
guint trv_call_get_sip_status (TrvCall *self) { return self->sip_status; }
TrvCallEndReason trv_call_get_end_reason (TrvCall *self) { return self->end_reason; }
const GError *trv_call_get_error (TrvCall *self) { return self->error; }
TrvMediaTransport *trv_call_get_transport (TrvCall *self) { return self->transport; }
TrvMediaSession *trv_call_get_media (TrvCall *self) { return self->media; }
const TrvNegotiation *trv_call_get_negotiation (TrvCall *self) { return self->negotiation; }
const char *trv_call_get_dtmf_received (TrvCall *self) { return self->dtmf_received->str; }
gint64 trv_call_get_first_rtp_ms (TrvCall *self) { return self->first_rtp_ms; }

/* --- construction ------------------------------------------------------------------------------ */

static TrvCall *
call_new (const TrvCallContext *ctx, nua_handle_t *nh, TrvCallDirection direction)
{
  TrvCall *self = g_object_new (TRV_TYPE_CALL, NULL);
  self->account = ctx->account ? trv_account_config_copy (ctx->account) : NULL;
  self->media_config = trv_media_config_copy (ctx->media);
  self->options = trv_media_options_copy (ctx->options);
  self->media_address = g_strdup (ctx->media_address);
  self->advertised_address = g_strdup (ctx->advertised_address);
  self->nh = nh;
  self->handle_ref = g_object_ref (self);
  self->direction = direction;
  self->session_id = g_random_int ();
  self->srtp = ctx->srtp;
  if (self->srtp.policy != TRV_SRTP_OFF)
    self->srtp_key = trv_srtp_generate_key ();
  self->transport = transport_new (self, ctx);
  g_signal_connect (self->transport, "path-changed", G_CALLBACK (on_transport_path_changed), self);
  return self;
}

TrvCall *
_trv_call_new_outgoing (const TrvCallContext *ctx, nua_handle_t *nh, const char *remote_uri)
{
  TrvCall *self = call_new (ctx, nh, TRV_CALL_DIRECTION_OUTGOING);
  self->remote_uri = g_strdup (remote_uri);
  self->state = TRV_CALL_STATE_DIALING;
  g_debug ("call %s: outgoing, media transport %s %p", self->remote_uri,
           G_OBJECT_TYPE_NAME (self->transport), (gpointer) self->transport);
  return self;
}

TrvCall *
_trv_call_new_incoming (const TrvCallContext *ctx, nua_handle_t *nh, const sip_t *sip)
{
  TrvCall *self = call_new (ctx, nh, TRV_CALL_DIRECTION_INCOMING);
  self->state = TRV_CALL_STATE_INCOMING;
  /* Keys in our answer travel back the way the INVITE's last hop came. */
  if (sip && sip->sip_via && sip->sip_via->v_protocol)
    self->srtp.secure_signalling = g_str_has_suffix (sip->sip_via->v_protocol, "/TLS");
  if (sip && sip->sip_from)
    {
      su_home_t home[1] = { SU_HOME_INIT (home) };
      char *uri = url_as_string (home, sip->sip_from->a_url);
      self->remote_uri = g_strdup (uri);
      if (sip->sip_from->a_display)
        self->remote_name = g_strdup (sip->sip_from->a_display);
      su_home_deinit (home);
    }
  else
    self->remote_uri = g_strdup ("unknown");
  g_debug ("call %s: incoming, media transport %s %p", self->remote_uri,
           G_OBJECT_TYPE_NAME (self->transport), (gpointer) self->transport);
  return self;
}

static void
trv_call_dispose (GObject *object)
{
  TrvCall *self = TRV_CALL (object);
  g_clear_handle_id (&self->glare_source, g_source_remove);
  g_clear_object (&self->ringback);
  g_clear_handle_id (&self->verdict_source, g_source_remove);
  _trv_call_transfer_dispose (self);
  if (self->media)
    {
      g_signal_handlers_disconnect_by_data (self->media, self);
      trv_media_session_stop (self->media);
      g_clear_object (&self->media);
    }
  if (self->transport)
    {
      g_signal_handlers_disconnect_by_data (self->transport, self);
      trv_media_transport_close (self->transport);
      g_clear_object (&self->transport);
    }
  if (self->nh)
    {
      nua_handle_bind (self->nh, NULL);
      nua_handle_destroy (g_steal_pointer (&self->nh));
    }
  G_OBJECT_CLASS (trv_call_parent_class)->dispose (object);
}

static void
trv_call_finalize (GObject *object)
{
  TrvCall *self = TRV_CALL (object);
  g_clear_pointer (&self->account, trv_account_config_free);
  g_clear_pointer (&self->media_config, trv_media_config_free);
  g_clear_pointer (&self->options, trv_media_options_free);
  g_clear_pointer (&self->negotiation, trv_negotiation_free);
  g_clear_error (&self->error);
  g_free (self->media_address);
  g_free (self->advertised_address);
  g_free (self->remote_uri);
  g_free (self->remote_name);
  g_free (self->local_offer);
  g_free (self->remote_offer);
  g_free (self->early_answer);
  if (self->srtp_key)
    memset (self->srtp_key, 0, strlen (self->srtp_key));
  g_free (self->srtp_key);
  g_string_free (self->info_queue, TRUE);
  g_string_free (self->dtmf_received, TRUE);
  G_OBJECT_CLASS (trv_call_parent_class)->finalize (object);
}

static void
trv_call_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TrvCall *self = TRV_CALL (object);
  switch (prop_id)
    {
    case PROP_STATE:             g_value_set_enum (value, self->state); break;
    case PROP_DIRECTION:         g_value_set_enum (value, self->direction); break;
    case PROP_REMOTE_URI:        g_value_set_string (value, self->remote_uri); break;
    case PROP_REMOTE_NAME:       g_value_set_string (value, self->remote_name); break;
    case PROP_MUTED:             g_value_set_boolean (value, self->muted); break;
    case PROP_REMOTE_HELD:       g_value_set_boolean (value, self->remote_held); break;
    case PROP_REMOTE_HOLD_COUNT: g_value_set_uint (value, self->remote_hold_count); break;
    case PROP_SIP_STATUS:        g_value_set_uint (value, self->sip_status); break;
    case PROP_END_REASON:        g_value_set_enum (value, self->end_reason); break;
    case PROP_MEDIA_SILENT:      g_value_set_boolean (value, trv_call_get_media_silent (self)); break;
    case PROP_RINGBACK:          g_value_set_enum (value, self->ringback_kind); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trv_call_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MUTED:
      trv_call_set_muted (TRV_CALL (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trv_call_class_init (TrvCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = trv_call_dispose;
  object_class->finalize = trv_call_finalize;
  object_class->get_property = trv_call_get_property;
  object_class->set_property = trv_call_set_property;

  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TRV_TYPE_CALL_STATE, TRV_CALL_STATE_DIALING, ro);
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, TRV_TYPE_CALL_DIRECTION,
                       TRV_CALL_DIRECTION_OUTGOING, ro);
  properties[PROP_REMOTE_URI] = g_param_spec_string ("remote-uri", NULL, NULL, NULL, ro);
  properties[PROP_REMOTE_NAME] = g_param_spec_string ("remote-name", NULL, NULL, NULL, ro);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE_HELD] = g_param_spec_boolean ("remote-held", NULL, NULL, FALSE, ro);
  properties[PROP_REMOTE_HOLD_COUNT] =
    g_param_spec_uint ("remote-hold-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_SIP_STATUS] = g_param_spec_uint ("sip-status", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_END_REASON] =
    g_param_spec_enum ("end-reason", NULL, NULL, TRV_TYPE_CALL_END_REASON, TRV_CALL_END_NONE, ro);
  properties[PROP_MEDIA_SILENT] = g_param_spec_boolean ("media-silent", NULL, NULL, FALSE, ro);
  properties[PROP_RINGBACK] =
    g_param_spec_enum ("ringback", NULL, NULL, TRV_TYPE_CALL_RINGBACK, TRV_CALL_RINGBACK_NONE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TRV_TYPE_CALL_STATE);
  signals[SIGNAL_DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_CHAR);
  signals[SIGNAL_MEDIA_STARTED] =
    g_signal_new ("media-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PATH_CHANGED] =
    g_signal_new ("path-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_QUALITY_CHANGED] =
    g_signal_new ("quality-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  TRV_TYPE_QUALITY | G_SIGNAL_TYPE_STATIC_SCOPE);
  _trv_call_class_init_transfer (object_class);
}

static void
trv_call_init (TrvCall *self)
{
  self->first_rtp_ms = -1;
  self->info_queue = g_string_new (NULL);
  self->dtmf_received = g_string_new (NULL);
}
