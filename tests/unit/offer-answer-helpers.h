/* SPDX-License-Identifier: GPL-3.0-or-later */
/* offer-answer-helpers.h: shared by the offer/answer unit tests. Peer SDP in these tests is
 * written out literally on purpose: it is the foreign input the code must cope with; our own
 * output is inspected with GstSDPMessage. */
#pragma once

#include <gst/sdp/sdp.h>
#include <string.h>

#include "trv-codec.h"
#include "trv-error.h"
#include "trv-offer-answer.h"

#define KEY_A "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"   /* 30 bytes decoded */
#define KEY_B "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CB"   /* 30 bytes decoded */

#define SESSION_HEAD \
  "v=0\r\no=peer 42 7 IN IP4 198.51.100.7\r\ns=call\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"

static inline TrvMediaConfig *
config_new (const char *codecs)
{
  TrvMediaConfig *c = g_new0 (TrvMediaConfig, 1);
  c->codecs = g_strsplit (codecs, ",", -1);
  c->jitter_ms = TRV_DEFAULT_JITTER_MS;
  return c;
}

static inline void
config_free (TrvMediaConfig *c)
{
  g_strfreev (c->codecs);
  g_free (c);
}

typedef TrvMediaConfig TestConfig;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestConfig, config_free)

static inline TrvMediaEndpoint *
endpoint_new (const char *address, guint16 port)
{
  TrvMediaEndpoint *ep = trv_media_endpoint_new ();
  ep->address = g_strdup (address);
  ep->port = port;
  return ep;
}

static inline GstSDPMessage *
parse (const char *text)
{
  GstSDPMessage *msg = NULL;
  g_assert_nonnull (text);
  gst_sdp_message_new (&msg);
  g_assert_cmpint (gst_sdp_message_parse_buffer ((const guint8 *) text, strlen (text), msg), ==,
                   GST_SDP_OK);
  return msg;
}

static inline const GstSDPMedia *
audio_of (const GstSDPMessage *msg)
{
  for (guint i = 0; i < gst_sdp_message_medias_len (msg); i++)
    if (g_strcmp0 (gst_sdp_message_get_media (msg, i)->media, "audio") == 0)
      return gst_sdp_message_get_media (msg, i);
  g_assert_not_reached ();
}

static inline gchar *
formats_of (const GstSDPMedia *m)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < gst_sdp_media_formats_len (m); i++)
    g_string_append_printf (s, "%s%s", i ? " " : "", gst_sdp_media_get_format (m, i));
  return g_string_free (s, FALSE);
}

static inline gboolean
has_attr_value (const GstSDPMedia *m, const char *key, const char *value)
{
  for (guint i = 0; i < gst_sdp_media_attributes_len (m); i++)
    {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
      if (g_strcmp0 (a->key, key) == 0 && (value == NULL || g_strcmp0 (a->value, value) == 0))
        return TRUE;
    }
  return FALSE;
}

/* Answers `offer` with default settings; asserts success. */
static inline gchar *
answer_ok (const char *offer, const char *codecs, TrvDirection wanted, TrvNegotiation **n)
{
  g_autoptr(TestConfig) cfg = config_new (codecs);
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  g_autoptr(GError) error = NULL;
  gchar *answer = trv_offer_answer_create_answer (offer, cfg, local, wanted, 1000, 1, n, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_nonnull (*n);
  return answer;
}

static inline void
assert_answer_error (const char *offer, gint code, const char *fragment)
{
  g_autoptr(TestConfig) cfg = config_new ("opus,G722,PCMU,PCMA");
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  g_autoptr(GError) error = NULL;
  TrvNegotiation *n = NULL;
  g_autofree gchar *answer =
    trv_offer_answer_create_answer (offer, cfg, local, TRV_DIRECTION_SENDRECV, 1, 1, &n, &error);
  g_assert_null (answer);
  g_assert_null (n);
  g_assert_error (error, TRV_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("error '%s' does not mention '%s'", error->message, fragment);
}

static inline TrvMediaEndpoint *
ice_endpoint (const char *address, guint16 port, const char *ufrag, const char *pwd)
{
  TrvMediaEndpoint *ep = endpoint_new (address, port);
  ep->rtcp_mux = TRUE;
  ep->ice_ufrag = g_strdup (ufrag);
  ep->ice_pwd = g_strdup (pwd);
  ep->ice_candidates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (ep->ice_candidates, g_strdup_printf (
                     "candidate:1 1 UDP 2015363327 %s %u typ host", address, port));
  g_ptr_array_add (ep->ice_candidates, g_strdup_printf (
                     "candidate:2 1 UDP 1679819007 203.0.113.4 %u typ srflx raddr %s rport %u",
                     port + 1000, address, port));
  return ep;
}

static inline void
assert_same_ice (const TrvMediaEndpoint *got, const TrvMediaEndpoint *want)
{
  g_assert_cmpstr (got->ice_ufrag, ==, want->ice_ufrag);
  g_assert_cmpstr (got->ice_pwd, ==, want->ice_pwd);
  g_assert_nonnull (got->ice_candidates);
  g_assert_cmpuint (got->ice_candidates->len, ==, want->ice_candidates->len);
  for (guint i = 0; i < want->ice_candidates->len; i++)
    g_assert_cmpstr (got->ice_candidates->pdata[i], ==, want->ice_candidates->pdata[i]);
}
