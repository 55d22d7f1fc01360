/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-silence.c: a call whose peer stopped sending: the media session says when
 * nothing arrived for a few seconds (the call's "media-silent") and when its inactivity
 * timeout passed, and the call then ends with a BYE that says why. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "trv-call-private.h"   /* first: it sets sofia's magic types */
#include <sofia-sip/msg_parser.h>
#include "trv-error.h"
#include "trv-ice-transport.h"
#include "trv-media-transport.h"

void
_trv_call_bye_no_media (TrvCall *self, const char *why)
{
  /* sofia's quoted-string encoder: quotes, and escapes '"' and '\\' */
  issize_t len = msg_unquoted_e (NULL, 0, why);
  g_autofree gchar *quoted = g_malloc0 (len + 1);
  msg_unquoted_e (quoted, len + 1, why);
  g_autofree gchar *reason = g_strdup_printf ("SIP;cause=%d;text=%s", TRV_CALL_NO_MEDIA_CAUSE,
                                              quoted);
  _trv_call_bye (self, reason);
}

static void
on_media_silent (TrvMediaSession *media, GParamSpec *pspec, TrvCall *self)
{
  if (self->state == TRV_CALL_STATE_ENDED)
    return;
  g_debug ("call %s: media %s", self->remote_uri,
           trv_media_session_get_silent (media) ? "silent" : "flowing again");
  _trv_call_notify_media_silent (self);
}

static void
on_media_inactive (TrvMediaSession *media, guint seconds, TrvCall *self)
{
  if (self->state != TRV_CALL_STATE_ACTIVE && self->state != TRV_CALL_STATE_HELD)
    return;
  /* An ICE restart renegotiates the path; the media session counts afresh once it is
   * through, and a restart that fails ends the call for lack of a path. */
  if (self->ice_restarting || self->want_held || self->remote_held)
    {
      g_debug ("call %s: %u s without media, not ended (%s)", self->remote_uri, seconds,
               self->ice_restarting ? "ICE restart in progress" : "on hold");
      return;
    }
  /* The Reason text is protocol, in English; the peer decides on its cause. */
  g_autofree gchar *why = g_strdup_printf ("no audio from the other side for %u s", seconds);
  if (self->nh)
    _trv_call_bye_no_media (self, why);
  _trv_call_end (self, TRV_CALL_END_NO_MEDIA,
                 g_error_new (TRV_ERROR, TRV_ERROR_NO_MEDIA,
                              _("no audio from the other side for %u s"), seconds));
}

/* Where no path can exist, a call that has heard nothing since the answer ends well
 * before the inactivity timeout, saying why and which mode would work. Decided on the
 * transport's data (candidate types, addresses, ICE state), never on a message. */
GError *
_trv_call_no_path_error (TrvCall *self, const char **why)
{
  if (self->media == NULL || self->transport == NULL)
    return NULL;
  TrvMediaStats stats;
  trv_media_session_get_stats (self->media, &stats);
  if (stats.first_rtp_us != 0)
    return NULL;
  /* The Reason text is protocol, in English; the peer shows it as its cause. */
  switch (trv_media_transport_get_silence_cause (self->transport))
    {
    case TRV_SILENCE_CAUSE_BEHIND_NATS:
      *why = "no audio path: both sides are behind NATs (private addresses) and nat.mode = "
             "none offers no public address or relay; use nat.mode = ice with a STUN/TURN "
             "server";
      return g_error_new (TRV_ERROR, TRV_ERROR_NO_PATH,
                          _("No audio path: both sides are behind NATs (private addresses) "
                            "and nat.mode = none offers no public address or relay; use "
                            "nat.mode = ice with a STUN/TURN server"));
    case TRV_SILENCE_CAUSE_NO_RELAY:
      *why = "no audio path: ICE found no working pair and neither side offered a TURN relay; "
             "use nat.mode = turn, or nat.mode = ice with a TURN server";
      return g_error_new (TRV_ERROR, TRV_ERROR_NO_PATH,
                          _("No audio path: ICE found no working pair and neither side "
                            "offered a TURN relay (both sides are behind NATs that STUN alone "
                            "cannot cross); use nat.mode = turn, or nat.mode = ice with a "
                            "TURN server"));
    default:
      /* A path may still come: the ICE checks or the inactivity timeout decide. */
      return NULL;
    }
}

static gboolean
on_path_verdict (gpointer data)
{
  TrvCall *self = data;
  self->verdict_source = 0;
  if (self->state != TRV_CALL_STATE_ACTIVE || self->ice_restarting || self->want_held ||
      self->remote_held)
    return G_SOURCE_REMOVE;
  const char *why = NULL;
  GError *error = _trv_call_no_path_error (self, &why);
  if (error == NULL)
    return G_SOURCE_REMOVE;
  g_debug ("call %s: no path verdict after %u s: %s", self->remote_uri, TRV_PATH_VERDICT_S,
           why);
  if (self->nh)
    _trv_call_bye_no_media (self, why);
  _trv_call_end (self, TRV_CALL_END_NO_MEDIA, error);
  return G_SOURCE_REMOVE;
}

void
_trv_call_arm_path_verdict (TrvCall *self)
{
  g_clear_handle_id (&self->verdict_source, g_source_remove);
  self->verdict_source = g_timeout_add (TRV_PATH_VERDICT_S * 1000, on_path_verdict, self);
}

void
_trv_call_watch_media_silence (TrvCall *self)
{
  trv_media_session_set_inactivity_timeout (self->media,
                                            self->media_config->inactivity_timeout_s);
  g_signal_connect (self->media, "notify::silent", G_CALLBACK (on_media_silent), self);
  g_signal_connect (self->media, "inactive", G_CALLBACK (on_media_inactive), self);
}

gboolean
trv_call_get_media_silent (TrvCall *self)
{
  g_return_val_if_fail (TRV_IS_CALL (self), FALSE);
  /* Early media may well stop while the far end rings on: only an answered call is silent. */
  return self->media && self->state != TRV_CALL_STATE_ENDED && self->answer_time_us != 0 &&
         trv_media_session_get_silent (self->media);
}
