/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-sip-body.c: SDP bodies by Content-Type (RFC 3261 8.2.3), multipart bodies
 * through sofia's MIME parser, Accept (RFC 3261 21.4.7) and Warning text. */
#include "config.h"

#include "trv-sip-body.h"

#include <sofia-sip/msg_mime.h>
#include <sofia-sip/msg_parser.h>
#include <string.h>

#define SDP_TYPE "application/sdp"

static gboolean
is_type (const msg_content_type_t *c, const char *type)
{
  return c && c->c_type && g_ascii_strcasecmp (c->c_type, type) == 0;
}

static gchar *
sdp_in_multipart (const sip_t *sip)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  gchar *sdp = NULL;
  /* msg_multipart_parse() takes the payload as non-const but only reads it. */
  msg_multipart_t *mp = msg_multipart_parse (home, sip->sip_content_type,
                                             (msg_payload_t *) sip->sip_payload);
  for (msg_multipart_t *part = mp; part && sdp == NULL; part = part->mp_next)
    if (is_type (part->mp_content_type, SDP_TYPE) && part->mp_payload &&
        part->mp_payload->pl_len > 0)
      sdp = g_strndup (part->mp_payload->pl_data, part->mp_payload->pl_len);
  g_debug ("multipart body (%s): %s", sip->sip_content_type->c_type,
           mp == NULL ? "unparsable" : sdp ? "SDP part found" : "no SDP part");
  su_home_deinit (home);
  return sdp;
}

gboolean
trv_sip_body_sdp (const sip_t *sip, gchar **sdp)
{
  *sdp = NULL;
  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0)
    return TRUE;
  const msg_content_type_t *c = sip->sip_content_type;
  if (is_type (c, SDP_TYPE))
    {
      *sdp = g_strndup (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
      return TRUE;
    }
  if (c && c->c_type && g_ascii_strncasecmp (c->c_type, "multipart/", 10) == 0)
    *sdp = sdp_in_multipart (sip);
  return *sdp != NULL;
}

gboolean
trv_sip_accepts_sdp (const sip_t *sip)
{
  if (sip == NULL || sip->sip_accept == NULL)
    return TRUE;
  /* An empty Accept means that no body is acceptable. */
  for (const sip_accept_t *a = sip->sip_accept; a; a = a->ac_next)
    if (a->ac_type && (g_ascii_strcasecmp (a->ac_type, SDP_TYPE) == 0 ||
                       g_ascii_strcasecmp (a->ac_type, "application/*") == 0 ||
                       strcmp (a->ac_type, "*/*") == 0))
      return TRUE;
  return FALSE;
}

gchar *
trv_sip_warning (guint code, const char *text)
{
  /* The reason may quote the peer's own SDP: no control characters in a header. */
  g_autofree gchar *valid = g_utf8_make_valid (text ? text : "", -1);
  for (gchar *p = valid; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  /* sofia's quoted-string encoder: quotes, and escapes '"' and '\\' */
  issize_t len = msg_unquoted_e (NULL, 0, valid);
  g_autofree gchar *quoted = g_malloc0 (len + 1);
  msg_unquoted_e (quoted, len + 1, valid);
  return g_strdup_printf ("%u traverse %s", code, quoted);
}
