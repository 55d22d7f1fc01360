/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-sdp-audio.c: reads and checks the audio section of a peer's SDP (GstSDPMessage).
 * The few syntax checks here exist because the GStreamer parser accepts almost anything
 * (garbage parses as an empty message). */
#include "config.h"

#include "trv-sdp-audio.h"
#include "trv-error.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

static gboolean
parse_uint (const char *s, guint max, guint *out)
{
  if (s == NULL || !g_ascii_isdigit (*s))
    return FALSE;
  char *end = NULL;
  guint64 v = g_ascii_strtoull (s, &end, 10);
  if (end == s || *end != '\0' || v > max)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

/* At most 60 characters of a line for a message, cut on a character boundary. */
static gchar *
excerpt (const char *line)
{
  return g_utf8_substring (line, 0, MIN (g_utf8_strlen (line, -1), 60));
}

/* `what` ("offer", "answer") in the user's language, for "the %s ..." in errors. */
static const char *
sdp_what (const char *what)
{
  /* Translators: the SDP named in messages such as "the %s is empty" (English adds
   * "the"); in German give it with its article ("das Angebot"). */
  if (g_strcmp0 (what, "offer") == 0)
    return C_("SDP", "offer");
  /* Translators: see "offer" just above. */
  if (g_strcmp0 (what, "answer") == 0)
    return C_("SDP", "answer");
  return what;
}

/* The line-level syntax GStreamer's parser does not enforce: "type=value" lines starting
 * with v=0, and numeric ports in m= lines. */
static gboolean
check_syntax (const char *text, const char *what, GError **error)
{
  if (text == NULL || *text == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP, _("the %s is empty"), what);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the %s is not SDP: it is not valid UTF-8 text"), what);
      return FALSE;
    }
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean seen_version = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);  /* drops the \r of CRLF */
      if (*line == '\0')
        continue;
      g_autofree gchar *quoted = excerpt (line);
      if (!seen_version)
        {
          if (strcmp (line, "v=0") != 0)
            {
              g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                           _("the %s is not SDP: line %u is '%s', expected 'v=0'"), what, i + 1,
                           quoted);
              return FALSE;
            }
          seen_version = TRUE;
          continue;
        }
      if (!g_ascii_islower (line[0]) || line[1] != '=')
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                       _("the %s has an invalid line %u: '%s' (expected '<type>=<value>')"),
                       what, i + 1, quoted);
          return FALSE;
        }
      if (line[0] == 'm')
        {
          g_auto(GStrv) tok = g_strsplit (line + 2, " ", -1);
          guint port = 0;
          g_autofree gchar *port_str = tok[0] && tok[1] ? g_strndup (tok[1], strcspn (tok[1], "/"))
                                                        : NULL;
          if (g_strv_length (tok) < 4 || !parse_uint (port_str, 65535, &port))
            {
              g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                           _("the %s has a bad media line %u: '%s' (expected "
                             "'m=<media> <port> <proto> <formats>')"), what, i + 1, quoted);
              return FALSE;
            }
        }
    }
  return TRUE;
}

GstSDPMessage *
trv_sdp_parse (const char *text, const char *what, GError **error)
{
  what = sdp_what (what);
  if (!check_syntax (text, what, error))
    return NULL;
  GstSDPMessage *msg = NULL;
  gst_sdp_message_new (&msg);
  if (gst_sdp_message_parse_buffer ((const guint8 *) text, strlen (text), msg) != GST_SDP_OK)
    {
      gst_sdp_message_free (msg);
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP, _("the %s cannot be parsed as SDP"),
                   what);
      return NULL;
    }
  return msg;
}

static void
format_clear (gpointer data)
{
  TrvSdpFormat *f = data;
  g_free (f->label);
  g_free (f->fmtp);
}

void
trv_sdp_audio_clear (TrvSdpAudio *a)
{
  g_clear_pointer (&a->formats, g_array_unref);
  g_clear_pointer (&a->crypto, g_ptr_array_unref);
  g_clear_pointer (&a->ep, trv_media_endpoint_free);
}

/* Media-level attribute, else session-level. */
static const char *
get_attribute (const GstSDPMessage *msg, const GstSDPMedia *media, const char *key)
{
  const char *v = gst_sdp_media_get_attribute_val (media, key);
  return v ? v : gst_sdp_message_get_attribute_val (msg, key);
}

static gboolean
has_attribute (const GstSDPMessage *msg, const GstSDPMedia *media, const char *key)
{
  return get_attribute (msg, media, key) != NULL;
}

static TrvDirection
read_direction (const GstSDPMessage *msg, const GstSDPMedia *media, const char *address)
{
  static const struct { const char *key; TrvDirection dir; } keys[] = {
    { "sendrecv", TRV_DIRECTION_SENDRECV }, { "sendonly", TRV_DIRECTION_SENDONLY },
    { "recvonly", TRV_DIRECTION_RECVONLY }, { "inactive", TRV_DIRECTION_INACTIVE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (gst_sdp_media_get_attribute_val (media, keys[i].key))
      return keys[i].dir;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (gst_sdp_message_get_attribute_val (msg, keys[i].key))
      return keys[i].dir;
  /* RFC 2543 hold: c=0.0.0.0 means "do not send to me". */
  if (g_strcmp0 (address, "0.0.0.0") == 0)
    return TRV_DIRECTION_SENDONLY;
  return TRV_DIRECTION_SENDRECV;
}

/* "96 opus/48000/2" -> pt, encoding, clock rate. */
static gboolean
parse_rtpmap (const char *value, guint *pt, gchar **encoding, guint *clock_rate)
{
  if (value == NULL)
    return FALSE;
  g_auto(GStrv) sp = g_strsplit (value, " ", 2);
  if (sp[0] == NULL || sp[1] == NULL || !parse_uint (sp[0], 127, pt))
    return FALSE;
  g_auto(GStrv) enc = g_strsplit (g_strstrip (sp[1]), "/", 3);
  guint channels = 1;
  if (enc[0] == NULL || *enc[0] == '\0' || enc[1] == NULL
      || !parse_uint (enc[1], G_MAXINT, clock_rate) || *clock_rate == 0
      || (enc[2] != NULL && !parse_uint (enc[2], 255, &channels)))
    return FALSE;
  *encoding = g_strdup (enc[0]);
  return TRUE;
}

/* "1 AES_CM_128_HMAC_SHA1_80 inline:KEY|2^20|1:32" -> tag, suite, key (base64). */
gboolean
trv_sdp_parse_crypto (const char *value, guint *tag, gchar **suite, gchar **key)
{
  if (value == NULL)
    return FALSE;
  g_auto(GStrv) sp = g_strsplit (value, " ", -1);
  if (g_strv_length (sp) < 3 || !parse_uint (sp[0], 999999999, tag)
      || !g_str_has_prefix (sp[2], "inline:"))
    return FALSE;
  const char *k = sp[2] + strlen ("inline:");
  gsize key_len = strcspn (k, "|");
  if (key_len == 0)
    return FALSE;
  g_autofree gchar *b64 = g_strndup (k, key_len);
  gsize decoded = 0;
  g_free (g_base64_decode (b64, &decoded));
  /* Master key + salt: 16+14 for the AES_CM_128 suites, 32+14 for AES_256_CM. */
  gsize want = g_str_has_prefix (sp[1], "AES_256_CM") ? 46
               : g_str_has_prefix (sp[1], "AES_CM_128") ? 30 : 0;
  if (want != 0 && decoded != want)
    return FALSE;
  *suite = g_strdup (sp[1]);
  *key = g_steal_pointer (&b64);
  return TRUE;
}

/* The payload types of m=audio, labelled through a=rtpmap (and a=fmtp); telephone-event
 * goes to a->dtmf_pt instead of a->formats. */
static gboolean
read_formats (const GstSDPMedia *m, const char *what, TrvSdpAudio *a, GError **error)
{
  /* a=rtpmap and a=fmtp by payload type */
  g_autoptr(GHashTable) rtpmaps = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_autoptr(GHashTable) clocks = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) fmtps = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  for (guint i = 0; i < gst_sdp_media_attributes_len (m); i++)
    {
      const GstSDPAttribute *attr = gst_sdp_media_get_attribute (m, i);
      guint pt = 0, clock = 0;
      gchar *enc = NULL;
      if (g_strcmp0 (attr->key, "rtpmap") == 0)
        {
          if (!parse_rtpmap (attr->value, &pt, &enc, &clock))
            {
              g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                           _("the %s has a bad a=rtpmap:%s (expected "
                             "'a=rtpmap:<payload type> <encoding>/<clock rate>')"),
                           what, attr->value ? attr->value : "");
              return FALSE;
            }
          g_hash_table_insert (rtpmaps, GUINT_TO_POINTER (pt), enc);
          g_hash_table_insert (clocks, GUINT_TO_POINTER (pt), GUINT_TO_POINTER (clock));
        }
      else if (g_strcmp0 (attr->key, "fmtp") == 0 && attr->value)
        {
          g_auto(GStrv) sp = g_strsplit (attr->value, " ", 2);
          if (sp[0] && sp[1] && parse_uint (sp[0], 127, &pt))
            g_hash_table_insert (fmtps, GUINT_TO_POINTER (pt), g_strdup (g_strstrip (sp[1])));
        }
    }

  a->formats = g_array_new (FALSE, TRUE, sizeof (TrvSdpFormat));
  g_array_set_clear_func (a->formats, format_clear);
  for (guint i = 0; i < gst_sdp_media_formats_len (m); i++)
    {
      const char *fmt = gst_sdp_media_get_format (m, i);
      TrvSdpFormat f = { 0 };
      if (!parse_uint (fmt, 127, &f.pt))
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                       _("the %s lists '%s' in m=audio, which is not an RTP payload type (0-127)"),
                       what, fmt);
          return FALSE;
        }
      const char *enc = g_hash_table_lookup (rtpmaps, GUINT_TO_POINTER (f.pt));
      if (enc)
        {
          guint clock = GPOINTER_TO_UINT (g_hash_table_lookup (clocks, GUINT_TO_POINTER (f.pt)));
          if (g_ascii_strcasecmp (enc, TRV_DTMF_CODEC_NAME) == 0)
            {
              if (clock == TRV_SDP_DTMF_CLOCK && a->dtmf_pt < 0)
                a->dtmf_pt = f.pt;
              continue;
            }
          f.codec = trv_codec_lookup_rtpmap (enc, clock);
          f.label = g_strdup_printf ("%s/%u", enc, clock);
        }
      else if (f.pt < 96 && (f.codec = trv_codec_lookup_static (f.pt)) != NULL)
        f.label = g_strdup_printf ("%s/%u", f.codec->name, f.codec->clock_rate);
      else
        f.label = g_strdup_printf (_("payload type %u"), f.pt);
      f.fmtp = g_strdup (g_hash_table_lookup (fmtps, GUINT_TO_POINTER (f.pt)));
      g_array_append_val (a->formats, f);
    }
  return TRUE;
}

/* Where the peer's media goes: c=, the port, ICE credentials and candidates, a=rtcp. */
static gboolean
read_endpoint (const GstSDPMessage *msg, const GstSDPMedia *m, const char *what,
               TrvMediaEndpoint *ep, GError **error)
{
  const GstSDPConnection *conn = gst_sdp_media_connections_len (m) > 0
                                 ? gst_sdp_media_get_connection (m, 0) : NULL;
  if (conn == NULL || conn->address == NULL)
    conn = gst_sdp_message_get_connection (msg);
  if (conn == NULL || conn->address == NULL || *conn->address == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the %s has no connection address (no c= line at session or audio level)"),
                   what);
      return FALSE;
    }
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (conn->address);
  if (inet == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the %s's connection address '%s' is not an IP address"), what, conn->address);
      return FALSE;
    }
  if (gst_sdp_media_get_port (m) > G_MAXUINT16)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the %s's audio port %u is out of range"), what, gst_sdp_media_get_port (m));
      return FALSE;
    }
  ep->address = g_strdup (conn->address);
  ep->port = (guint16) gst_sdp_media_get_port (m);

  const char *ufrag = get_attribute (msg, m, "ice-ufrag");
  const char *pwd = get_attribute (msg, m, "ice-pwd");
  if ((ufrag == NULL || *ufrag == '\0') != (pwd == NULL || *pwd == '\0'))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the %s has a=%s without a=%s"), what, ufrag && *ufrag ? "ice-ufrag" : "ice-pwd",
                   ufrag && *ufrag ? "ice-pwd" : "ice-ufrag");
      return FALSE;
    }
  if (ufrag && *ufrag)
    {
      ep->ice_ufrag = g_strdup (ufrag);
      ep->ice_pwd = g_strdup (pwd);
      ep->ice_candidates = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < gst_sdp_media_attributes_len (m); i++)
        {
          const GstSDPAttribute *attr = gst_sdp_media_get_attribute (m, i);
          if (g_strcmp0 (attr->key, "candidate") == 0 && attr->value)
            g_ptr_array_add (ep->ice_candidates, g_strconcat ("candidate:", attr->value, NULL));
        }
      ep->ice_lite = has_attribute (msg, m, "ice-lite");
    }
  if (ep->port == 0 && ep->ice_ufrag == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the %s disables the audio stream (m=audio with port 0) and has no ICE "
                     "attributes"), what);
      return FALSE;
    }

  const char *rtcp = gst_sdp_media_get_attribute_val (m, "rtcp");
  if (rtcp)
    {
      g_autofree gchar *port = g_strndup (rtcp, strcspn (rtcp, " "));
      guint v = 0;
      if (!parse_uint (port, 65535, &v) || v == 0)
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                       _("the %s has a bad a=rtcp:%s (expected a port number)"), what, rtcp);
          return FALSE;
        }
      ep->rtcp_port = (guint16) v;
    }
  ep->rtcp_mux = gst_sdp_media_get_attribute_val (m, "rtcp-mux") != NULL;
  return TRUE;
}

gboolean
trv_sdp_audio_read (const GstSDPMessage *msg, const char *what, TrvSdpAudio *a, GError **error)
{
  what = sdp_what (what);
  a->dtmf_pt = -1;
  a->media = NULL;
  /* The first audio stream in use; a disabled one (port 0) only if there is no other. */
  for (guint i = 0; i < gst_sdp_message_medias_len (msg); i++)
    {
      const GstSDPMedia *m = gst_sdp_message_get_media (msg, i);
      if (g_strcmp0 (m->media, "audio") != 0)
        continue;
      if (a->media == NULL || (a->media->port == 0 && m->port != 0))
        {
          a->index = i;
          a->media = m;
        }
      if (m->port != 0)
        break;
    }
  if (a->media == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   _("the %s has no audio stream (no m=audio line)"), what);
      return FALSE;
    }
  const GstSDPMedia *m = a->media;

  if (!read_formats (m, what, a, error))
    return FALSE;

  a->ep = trv_media_endpoint_new ();
  TrvMediaEndpoint *ep = a->ep;
  if (!read_endpoint (msg, m, what, ep, error))
    return FALSE;

  a->crypto = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < gst_sdp_media_attributes_len (m); i++)
    {
      const GstSDPAttribute *attr = gst_sdp_media_get_attribute (m, i);
      if (g_strcmp0 (attr->key, "crypto") == 0)
        g_ptr_array_add (a->crypto, g_strdup (attr->value ? attr->value : ""));
    }

  a->direction = read_direction (msg, m, ep->address);
  /* A ptime we cannot read is no reason to fail the call: keep 20 ms. */
  guint ptime = 0;
  const char *ptime_str = get_attribute (msg, m, "ptime");
  a->ptime = ptime_str && parse_uint (ptime_str, 1000, &ptime) && ptime > 0 ? ptime : TRV_SDP_PTIME;
  guint maxptime = 0;
  const char *maxptime_str = get_attribute (msg, m, "maxptime");
  a->maxptime = maxptime_str && parse_uint (maxptime_str, 1000, &maxptime) ? maxptime : 0;
  return TRUE;
}

gchar *
trv_sdp_audio_describe (const TrvSdpAudio *a)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < a->formats->len; i++)
    {
      const TrvSdpFormat *f = &g_array_index (a->formats, TrvSdpFormat, i);
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", f->label);
    }
  if (a->dtmf_pt >= 0)
    g_string_append_printf (s, "%s" TRV_DTMF_CODEC_NAME, s->len ? ", " : "");
  if (s->len == 0)
    g_string_append (s, _("no payload types"));
  return g_string_free (s, FALSE);
}

const TrvSdpFormat *
trv_sdp_audio_find_codec (const TrvSdpAudio *a, const TrvCodec *codec)
{
  for (guint i = 0; i < a->formats->len; i++)
    if (g_array_index (a->formats, TrvSdpFormat, i).codec == codec)
      return &g_array_index (a->formats, TrvSdpFormat, i);
  return NULL;
}
