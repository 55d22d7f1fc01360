/* trv-offer-answer.c: SDP offer/answer (RFC 3264) with GstSDPMessage.
 * SDP text is only ever produced by gst_sdp_message_as_text() and read by
 * gst_sdp_message_parse_buffer(); the few syntax checks below exist because the
 * GStreamer parser accepts almost anything (garbage parses as an empty message). */
#include "trv-offer-answer.h"
#include "trv-error.h"

#include <gio/gio.h>
#include <gst/sdp/sdp.h>
#include <stdlib.h>
#include <string.h>

#define TRV_DTMF_PT 101
#define TRV_DTMF_CLOCK 8000
#define TRV_DTMF_EVENTS "0-16"
#define TRV_PTIME 20

/* --- directions ------------------------------------------------------------------------ */

const char *
trv_direction_to_string (TrvDirection d)
{
  switch (d)
    {
    case TRV_DIRECTION_SENDONLY: return "sendonly";
    case TRV_DIRECTION_RECVONLY: return "recvonly";
    case TRV_DIRECTION_INACTIVE: return "inactive";
    case TRV_DIRECTION_SENDRECV:
    default: return "sendrecv";
    }
}

gboolean
trv_direction_can_send (TrvDirection d)
{
  return d == TRV_DIRECTION_SENDRECV || d == TRV_DIRECTION_SENDONLY;
}

gboolean
trv_direction_can_receive (TrvDirection d)
{
  return d == TRV_DIRECTION_SENDRECV || d == TRV_DIRECTION_RECVONLY;
}

static TrvDirection
direction_from_flags (gboolean send, gboolean recv)
{
  if (send && recv)
    return TRV_DIRECTION_SENDRECV;
  if (send)
    return TRV_DIRECTION_SENDONLY;
  if (recv)
    return TRV_DIRECTION_RECVONLY;
  return TRV_DIRECTION_INACTIVE;
}

/* We may send only what the other side is willing to receive, and the reverse. */
TrvDirection
trv_direction_answer (TrvDirection offered, TrvDirection wanted)
{
  return direction_from_flags (trv_direction_can_receive (offered) && trv_direction_can_send (wanted),
                               trv_direction_can_send (offered) && trv_direction_can_receive (wanted));
}

/* --- boxed-ish structs ----------------------------------------------------------------- */

TrvMediaEndpoint *
trv_media_endpoint_new (void)
{
  return g_new0 (TrvMediaEndpoint, 1);
}

void
trv_media_endpoint_free (TrvMediaEndpoint *ep)
{
  if (ep == NULL)
    return;
  g_free (ep->address);
  g_free (ep->ice_ufrag);
  g_free (ep->ice_pwd);
  g_clear_pointer (&ep->ice_candidates, g_ptr_array_unref);
  g_free (ep->crypto_suite);
  g_free (ep->crypto_key);
  g_free (ep);
}

static gpointer
copy_string (gconstpointer src, gpointer data)
{
  return g_strdup (src);
}

TrvMediaEndpoint *
trv_media_endpoint_copy (const TrvMediaEndpoint *ep)
{
  if (ep == NULL)
    return NULL;
  TrvMediaEndpoint *copy = g_new0 (TrvMediaEndpoint, 1);
  *copy = *ep;
  copy->address = g_strdup (ep->address);
  copy->ice_ufrag = g_strdup (ep->ice_ufrag);
  copy->ice_pwd = g_strdup (ep->ice_pwd);
  if (ep->ice_candidates)
    {
      copy->ice_candidates = g_ptr_array_copy (ep->ice_candidates, copy_string, NULL);
      g_ptr_array_set_free_func (copy->ice_candidates, g_free);
    }
  copy->crypto_suite = g_strdup (ep->crypto_suite);
  copy->crypto_key = g_strdup (ep->crypto_key);
  return copy;
}

TrvNegotiation *
trv_negotiation_new (void)
{
  TrvNegotiation *n = g_new0 (TrvNegotiation, 1);
  n->send_dtmf_pt = -1;
  n->recv_dtmf_pt = -1;
  n->ptime = TRV_PTIME;
  n->direction = TRV_DIRECTION_SENDRECV;
  n->remote = trv_media_endpoint_new ();
  return n;
}

void
trv_negotiation_free (TrvNegotiation *n)
{
  if (n == NULL)
    return;
  g_free (n->send_fmtp);
  trv_media_endpoint_free (n->remote);
  g_free (n->local_crypto_key);
  g_free (n);
}

TrvNegotiation *
trv_negotiation_copy (const TrvNegotiation *n)
{
  if (n == NULL)
    return NULL;
  TrvNegotiation *copy = g_new0 (TrvNegotiation, 1);
  *copy = *n;
  copy->send_fmtp = g_strdup (n->send_fmtp);
  copy->remote = trv_media_endpoint_copy (n->remote);
  copy->local_crypto_key = g_strdup (n->local_crypto_key);
  return copy;
}

/* --- reading SDP ----------------------------------------------------------------------- */

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

/* The line-level syntax GStreamer's parser does not enforce: "type=value" lines starting
 * with v=0, and numeric ports in m= lines. */
static gboolean
check_syntax (const char *text, const char *what, GError **error)
{
  if (text == NULL || *text == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP, "the %s is empty", what);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   "the %s is not SDP: it is not valid UTF-8 text", what);
      return FALSE;
    }
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean seen_version = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);  /* drops the \r of CRLF */
      if (*line == '\0')
        continue;
      if (!seen_version)
        {
          if (strcmp (line, "v=0") != 0)
            {
              g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                           "the %s is not SDP: line %u is '%.60s', expected 'v=0'", what, i + 1,
                           line);
              return FALSE;
            }
          seen_version = TRUE;
          continue;
        }
      if (!g_ascii_islower (line[0]) || line[1] != '=')
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                       "the %s has an invalid line %u: '%.60s' (expected '<type>=<value>')",
                       what, i + 1, line);
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
                           "the %s has a bad media line %u: '%.60s' (expected "
                           "'m=<media> <port> <proto> <formats>')", what, i + 1, line);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static GstSDPMessage *
parse_sdp (const char *text, const char *what, GError **error)
{
  if (!check_syntax (text, what, error))
    return NULL;
  GstSDPMessage *msg = NULL;
  gst_sdp_message_new (&msg);
  if (gst_sdp_message_parse_buffer ((const guint8 *) text, strlen (text), msg) != GST_SDP_OK)
    {
      gst_sdp_message_free (msg);
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP, "the %s cannot be parsed as SDP",
                   what);
      return NULL;
    }
  return msg;
}

/* One payload type of the audio m= line. */
typedef struct {
  guint pt;
  const TrvCodec *codec;    /* NULL: not a codec we know */
  gchar *label;             /* "opus/48000" or "payload type 97" for messages */
  gchar *fmtp;
} Format;

static void
format_clear (gpointer data)
{
  Format *f = data;
  g_free (f->label);
  g_free (f->fmtp);
}

typedef struct {
  guint index;              /* of the audio m= line within the message */
  const GstSDPMedia *media;
  GArray *formats;          /* Format, in m= order, telephone-event excluded */
  gint dtmf_pt;             /* telephone-event/8000, -1 = none */
  TrvDirection direction;
  guint ptime;
  GPtrArray *crypto;        /* gchar*: a=crypto values */
  TrvMediaEndpoint *ep;
} Audio;

static void
audio_clear (Audio *a)
{
  g_clear_pointer (&a->formats, g_array_unref);
  g_clear_pointer (&a->crypto, g_ptr_array_unref);
  g_clear_pointer (&a->ep, trv_media_endpoint_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Audio, audio_clear)

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
static gboolean
parse_crypto (const char *value, guint *tag, gchar **suite, gchar **key)
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
  g_autofree guchar *raw = g_base64_decode (b64, &decoded);
  /* Master key + salt: 16+14 for the AES_CM_128 suites, 32+14 for AES_256_CM. */
  gsize want = g_str_has_prefix (sp[1], "AES_256_CM") ? 46
               : g_str_has_prefix (sp[1], "AES_CM_128") ? 30 : 0;
  if (want != 0 && decoded != want)
    return FALSE;
  *suite = g_strdup (sp[1]);
  *key = g_steal_pointer (&b64);
  return TRUE;
}

static gboolean
read_audio (const GstSDPMessage *msg, const char *what, Audio *a, GError **error)
{
  a->dtmf_pt = -1;
  a->media = NULL;
  for (guint i = 0; i < gst_sdp_message_medias_len (msg) && a->media == NULL; i++)
    if (g_strcmp0 (gst_sdp_message_get_media (msg, i)->media, "audio") == 0)
      {
        a->index = i;
        a->media = gst_sdp_message_get_media (msg, i);
      }
  if (a->media == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   "the %s has no audio stream (no m=audio line)", what);
      return FALSE;
    }
  const GstSDPMedia *m = a->media;

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
                           "the %s has a bad a=rtpmap:%s (expected "
                           "'a=rtpmap:<payload type> <encoding>/<clock rate>')",
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

  a->formats = g_array_new (FALSE, TRUE, sizeof (Format));
  g_array_set_clear_func (a->formats, format_clear);
  for (guint i = 0; i < gst_sdp_media_formats_len (m); i++)
    {
      const char *fmt = gst_sdp_media_get_format (m, i);
      Format f = { 0 };
      if (!parse_uint (fmt, 127, &f.pt))
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                       "the %s lists '%s' in m=audio, which is not an RTP payload type (0-127)",
                       what, fmt);
          return FALSE;
        }
      const char *enc = g_hash_table_lookup (rtpmaps, GUINT_TO_POINTER (f.pt));
      if (enc)
        {
          guint clock = GPOINTER_TO_UINT (g_hash_table_lookup (clocks, GUINT_TO_POINTER (f.pt)));
          if (g_ascii_strcasecmp (enc, TRV_DTMF_CODEC_NAME) == 0)
            {
              if (clock == TRV_DTMF_CLOCK && a->dtmf_pt < 0)
                a->dtmf_pt = f.pt;
              continue;
            }
          f.codec = trv_codec_lookup_rtpmap (enc, clock);
          f.label = g_strdup_printf ("%s/%u", enc, clock);
        }
      else if (f.pt < 96 && (f.codec = trv_codec_lookup_static (f.pt)) != NULL)
        f.label = g_strdup_printf ("%s/%u", f.codec->name, f.codec->clock_rate);
      else
        f.label = g_strdup_printf ("payload type %u", f.pt);
      f.fmtp = g_strdup (g_hash_table_lookup (fmtps, GUINT_TO_POINTER (f.pt)));
      g_array_append_val (a->formats, f);
    }

  a->ep = trv_media_endpoint_new ();
  TrvMediaEndpoint *ep = a->ep;
  const GstSDPConnection *conn = gst_sdp_media_connections_len (m) > 0
                                 ? gst_sdp_media_get_connection (m, 0) : NULL;
  if (conn == NULL || conn->address == NULL)
    conn = gst_sdp_message_get_connection (msg);
  if (conn == NULL || conn->address == NULL || *conn->address == '\0')
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   "the %s has no connection address (no c= line at session or audio level)",
                   what);
      return FALSE;
    }
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (conn->address);
  if (inet == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   "the %s's connection address '%s' is not an IP address", what, conn->address);
      return FALSE;
    }
  ep->address = g_strdup (conn->address);
  ep->port = (guint16) gst_sdp_media_get_port (m);

  const char *ufrag = get_attribute (msg, m, "ice-ufrag");
  const char *pwd = get_attribute (msg, m, "ice-pwd");
  if (ufrag && *ufrag && pwd && *pwd)
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
                   "the %s disables the audio stream (m=audio with port 0) and has no ICE "
                   "attributes", what);
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
                       "the %s has a bad a=rtcp:%s (expected a port number)", what, rtcp);
          return FALSE;
        }
      ep->rtcp_port = (guint16) v;
    }
  ep->rtcp_mux = gst_sdp_media_get_attribute_val (m, "rtcp-mux") != NULL;

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
  a->ptime = ptime_str && parse_uint (ptime_str, 1000, &ptime) && ptime > 0 ? ptime : TRV_PTIME;
  return TRUE;
}

static gchar *
describe_formats (const Audio *a)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < a->formats->len; i++)
    {
      const Format *f = &g_array_index (a->formats, Format, i);
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", f->label);
    }
  if (a->dtmf_pt >= 0)
    g_string_append_printf (s, "%s" TRV_DTMF_CODEC_NAME, s->len ? ", " : "");
  if (s->len == 0)
    g_string_append (s, "no payload types");
  return g_string_free (s, FALSE);
}

static const Format *
find_codec (const Audio *a, const TrvCodec *codec)
{
  for (guint i = 0; i < a->formats->len; i++)
    if (g_array_index (a->formats, Format, i).codec == codec)
      return &g_array_index (a->formats, Format, i);
  return NULL;
}

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
new_session (const TrvMediaEndpoint *local, guint64 session_id, guint64 version)
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
  if (local->ice_ufrag && local->ice_lite)
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
  g_autofree gchar *rtpmap = g_strdup_printf ("%u " TRV_DTMF_CODEC_NAME "/%u", pt, TRV_DTMF_CLOCK);
  g_autofree gchar *fmtp = g_strdup_printf ("%u " TRV_DTMF_EVENTS, pt);
  gst_sdp_media_add_format (m, pt_str);
  gst_sdp_media_add_attribute (m, "rtpmap", rtpmap);
  gst_sdp_media_add_attribute (m, "fmtp", fmtp);
}

/* ptime, direction, RTCP, ICE and SDES lines shared by offer and answer. */
static void
add_audio_attributes (GstSDPMedia *m, const TrvMediaEndpoint *local, TrvDirection direction,
                      gboolean rtcp_mux, gboolean ice, guint crypto_tag)
{
  g_autofree gchar *ptime = g_strdup_printf ("%u", TRV_PTIME);
  gst_sdp_media_add_attribute (m, "ptime", ptime);
  gst_sdp_media_add_attribute (m, trv_direction_to_string (direction), NULL);
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
  if (crypto_tag > 0 && local->crypto_suite && local->crypto_key)
    {
      g_autofree gchar *crypto = g_strdup_printf ("%u %s inline:%s", crypto_tag,
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

  GstSDPMessage *msg = new_session (local, session_id, version);
  gboolean srtp = local->crypto_suite && local->crypto_key;
  GstSDPMedia m = { 0 };
  gst_sdp_media_init (&m);
  gst_sdp_media_set_media (&m, "audio");
  gst_sdp_media_set_port_info (&m, local->port, 1);
  gst_sdp_media_set_proto (&m, srtp ? "RTP/SAVP" : "RTP/AVP");

  g_autoptr(GPtrArray) codecs = configured_codecs (media);
  for (guint i = 0; i < codecs->len; i++)
    {
      const TrvCodec *codec = codecs->pdata[i];
      add_codec (&m, codec, codec->static_pt >= 0 ? (guint) codec->static_pt : (guint) codec->default_pt);
    }
  add_dtmf (&m, TRV_DTMF_PT);
  add_audio_attributes (&m, local, direction, local->rtcp_mux, TRUE, srtp ? 1 : 0);
  gst_sdp_message_add_media (msg, &m);
  return finish (msg);
}

/* The offered a=crypto line for our suite; FALSE with an error when SRTP is required
 * but impossible. *tag == 0: plain RTP. */
static gboolean
answer_crypto (const Audio *offer, const char *proto, const TrvMediaEndpoint *local,
               guint *tag, TrvMediaEndpoint *remote, GError **error)
{
  gboolean required = strstr (proto, "SAVP") != NULL;
  *tag = 0;
  if (local->crypto_suite && local->crypto_key)
    for (guint i = 0; i < offer->crypto->len; i++)
      {
        guint t = 0;
        g_autofree gchar *suite = NULL, *key = NULL;
        if (!parse_crypto (offer->crypto->pdata[i], &t, &suite, &key))
          {
            g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                         "the offer has a bad a=crypto:%s (expected "
                         "'a=crypto:<tag> <suite> inline:<base64 key>')",
                         (const char *) offer->crypto->pdata[i]);
            return FALSE;
          }
        if (strcmp (suite, local->crypto_suite) == 0)
          {
            *tag = t;
            remote->crypto_suite = g_steal_pointer (&suite);
            remote->crypto_key = g_steal_pointer (&key);
            return TRUE;
          }
      }
  if (required)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   "the offer requires SRTP (%s) with %s, but %s", proto,
                   offer->crypto->len ? "crypto suites we do not use" : "no a=crypto key",
                   local->crypto_suite ? "none matches ours" : "SRTP is not enabled here");
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

  GstSDPMessage *offer = parse_sdp (remote_offer, "offer", error);
  if (offer == NULL)
    return NULL;
  g_auto(Audio) audio = { 0 };
  if (!read_audio (offer, "offer", &audio, error))
    {
      gst_sdp_message_free (offer);
      return NULL;
    }
  const char *proto = gst_sdp_media_get_proto (audio.media);
  if (!proto_supported (proto))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   "the offer uses the media transport '%s'; Traverse speaks RTP/AVP and "
                   "RTP/SAVP (SDES) only", proto ? proto : "");
      gst_sdp_message_free (offer);
      return NULL;
    }

  g_autoptr(GPtrArray) codecs = configured_codecs (media);
  const Format *chosen = NULL;
  for (guint i = 0; i < codecs->len && chosen == NULL; i++)
    chosen = find_codec (&audio, codecs->pdata[i]);
  if (chosen == NULL)
    {
      g_autofree gchar *offered = describe_formats (&audio);
      g_autofree gchar *ours = describe_codecs (codecs);
      g_set_error (error, TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC,
                   "no common codec: the offer has %s; we accept %s", offered, ours);
      gst_sdp_message_free (offer);
      return NULL;
    }

  guint crypto_tag = 0;
  if (!answer_crypto (&audio, proto, local, &crypto_tag, audio.ep, error))
    {
      gst_sdp_message_free (offer);
      return NULL;
    }

  TrvDirection direction = trv_direction_answer (audio.direction, wanted);
  gboolean mux = audio.ep->rtcp_mux && local->rtcp_mux;
  /* ICE only when both sides do it (RFC 8445 fallback to plain RTP otherwise). */
  gboolean ice = local->ice_ufrag != NULL && audio.ep->ice_ufrag != NULL;

  GstSDPMessage *msg = new_session (local, session_id, version);
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
          add_audio_attributes (&m, local, direction, mux, ice, crypto_tag);
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
      n->ptime = audio.ptime;
      n->direction = direction;
      trv_media_endpoint_free (n->remote);
      n->remote = g_steal_pointer (&audio.ep);
      n->remote->rtcp_mux = mux;
      if (crypto_tag > 0)
        n->local_crypto_key = g_strdup (local->crypto_key);
      *negotiation = n;
    }
  gst_sdp_message_free (offer);
  return finish (msg);
}

/* The answer's a=crypto must pick one of our offered tags with the same suite. */
static gboolean
answer_crypto_result (const Audio *ours, const Audio *answer, const char *our_proto,
                      TrvNegotiation *n, GError **error)
{
  if (ours->crypto->len == 0)
    return TRUE;
  for (guint i = 0; i < answer->crypto->len; i++)
    {
      guint tag = 0;
      g_autofree gchar *suite = NULL, *key = NULL;
      if (!parse_crypto (answer->crypto->pdata[i], &tag, &suite, &key))
        {
          g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                       "the answer has a bad a=crypto:%s (expected "
                       "'a=crypto:<tag> <suite> inline:<base64 key>')",
                       (const char *) answer->crypto->pdata[i]);
          return FALSE;
        }
      for (guint j = 0; j < ours->crypto->len; j++)
        {
          guint our_tag = 0;
          g_autofree gchar *our_suite = NULL, *our_key = NULL;
          if (parse_crypto (ours->crypto->pdata[j], &our_tag, &our_suite, &our_key)
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
      g_set_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP,
                   "the answer to our SRTP offer has no a=crypto line matching ours");
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
  GstSDPMessage *offer = parse_sdp (local_offer, "offer", &local_error);
  g_auto(Audio) ours = { 0 };
  if (offer == NULL || !read_audio (offer, "offer", &ours, &local_error))
    {
      /* Our own offer came from create_offer; failing here is a bug, not the peer's. */
      g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED, "our own SDP offer is unusable: %s",
                   local_error->message);
      g_clear_pointer (&offer, gst_sdp_message_free);
      return NULL;
    }
  GstSDPMessage *answer = parse_sdp (remote_answer, "answer", error);
  g_auto(Audio) theirs = { 0 };
  if (answer == NULL || !read_audio (answer, "answer", &theirs, error))
    {
      gst_sdp_message_free (offer);
      g_clear_pointer (&answer, gst_sdp_message_free);
      return NULL;
    }

  /* The answerer already chose; its first codec that we offered wins. */
  const Format *chosen = NULL, *mine = NULL;
  for (guint i = 0; i < theirs.formats->len && chosen == NULL; i++)
    {
      const Format *f = &g_array_index (theirs.formats, Format, i);
      if (f->codec && (mine = find_codec (&ours, f->codec)) != NULL)
        chosen = f;
    }
  if (chosen == NULL)
    {
      g_autofree gchar *answered = describe_formats (&theirs);
      g_autofree gchar *offered = describe_formats (&ours);
      g_set_error (error, TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC,
                   "no common codec: the answer has %s; we offered %s", answered, offered);
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
  n->ptime = theirs.ptime;
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
