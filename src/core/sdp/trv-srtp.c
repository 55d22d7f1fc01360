/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-srtp.c: SDES-keyed SRTP (RFC 4568) for one audio session: keys, suites, offer/answer.
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

/* Our preference order when answering. */
static const char *const suites[] = { TRV_SRTP_SUITE_80, TRV_SRTP_SUITE_32, NULL };

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
      trv_invalid_config (
        error, "account.srtp",
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
