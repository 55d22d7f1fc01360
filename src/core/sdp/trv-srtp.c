/* trv-srtp.c: SDES-keyed SRTP (RFC 4568) for one audio session.
 *
 * Keys travel inside the SDP, so anyone who reads the signalling can decrypt the media:
 * by default they are offered and accepted only when the SDP travels over TLS. */
#include "config.h"

#include "trv-srtp.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <gst/sdp/sdp.h>
#include <string.h>
#include <sys/random.h>

#include "trv-error.h"

#define ENC_KEY "trv-srtpenc"
#define DEC_KEY "trv-srtpdec"

static const char *const policy_names[] = {
  [TRV_SRTP_OFF] = "off",
  [TRV_SRTP_OPTIONAL] = "optional",
  [TRV_SRTP_MANDATORY] = "mandatory",
};

/* Our preference order when answering. */
static const char *const suites[] = { TRV_SRTP_SUITE_80, TRV_SRTP_SUITE_32, NULL };

const char *
trv_srtp_policy_to_string (TrvSrtpPolicy p)
{
  return (guint) p < G_N_ELEMENTS (policy_names) ? policy_names[p] : "invalid";
}

gboolean
trv_srtp_policy_from_string (const char *s, TrvSrtpPolicy *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  for (guint i = 0; s && i < G_N_ELEMENTS (policy_names); i++)
    if (g_ascii_strcasecmp (s, policy_names[i]) == 0)
      {
        *out = (TrvSrtpPolicy) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
trv_srtp_suite_supported (const char *suite)
{
  return suite && g_strv_contains (suites, suite);
}

gchar *
trv_srtp_generate_key (void)
{
  /* GRand is predictable; master keys need the kernel's CSPRNG. */
  guint8 raw[TRV_SRTP_KEY_LEN];
  gsize got = 0;
  while (got < sizeof raw)
    {
      ssize_t r = getrandom (raw + got, sizeof raw - got, 0);
      if (r < 0 && errno != EINTR)
        g_error ("getrandom() failed for an SRTP key: %s", g_strerror (errno));
      if (r > 0)
        got += (gsize) r;
    }
  gchar *key = g_base64_encode (raw, sizeof raw);
  memset (raw, 0, sizeof raw);
  return key;
}

gboolean
trv_srtp_parse_crypto (const char *value, guint *tag, gchar **suite, gchar **key,
                       GError **error)
{
  g_return_val_if_fail (tag && suite && key, FALSE);
  g_auto(GStrv) sp = value ? g_strsplit_set (value, " \t", -1) : NULL;
  guint64 t = 0;
  if (sp == NULL || g_strv_length (sp) < 3 ||
      !g_ascii_string_to_unsigned (sp[0], 10, 0, 999999999, &t, NULL) ||
      !g_str_has_prefix (sp[2], "inline:"))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("bad a=crypto:%s (expected '<tag> <suite> inline:<base64 key>')"),
                   value ? value : "");
      return FALSE;
    }
  const char *k = sp[2] + strlen ("inline:");
  g_autofree gchar *b64 = g_strndup (k, strcspn (k, "|"));
  if (trv_srtp_suite_supported (sp[1]))
    {
      gsize n = 0;
      g_autofree guchar *raw = *b64 ? g_base64_decode (b64, &n) : NULL;
      if (raw)
        memset (raw, 0, n);
      if (n != TRV_SRTP_KEY_LEN)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                       _("a=crypto:%s has a %lu-byte key; %s needs %d bytes"),
                       value, (gulong) n, sp[1], TRV_SRTP_KEY_LEN);
          return FALSE;
        }
    }
  *tag = (guint) t;
  *suite = g_strdup (sp[1]);
  *key = g_steal_pointer (&b64);
  return TRUE;
}

gboolean
trv_srtp_keys_allowed (const TrvSrtpSettings *s)
{
  return s->policy != TRV_SRTP_OFF && (s->secure_signalling || s->allow_insecure);
}

static gboolean
check_insecure (const TrvSrtpSettings *s, GError **error)
{
  if (s->policy == TRV_SRTP_MANDATORY && !trv_srtp_keys_allowed (s))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("account.srtp: encrypted media (SRTP) is mandatory, but its keys would "
                     "travel over unencrypted signalling; use account.transport = tls, or set "
                     "account.srtp-over-insecure = true to accept that risk"));
      return FALSE;
    }
  return TRUE;
}

/* What offer and answer do first: `ep` loses any crypto from before, and the policy
 * decides. FALSE when no keys go in, with *ok FALSE (error set) if the policy refuses
 * this signalling; TRUE when keys go in. */
static gboolean
start_prepare (const TrvSrtpSettings *s, const char *key, TrvMediaEndpoint *ep,
               gboolean *ok, GError **error)
{
  g_clear_pointer (&ep->crypto_suite, g_free);
  g_clear_pointer (&ep->crypto_key, g_free);
  ep->crypto_optional = FALSE;
  *ok = check_insecure (s, error);
  return *ok && trv_srtp_keys_allowed (s) && key != NULL;
}

gboolean
trv_srtp_prepare_offer (const TrvSrtpSettings *s, const char *key, TrvMediaEndpoint *ep,
                        GError **error)
{
  g_return_val_if_fail (s != NULL && ep != NULL, FALSE);
  gboolean ok;
  if (!start_prepare (s, key, ep, &ok, error))
    return ok;
  ep->crypto_suite = g_strdup (TRV_SRTP_SUITE_80);
  ep->crypto_key = g_strdup (key);
  /* Optional: RTP/AVP with a=crypto, so peers without SRTP still answer (plain RTP). */
  ep->crypto_optional = s->policy == TRV_SRTP_OPTIONAL;
  return TRUE;
}

GError *
trv_srtp_peer_unsupported_error (const char *detail)
{
  return g_error_new (TRV_ERROR, TRV_ERROR_SRTP_UNSUPPORTED,
                      _("the peer does not support encrypted media (SRTP), which this account "
                        "requires%s%s"), detail ? ": " : "", detail ? detail : "");
}

gboolean
trv_srtp_prepare_answer (const TrvSrtpSettings *s, const char *key, const char *remote_offer,
                         TrvMediaEndpoint *ep, GError **error)
{
  g_return_val_if_fail (s != NULL && ep != NULL, FALSE);
  gboolean ok;
  if (!start_prepare (s, key, ep, &ok, error))
    return ok;  /* without keys, offer/answer refuses RTP/SAVP offers itself */

  GstSDPMessage *msg = NULL;
  g_autofree gchar *best = NULL;
  g_autoptr(GString) other = g_string_new (NULL);
  guint malformed = 0;
  if (remote_offer && gst_sdp_message_new (&msg) == GST_SDP_OK &&
      gst_sdp_message_parse_buffer ((const guint8 *) remote_offer, strlen (remote_offer),
                                    msg) == GST_SDP_OK)
    {
      for (guint i = 0; i < gst_sdp_message_medias_len (msg) && best == NULL; i++)
        {
          const GstSDPMedia *m = gst_sdp_message_get_media (msg, i);
          if (g_strcmp0 (m->media, "audio") != 0 || m->port == 0)
            continue;
          /* The first supported suite in *our* order, among valid lines. */
          for (guint p = 0; suites[p] && best == NULL; p++)
            for (guint a = 0; a < gst_sdp_media_attributes_len (m); a++)
              {
                const GstSDPAttribute *attr = gst_sdp_media_get_attribute (m, a);
                guint tag;
                g_autofree gchar *suite = NULL, *k = NULL;
                if (g_strcmp0 (attr->key, "crypto") != 0)
                  continue;
                if (!trv_srtp_parse_crypto (attr->value, &tag, &suite, &k, NULL))
                  {
                    malformed += p == 0;
                    continue;
                  }
                if (strcmp (suite, suites[p]) == 0)
                  {
                    best = g_steal_pointer (&suite);
                    break;
                  }
                if (p == 0 && !trv_srtp_suite_supported (suite))
                  g_string_append_printf (other, "%s%s", other->len ? ", " : "", suite);
              }
        }
    }
  g_clear_pointer (&msg, gst_sdp_message_free);

  if (best == NULL)
    {
      if (s->policy != TRV_SRTP_MANDATORY)
        return TRUE;
      g_autofree gchar *detail =
        other->len ? g_strdup_printf (_("it offers only %s; Traverse supports %s and %s"), other->str,
                                      TRV_SRTP_SUITE_80, TRV_SRTP_SUITE_32)
                   : malformed ? g_strdup (_("its a=crypto lines are malformed"))
                   : g_strdup (_("its offer has no a=crypto key"));
      g_propagate_error (error, trv_srtp_peer_unsupported_error (detail));
      return FALSE;
    }
  ep->crypto_suite = g_steal_pointer (&best);
  ep->crypto_key = g_strdup (key);
  return TRUE;
}

/* --- rtpbin elements ------------------------------------------------------------------ */

static GstBuffer *
decode_key (const char *b64, GError **error)
{
  gsize n = 0;
  guchar *raw = b64 && *b64 ? g_base64_decode (b64, &n) : NULL;
  if (n != TRV_SRTP_KEY_LEN)
    {
      g_free (raw);
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the SRTP key must be %d bytes (base64), not %lu"),
                   TRV_SRTP_KEY_LEN, (gulong) n);
      return NULL;
    }
  return gst_buffer_new_wrapped (raw, n);
}

static const char *
rtp_auth_for (const char *suite)
{
  return g_strcmp0 (suite, TRV_SRTP_SUITE_32) == 0 ? "hmac-sha1-32" : "hmac-sha1-80";
}

/* The same srtpenc serves RTP and RTCP of session 0; rtpbin adds it once. */
static GstElement *
on_request_encoder (GstElement *rtpbin, guint session, gpointer data)
{
  const char *which = data;
  GstElement *enc = g_object_get_data (G_OBJECT (rtpbin), ENC_KEY);
  if (session != 0 || enc == NULL)
    return NULL;
  /* rtpbin looks for the encoder's src pad right away: it appears only once the
   * matching sink pad was requested. */
  g_autofree gchar *pad_name = g_strdup_printf ("%s_sink_%u", which, session);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (enc, pad_name);
  if (pad == NULL)
    pad = gst_element_request_pad_simple (enc, pad_name);
  return gst_object_ref (enc);
}

static GstElement *
on_request_decoder (GstElement *rtpbin, guint session, gpointer data)
{
  GstElement *dec = g_object_get_data (G_OBJECT (rtpbin), DEC_KEY);
  return session == 0 && dec ? gst_object_ref (dec) : NULL;
}

static void
caps_unref (gpointer data, GClosure *closure)
{
  gst_caps_unref (data);
}

/* Streaming thread: the peer's key for any SSRC it sends from. */
static GstCaps *
on_request_key (GstElement *srtpdec, guint ssrc, gpointer data)
{
  return gst_caps_ref (GST_CAPS (data));
}

gboolean
trv_srtp_setup_rtpbin (GstElement *rtpbin, const TrvNegotiation *n, GError **error)
{
  g_return_val_if_fail (GST_IS_ELEMENT (rtpbin) && n != NULL, FALSE);
  if (n->local_crypto_key == NULL || n->remote == NULL || n->remote->crypto_key == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("SRTP was not negotiated for this call"));
      return FALSE;
    }
  const char *suite = n->remote->crypto_suite;
  if (!trv_srtp_suite_supported (suite))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("unsupported SRTP suite '%s'"),
                   suite ? suite : "");
      return FALSE;
    }
  g_autoptr(GstBuffer) local_key = decode_key (n->local_crypto_key, error);
  if (local_key == NULL)
    return FALSE;
  g_autoptr(GstBuffer) remote_key = decode_key (n->remote->crypto_key, error);
  if (remote_key == NULL)
    return FALSE;

  GstElement *enc = gst_element_factory_make ("srtpenc", NULL);
  GstElement *dec = enc ? gst_element_factory_make ("srtpdec", NULL) : NULL;
  if (dec == NULL)
    {
      g_clear_pointer (&enc, gst_object_unref);
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA,
                   _("GStreamer elements srtpenc/srtpdec are missing (install the Debian "
                     "package gstreamer1.0-plugins-bad)"));
      return FALSE;
    }
  /* RFC 4568 6.2: both suites authenticate SRTCP with 80 bits. */
  g_object_set (enc, "key", local_key, NULL);
  gst_util_set_object_arg (G_OBJECT (enc), "rtp-cipher", "aes-128-icm");
  gst_util_set_object_arg (G_OBJECT (enc), "rtp-auth", rtp_auth_for (suite));
  gst_util_set_object_arg (G_OBJECT (enc), "rtcp-cipher", "aes-128-icm");
  gst_util_set_object_arg (G_OBJECT (enc), "rtcp-auth", "hmac-sha1-80");

  GstCaps *caps = gst_caps_new_simple ("application/x-srtp",
                                       "srtp-key", GST_TYPE_BUFFER, remote_key,
                                       "srtp-cipher", G_TYPE_STRING, "aes-128-icm",
                                       "srtp-auth", G_TYPE_STRING, rtp_auth_for (suite),
                                       "srtcp-cipher", G_TYPE_STRING, "aes-128-icm",
                                       "srtcp-auth", G_TYPE_STRING, "hmac-sha1-80", NULL);
  g_signal_connect_data (dec, "request-key", G_CALLBACK (on_request_key), caps, caps_unref, 0);

  g_object_set_data_full (G_OBJECT (rtpbin), ENC_KEY, gst_object_ref_sink (enc),
                          gst_object_unref);
  g_object_set_data_full (G_OBJECT (rtpbin), DEC_KEY, gst_object_ref_sink (dec),
                          gst_object_unref);
  g_signal_connect (rtpbin, "request-rtp-encoder", G_CALLBACK (on_request_encoder), "rtp");
  g_signal_connect (rtpbin, "request-rtcp-encoder", G_CALLBACK (on_request_encoder), "rtcp");
  g_signal_connect (rtpbin, "request-rtp-decoder", G_CALLBACK (on_request_decoder), NULL);
  g_signal_connect (rtpbin, "request-rtcp-decoder", G_CALLBACK (on_request_decoder), NULL);

  /* srtpdec sends RTCP that arrived muxed on the RTP port out of its rtcp_src: that pad
   * must reach the session, or the transport source stops with not-linked. */
  g_autoptr(GstPad) rtcp_sink = gst_element_request_pad_simple (rtpbin, "recv_rtcp_sink_0");
  if (rtcp_sink == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MEDIA, _("rtpbin refused the SRTCP receive pad"));
      return FALSE;
    }
  return TRUE;
}
