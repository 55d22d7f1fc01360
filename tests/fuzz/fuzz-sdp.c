/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-sdp.c: SDP from a peer, both ways it arrives: as an offer we answer (with and without
 * SRTP keys of our own) and as the answer to our offer. */
#include <glib.h>

#include "fuzz-common.h"
#include <stdint.h>

#include "trv-error.h"
#include "trv-offer-answer.h"

typedef struct {
  TrvMediaConfig *media;
  TrvMediaEndpoint *plain;
  TrvMediaEndpoint *secure;
  gchar *offer;
  gchar *secure_offer;
} Fixture;

static TrvMediaEndpoint *
endpoint_new (gboolean crypto)
{
  TrvMediaEndpoint *ep = trv_media_endpoint_new ();
  ep->address = g_strdup ("127.0.0.1");
  ep->port = 40000;
  ep->rtcp_mux = TRUE;
  ep->ice_ufrag = g_strdup ("fuzz");
  ep->ice_pwd = g_strdup ("fuzzfuzzfuzzfuzzfuzzfuzz");
  ep->ice_candidates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (ep->ice_candidates,
                   g_strdup ("1 1 UDP 2130706431 127.0.0.1 40000 typ host"));
  if (crypto)
    {
      ep->crypto_suite = g_strdup ("AES_CM_128_HMAC_SHA1_80");
      ep->crypto_key = g_strdup ("WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz");
      ep->crypto_optional = TRUE;
    }
  return ep;
}

static const Fixture *
fixture (void)
{
  static Fixture f;
  if (f.media == NULL)
    {
      f.media = trv_media_config_new ();   /* every codec: opus, G722, PCMU, PCMA */
      f.plain = endpoint_new (FALSE);
      f.secure = endpoint_new (TRUE);
      f.offer = trv_offer_answer_create_offer (f.media, f.plain, TRV_DIRECTION_SENDRECV, 1, 1);
      f.secure_offer = trv_offer_answer_create_offer (f.media, f.secure, TRV_DIRECTION_SENDRECV,
                                                      1, 1);
    }
  return &f;
}

static void
check_answer (const char *remote, const TrvMediaEndpoint *local)
{
  const Fixture *f = fixture ();
  g_autoptr(TrvNegotiation) n = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *answer = trv_offer_answer_create_answer (remote, f->media, local,
                                                             TRV_DIRECTION_SENDRECV, 2, 1, &n,
                                                             &error);
  if (answer == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TRV_ERROR);
      return;
    }
  /* An accepted offer gives a negotiation with a codec and a peer to send to. */
  g_assert_nonnull (n);
  g_assert_nonnull (n->codec);
  g_assert_nonnull (n->remote);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const Fixture *f = fixture ();
  g_autofree gchar *text = g_strndup ((const char *) data, size);

  check_answer (text, f->plain);
  check_answer (text, f->secure);

  const char *offers[] = { f->offer, f->secure_offer };
  for (guint i = 0; i < G_N_ELEMENTS (offers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TrvNegotiation) n = trv_offer_answer_parse_answer (offers[i], text, &error);
      if (n == NULL)
        g_assert_true (error != NULL && error->domain == TRV_ERROR);
      else
        g_assert_nonnull (n->codec);
    }
  return 0;
}
