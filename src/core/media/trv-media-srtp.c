/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-srtp.c: srtpenc/srtpdec for rtpbin, keyed with the negotiated SDES suite. */
#include "config.h"

#include "trv-media-srtp.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-error.h"
#include "trv-media-session-private.h"   /* _trv_media_make */
#include "trv-srtp.h"

#define ENC_KEY "trv-srtpenc"
#define DEC_KEY "trv-srtpdec"

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

  GstElement *enc = _trv_media_make ("srtpenc", NULL, error);
  GstElement *dec = enc ? _trv_media_make ("srtpdec", NULL, error) : NULL;
  if (dec == NULL)
    {
      g_clear_pointer (&enc, gst_object_unref);
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
