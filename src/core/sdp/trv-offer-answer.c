/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-offer-answer.c: SDP offer/answer (RFC 3264) with GstSDPMessage.
 * SDP text is only ever produced by gst_sdp_message_as_text() and read by
 * gst_sdp_message_parse_buffer() (via trv-sdp-audio.c). */
#include "config.h"

#include "trv-offer-answer.h"
#include "trv-sdp-audio.h"
#include "trv-error.h"
#include "trv-enum.h"
#include "trv-sdp-enums.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define TRV_DTMF_PT 101
#define TRV_DTMF_EVENTS "0-16"

/* --- writing SDP ----------------------------------------------------------------------- */

/* The configured codecs we know, without duplicates; all codecs when none is usable. */
static GPtrArray *
configured_codecs (const TrvMediaConfig *media)
{
  GPtrArray *list = g_ptr_array_new ();
  for (guint i = 0; media && media->codecs && media->codecs[i]; i++)
    {
      const TrvCodec *c = trv_codec_lookup (media->codecs[i]);
      if (c && !g_ptr_array_find (list, c, NULL))
        g_ptr_array_add (list, (gpointer) c);
    }
  if (list->len == 0)
    for (const TrvCodec *const *c = trv_codec_all (); *c; c++)
      g_ptr_array_add (list, (gpointer) *c);
  return list;
}

static gchar *
describe_codecs (GPtrArray *codecs)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < codecs->len; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", ((const TrvCodec *) codecs->pdata[i])->name);
  return g_string_free (s, FALSE);
}

static const char *
addrtype (const char *address)
{
  return address && strchr (address, ':') ? "IP6" : "IP4";
}

static GstSDPMessage *
new_session (const TrvMediaEndpoint *local, gboolean ice, guint64 session_id, guint64 version)
{
  const char *address = local->address ? local->address : "0.0.0.0";
  g_autofree gchar *sid = g_strdup_printf ("%" G_GUINT64_FORMAT, session_id);
  g_autofree gchar *ver = g_strdup_printf ("%" G_GUINT64_FORMAT, version);
  GstSDPMessage *msg = NULL;
  gst_sdp_message_new (&msg);
  gst_sdp_message_set_version (msg, "0");
  gst_sdp_message_set_origin (msg, "-", sid, ver, "IN", addrtype (address), address);
  gst_sdp_message_set_session_name (msg, "Traverse");
  gst_sdp_message_set_connection (msg, "IN", addrtype (address), address, 0, 0);
  gst_sdp_message_add_time (msg, "0", "0", NULL);
  /* ice-lite is a session-level attribute (RFC 8839); ufrag/pwd stay at media level
   * because libnice's SDP parser rejects them at session level. */
  if (ice && local->ice_ufrag && local->ice_lite)
    gst_sdp_message_add_attribute (msg, "ice-lite", NULL);
  return msg;
}

static void
add_codec (GstSDPMedia *m, const TrvCodec *codec, guint pt)
{
  g_autofree gchar *pt_str = g_strdup_printf ("%u", pt);
  g_autofree gchar *rtpmap = codec->channels > 1
    ? g_strdup_printf ("%u %s/%u/%u", pt, codec->name, codec->clock_rate, codec->channels)
    : g_strdup_printf ("%u %s/%u", pt, codec->name, codec->clock_rate);
  gst_sdp_media_add_format (m, pt_str);
  gst_sdp_media_add_attribute (m, "rtpmap", rtpmap);
  if (codec->fmtp)
    {
      g_autofree gchar *fmtp = g_strdup_printf ("%u %s", pt, codec->fmtp);
      gst_sdp_media_add_attribute (m, "fmtp", fmtp);
    }
}

static void
add_dtmf (GstSDPMedia *m, guint pt)
{
  g_autofree gchar *pt_str = g_strdup_printf ("%u", pt);
  g_autofree gchar *rtpmap = g_strdup_printf ("%u " TRV_DTMF_CODEC_NAME "/%u", pt, TRV_SDP_DTMF_CLOCK);
  g_autofree gchar *fmtp = g_strdup_printf ("%u " TRV_DTMF_EVENTS, pt);
  gst_sdp_media_add_format (m, pt_str);
  gst_sdp_media_add_attribute (m, "rtpmap", rtpmap);
  gst_sdp_media_add_attribute (m, "fmtp", fmtp);
}

/* What we send: the packet duration the peer asks for (a=ptime, RFC 4566: a preference)
 * but never beyond its a=maxptime, a limit. */
static guint
send_ptime (const TrvSdpAudio *peer)
{
  return peer->maxptime > 0 ? MIN (peer->ptime, peer->maxptime) : peer->ptime;
}

/* ptime, direction, RTCP, ICE and SDES lines shared by offer and answer. One a=ptime
 * covers the whole m= line: we ask for the leading codec's (10 ms for Opus). A peer that
 * wants longer packets from us says so with its own a=ptime, and gets them. */
static void
add_audio_attributes (GstSDPMedia *m, const TrvCodec *lead, const TrvMediaEndpoint *local,
                      TrvDirection direction, gboolean rtcp_mux, gboolean ice, gint crypto_tag)
{
  g_autofree gchar *ptime = g_strdup_printf ("%u", lead && lead->ptime ? lead->ptime
                                                                       : TRV_SDP_PTIME);
  gst_sdp_media_add_attribute (m, "ptime", ptime);
  gst_sdp_media_add_attribute (m, trv_enum_to_nick (TRV_TYPE_DIRECTION, direction), NULL);
  if (rtcp_mux)
    gst_sdp_media_add_attribute (m, "rtcp-mux", NULL);
  if (local->rtcp_port != 0)
    {
      g_autofree gchar *rtcp = g_strdup_printf ("%u", local->rtcp_port);
      gst_sdp_media_add_attribute (m, "rtcp", rtcp);
    }
  if (ice && local->ice_ufrag)
    {
      gst_sdp_media_add_attribute (m, "ice-ufrag", local->ice_ufrag);
      gst_sdp_media_add_attribute (m, "ice-pwd", local->ice_pwd ? local->ice_pwd : "");
      for (guint i = 0; local->ice_candidates && i < local->ice_candidates->len; i++)
        {
          const char *cand = local->ice_candidates->pdata[i];
          if (g_str_has_prefix (cand, "a="))
            cand += 2;
          if (g_str_has_prefix (cand, "candidate:"))
            cand += strlen ("candidate:");
          gst_sdp_media_add_attribute (m, "candidate", cand);
        }
    }
  if (crypto_tag >= 0 && local->crypto_suite && local->crypto_key)
    {
      g_autofree gchar *crypto = g_strdup_printf ("%d %s inline:%s", crypto_tag,
                                                  local->crypto_suite, local->crypto_key);
      gst_sdp_media_add_attribute (m, "crypto", crypto);
    }
}

static gchar *
finish (GstSDPMessage *msg)
{
  gchar *text = gst_sdp_message_as_text (msg);
  gst_sdp_message_free (msg);
  return text;
}

gchar *
trv_offer_answer_create_offer (const TrvMediaConfig *media,
                               const TrvMediaEndpoint *local,
                               TrvDirection direction,
                               guint64 session_id,
                               guint64 version)
{
  g_return_val_if_fail (local != NULL, NULL);

  GstSDPMessage *msg = new_session (local, TRUE, session_id, version);
  gboolean srtp = local->crypto_suite && local->crypto_key;
  GstSDPMedia m = { 0 };
  gst_sdp_media_init (&m);
  gst_sdp_media_set_media (&m, "audio");
  gst_sdp_media_set_port_info (&m, local->port, 1);
  gst_sdp_media_set_proto (&m, srtp && !local->crypto_optional ? "RTP/SAVP" : "RTP/AVP");

  g_autoptr(GPtrArray) codecs = configured_codecs (media);
  for (guint i = 0; i < codecs->len; i++)
    {
      const TrvCodec *codec = codecs->pdata[i];
      add_codec (&m, codec, codec->static_pt >= 0 ? (guint) codec->static_pt : (guint) codec->default_pt);
    }
  add_dtmf (&m, TRV_DTMF_PT);
  add_audio_attributes (&m, codecs->len ? codecs->pdata[0] : NULL, local, direction,
                        local->rtcp_mux, TRUE, srtp ? 1 : -1);
  gst_sdp_message_add_media (msg, &m);
  return finish (msg);
}

/* The offered a=crypto line for our suite; FALSE with an error when SRTP is required
 * but impossible. *tag < 0: plain RTP (tag 0 is valid in RFC 4568). */
static gboolean
answer_crypto (const TrvSdpAudio *offer, const char *proto, const TrvMediaEndpoint *local,
               gint *tag, TrvMediaEndpoint *remote, GError **error)
{
  gboolean required = strstr (proto, "SAVP") != NULL;
  *tag = -1;
  if (local->crypto_suite && local->crypto_key)
    for (guint i = 0; i < offer->crypto->len; i++)
      {
        guint t = 0;
        g_autofree gchar *suite = NULL, *key = NULL;
        if (!trv_sdp_parse_crypto (offer->crypto->pdata[i], &t, &suite, &key))
          {
            g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                         _("the offer has a bad a=crypto:%s (expected "
                           "'a=crypto:<tag> <suite> inline:<base64 key>')"),
                         (const char *) offer->crypto->pdata[i]);
            return FALSE;
          }
        if (strcmp (suite, local->crypto_suite) == 0)
          {
            *tag = (gint) t;
            remote->crypto_suite = g_steal_pointer (&suite);
            remote->crypto_key = g_steal_pointer (&key);
            return TRUE;
          }
      }
  if (required)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   /* Translators: %1$s is the SDP media profile (RTP/SAVP); the second is "crypto
                    * suites we do not use" or "no a=crypto key", the third "none matches ours"
                    * or "SRTP is not enabled here". Keep a=crypto as it is. */
                   _("the offer requires SRTP (%s) with %s, but %s"), proto,
                   offer->crypto->len ? _("crypto suites we do not use") : _("no a=crypto key"),
                   local->crypto_suite ? _("none matches ours") : _("SRTP is not enabled here"));
      return FALSE;
    }
  return TRUE;
}

/* Whether RTP can go where the peer's c= points. Multicast and broadcast are not a
 * two-party call (RFC 3264 allows multicast, Traverse does not do it); 0.0.0.0 is the
 * RFC 2543 hold only when the peer does not want our media; an address family our
 * media socket lacks would be unreachable after a 200 (with ICE the candidates
 * decide instead). */
static gboolean
check_media_address (const TrvSdpAudio *audio, const TrvMediaEndpoint *local, gboolean ice,
                     const char *what, GError **error)
{
  const char *address = audio->ep->address;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    return TRUE;   /* trv_sdp_audio_read already refused it */
  gsize len = g_inet_address_get_native_size (inet);
  const guint8 *bytes = g_inet_address_to_bytes (inet);
  gboolean broadcast = len == 4 && bytes[0] == 0xff && bytes[1] == 0xff && bytes[2] == 0xff &&
                       bytes[3] == 0xff;
  if (g_inet_address_get_is_multicast (inet) || broadcast)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   /* Translators: the first %s is "offer" or "answer" (see there), the
                    * second "broadcast" or "multicast", the third an IP address. */
                   _("the %s sends media to the %s address %s; Traverse takes only one-to-one "
                     "(unicast) calls"), what, broadcast ? _("broadcast") : _("multicast"),
                   address);
      return FALSE;
    }
  if (g_inet_address_get_is_any (inet) && !ice && trv_direction_can_receive (audio->direction))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   _("the %s asks for media at %s, which is no address (only a hold may "
                     "use it)"), what, address);
      return FALSE;
    }
  g_autoptr(GInetAddress) ours = local->address
                                 ? g_inet_address_new_from_string (local->address) : NULL;
  if (!ice && ours && !g_inet_address_get_is_any (inet) &&
      g_inet_address_get_family (ours) != g_inet_address_get_family (inet))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   _("the %s's media address %s is %s, but our media address %s is %s"),
                   what, address,
                   g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? "IPv6" : "IPv4",
                   local->address,
                   g_inet_address_get_family (ours) == G_SOCKET_FAMILY_IPV6 ? "IPv6" : "IPv4");
      return FALSE;
    }
  return TRUE;
}

static gboolean
proto_supported (const char *proto)
{
  static const char *const ok[] = { "RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF", NULL };
  return proto && g_strv_contains (ok, proto);
}

gchar *
trv_offer_answer_create_answer (const char *remote_offer,
                                const TrvMediaConfig *media,
                                const TrvMediaEndpoint *local,
                                TrvDirection wanted,
                                guint64 session_id,
                                guint64 version,
                                TrvNegotiation **negotiation,
                                GError **error)
{
  g_return_val_if_fail (local != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  GstSDPMessage *offer = trv_sdp_parse (remote_offer, "offer", error);
  if (offer == NULL)
    return NULL;
  g_auto(TrvSdpAudio) audio = { 0 };
  if (!trv_sdp_audio_read (offer, "offer", &audio, error))
    {
      gst_sdp_message_free (offer);
      return NULL;
    }
  const char *proto = gst_sdp_media_get_proto (audio.media);
  if (!proto_supported (proto))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   _("the offer uses the media transport '%s'; Traverse speaks RTP/AVP and "
                     "RTP/SAVP (SDES) only"), proto ? proto : "");
      gst_sdp_message_free (offer);
      return NULL;
    }

  g_autoptr(GPtrArray) codecs = configured_codecs (media);
  const TrvSdpFormat *chosen = NULL;
  for (guint i = 0; i < codecs->len && chosen == NULL; i++)
    chosen = trv_sdp_audio_find_codec (&audio, codecs->pdata[i]);
  if (chosen == NULL)
    {
      g_autofree gchar *offered = trv_sdp_audio_describe (&audio);
      g_autofree gchar *ours = describe_codecs (codecs);
      g_set_error (error, TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC,
                   _("no common codec: the offer has %s; we accept %s"), offered, ours);
      gst_sdp_message_free (offer);
      return NULL;
    }

  /* ICE only when both sides do it (RFC 8445 fallback to plain RTP otherwise). */
  gboolean ice = local->ice_ufrag != NULL && audio.ep->ice_ufrag != NULL;
  if (!check_media_address (&audio, local, ice, C_("SDP", "offer"), error))
    {
      gst_sdp_message_free (offer);
      return NULL;
    }

  gint crypto_tag = -1;
  if (!answer_crypto (&audio, proto, local, &crypto_tag, audio.ep, error))
    {
      gst_sdp_message_free (offer);
      return NULL;
    }

  TrvDirection direction = trv_direction_answer (audio.direction, wanted);
  gboolean mux = audio.ep->rtcp_mux && local->rtcp_mux;

  GstSDPMessage *msg = new_session (local, ice, session_id, version);
  for (guint i = 0; i < gst_sdp_message_medias_len (offer); i++)
    {
      const GstSDPMedia *om = gst_sdp_message_get_media (offer, i);
      GstSDPMedia m = { 0 };
      gst_sdp_media_init (&m);
      gst_sdp_media_set_media (&m, om->media);
      gst_sdp_media_set_proto (&m, om->proto);
      if (i != audio.index)
        {
          /* RFC 3264 6: every offered stream gets an answer line; port 0 declines it. */
          gst_sdp_media_set_port_info (&m, 0, 0);
          for (guint f = 0; f < gst_sdp_media_formats_len (om); f++)
            gst_sdp_media_add_format (&m, gst_sdp_media_get_format (om, f));
        }
      else
        {
          gst_sdp_media_set_port_info (&m, local->port, 1);
          add_codec (&m, chosen->codec, chosen->pt);
          if (audio.dtmf_pt >= 0)
            add_dtmf (&m, (guint) audio.dtmf_pt);
          add_audio_attributes (&m, chosen->codec, local, direction, mux, ice, crypto_tag);
        }
      gst_sdp_message_add_media (msg, &m);
    }

  if (negotiation)
    {
      TrvNegotiation *n = trv_negotiation_new ();
      n->codec = chosen->codec;
      n->send_pt = n->recv_pt = chosen->pt;
      n->send_fmtp = g_strdup (chosen->fmtp);
      n->send_dtmf_pt = n->recv_dtmf_pt = audio.dtmf_pt;
      n->ptime = send_ptime (&audio);
      n->direction = direction;
      trv_media_endpoint_free (n->remote);
      n->remote = g_steal_pointer (&audio.ep);
      n->remote->rtcp_mux = mux;
      if (crypto_tag >= 0)
        n->local_crypto_key = g_strdup (local->crypto_key);
      *negotiation = n;
    }
  gst_sdp_message_free (offer);
  return finish (msg);
}

/* The answer's a=crypto must pick one of our offered tags with the same suite. Failures
 * are TRV_ERROR_SRTP_UNSUPPORTED (a bad line is no usable key either), so a call with
 * mandatory SRTP can tell them from other SDP faults without reading the message. */
static gboolean
answer_crypto_result (const TrvSdpAudio *ours, const TrvSdpAudio *answer, const char *our_proto,
                      TrvNegotiation *n, GError **error)
{
  if (ours->crypto->len == 0)
    return TRUE;
  for (guint i = 0; i < answer->crypto->len; i++)
    {
      guint tag = 0;
      g_autofree gchar *suite = NULL, *key = NULL;
      if (!trv_sdp_parse_crypto (answer->crypto->pdata[i], &tag, &suite, &key))
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_SRTP_UNSUPPORTED,
                       _("the answer has a bad a=crypto:%s (expected "
                         "'a=crypto:<tag> <suite> inline:<base64 key>')"),
                       (const char *) answer->crypto->pdata[i]);
          return FALSE;
        }
      for (guint j = 0; j < ours->crypto->len; j++)
        {
          guint our_tag = 0;
          g_autofree gchar *our_suite = NULL, *our_key = NULL;
          if (trv_sdp_parse_crypto (ours->crypto->pdata[j], &our_tag, &our_suite, &our_key)
              && our_tag == tag && strcmp (our_suite, suite) == 0)
            {
              n->remote->crypto_suite = g_steal_pointer (&suite);
              n->remote->crypto_key = g_steal_pointer (&key);
              n->local_crypto_key = g_steal_pointer (&our_key);
              return TRUE;
            }
        }
    }
  if (strstr (our_proto, "SAVP") != NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_SRTP_UNSUPPORTED,
                   _("the answer to our SRTP offer has no a=crypto line matching ours"));
      return FALSE;
    }
  return TRUE;
}

TrvNegotiation *
trv_offer_answer_parse_answer (const char *local_offer,
                               const char *remote_answer,
                               GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(GError) local_error = NULL;
  GstSDPMessage *offer = trv_sdp_parse (local_offer, "offer", &local_error);
  g_auto(TrvSdpAudio) ours = { 0 };
  if (offer == NULL || !trv_sdp_audio_read (offer, "offer", &ours, &local_error))
    {
      /* Our own offer came from create_offer; failing here is a bug, not the peer's. */
      g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED, _("our own SDP offer is unusable: %s"),
                   local_error->message);
      g_clear_pointer (&offer, gst_sdp_message_free);
      return NULL;
    }
  GstSDPMessage *answer = trv_sdp_parse (remote_answer, "answer", error);
  g_auto(TrvSdpAudio) theirs = { 0 };
  if (answer == NULL || !trv_sdp_audio_read (answer, "answer", &theirs, error))
    {
      gst_sdp_message_free (offer);
      g_clear_pointer (&answer, gst_sdp_message_free);
      return NULL;
    }

  if (!check_media_address (&theirs, ours.ep, ours.ep->ice_ufrag && theirs.ep->ice_ufrag,
                            C_("SDP", "answer"), error))
    {
      gst_sdp_message_free (offer);
      gst_sdp_message_free (answer);
      return NULL;
    }

  /* The answerer already chose; its first codec that we offered wins. */
  const TrvSdpFormat *chosen = NULL, *mine = NULL;
  for (guint i = 0; i < theirs.formats->len && chosen == NULL; i++)
    {
      const TrvSdpFormat *f = &g_array_index (theirs.formats, TrvSdpFormat, i);
      if (f->codec && (mine = trv_sdp_audio_find_codec (&ours, f->codec)) != NULL)
        chosen = f;
    }
  if (chosen == NULL)
    {
      g_autofree gchar *answered = trv_sdp_audio_describe (&theirs);
      g_autofree gchar *offered = trv_sdp_audio_describe (&ours);
      g_set_error (error, TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC,
                   _("no common codec: the answer has %s; we offered %s"), answered, offered);
      gst_sdp_message_free (offer);
      gst_sdp_message_free (answer);
      return NULL;
    }

  g_autoptr(TrvNegotiation) n = trv_negotiation_new ();
  n->codec = chosen->codec;
  n->send_pt = chosen->pt;
  n->recv_pt = mine->pt;
  n->send_fmtp = g_strdup (chosen->fmtp);
  if (theirs.dtmf_pt >= 0 && ours.dtmf_pt >= 0)
    {
      n->send_dtmf_pt = theirs.dtmf_pt;
      n->recv_dtmf_pt = ours.dtmf_pt;
    }
  n->ptime = send_ptime (&theirs);
  n->direction = trv_direction_answer (theirs.direction, ours.direction);
  trv_media_endpoint_free (n->remote);
  n->remote = g_steal_pointer (&theirs.ep);
  n->remote->rtcp_mux = n->remote->rtcp_mux && ours.ep->rtcp_mux;
  gboolean ok = answer_crypto_result (&ours, &theirs, gst_sdp_media_get_proto (ours.media), n,
                                      error);
  gst_sdp_message_free (offer);
  gst_sdp_message_free (answer);
  return ok ? g_steal_pointer (&n) : NULL;
}

gchar *
trv_offer_answer_dup_media_address (const char *sdp)
{
  if (sdp == NULL)
    return NULL;
  g_autoptr(GError) error = NULL;
  GstSDPMessage *msg = trv_sdp_parse (sdp, "offer", &error);
  if (msg == NULL)
    return NULL;
  g_auto(TrvSdpAudio) audio = { 0 };
  gchar *address = NULL;
  if (trv_sdp_audio_read (msg, "offer", &audio, NULL) && audio.ep && audio.ep->address)
    address = g_strdup (audio.ep->address);
  gst_sdp_message_free (msg);
  return address;
}
