/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-srtp.c: SDES keys, a=crypto parsing, the account policy in offer/answer, and two
 * media sessions over loopback UDP protected with both suites (tones checked with
 * trv-tone; a wrong key must leave the receiver with nothing but silence). Also checks
 * the live quality property of the media session. */
#include <glib/gstdio.h>
#include <string.h>

#include "trv-error.h"
#include "trv-media-session.h"
#include "trv-srtp.h"
#include "trv-user-agent.h"
#include "trv-test-util.h"
#include "trv-offer-answer.h"
#include "trv-enum.h"
#include "trv-config-enums.h"

#define KEY_A "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk"   /* 30 bytes */
#define KEY_B "MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0"   /* 30 bytes */
#define WAIT_LIMIT_MS 8000
#define TONE_A 1000
#define TONE_B 600

/* --- keys and parsing ---------------------------------------------------------------- */

static void
test_keys (void)
{
  g_autofree gchar *k1 = trv_srtp_generate_key ();
  g_autofree gchar *k2 = trv_srtp_generate_key ();
  gsize n = 0;
  g_autofree guchar *raw = g_base64_decode (k1, &n);
  g_assert_cmpuint (n, ==, TRV_SRTP_KEY_LEN);
  g_assert_cmpstr (k1, !=, k2);
  g_assert_cmpuint (strlen (k1), ==, 40);
}

static void
test_parse (void)
{
  guint tag;
  g_autoptr(GError) error = NULL;
  gchar *suite = NULL, *key = NULL;

  g_assert_true (trv_srtp_parse_crypto ("1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A "|2^20|1:32",
                                        &tag, &suite, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tag, ==, 1);
  g_assert_cmpstr (suite, ==, TRV_SRTP_SUITE_80);
  g_assert_cmpstr (key, ==, KEY_A);
  g_clear_pointer (&suite, g_free);
  g_clear_pointer (&key, g_free);

  /* Tag 0 is valid; session parameters after the key are allowed. */
  g_assert_true (trv_srtp_parse_crypto ("0 AES_CM_128_HMAC_SHA1_32 inline:" KEY_B " KDR=0",
                                        &tag, &suite, &key, &error));
  g_assert_cmpuint (tag, ==, 0);
  g_assert_cmpstr (suite, ==, TRV_SRTP_SUITE_32);
  g_clear_pointer (&suite, g_free);
  g_clear_pointer (&key, g_free);

  /* Unknown suites parse (the caller skips them); their key length is not ours to judge. */
  g_assert_true (trv_srtp_parse_crypto ("2 AEAD_AES_256_GCM inline:c2hvcnQ=", &tag, &suite,
                                        &key, &error));
  g_assert_false (trv_srtp_suite_supported (suite));
  g_clear_pointer (&suite, g_free);
  g_clear_pointer (&key, g_free);

  static const char *const bad[] = {
    "", "1", "1 AES_CM_128_HMAC_SHA1_80", "x AES_CM_128_HMAC_SHA1_80 inline:" KEY_A,
    "1 AES_CM_128_HMAC_SHA1_80 " KEY_A, "1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=",
    "1 AES_CM_128_HMAC_SHA1_80 inline:", "-1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A,
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_error (&error);
      g_assert_false (trv_srtp_parse_crypto (bad[i], &tag, &suite, &key, &error));
      g_assert_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP);
      g_assert_null (suite);
    }
  g_clear_error (&error);
  g_assert_false (trv_srtp_parse_crypto (NULL, &tag, &suite, &key, &error));
}

static void
test_policy_strings (void)
{
  gint p;
  g_assert_true (trv_enum_from_nick (TRV_TYPE_SRTP_POLICY, "Mandatory", &p));
  g_assert_cmpint (p, ==, TRV_SRTP_MANDATORY);
  g_assert_true (trv_enum_from_nick (TRV_TYPE_SRTP_POLICY, "off", &p));
  g_assert_cmpint (p, ==, TRV_SRTP_OFF);
  g_assert_false (trv_enum_from_nick (TRV_TYPE_SRTP_POLICY, "on", &p));
  g_assert_false (trv_enum_from_nick (TRV_TYPE_SRTP_POLICY, NULL, &p));
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_SRTP_POLICY, TRV_SRTP_OPTIONAL), ==, "optional");
}

/* --- policy in offer/answer --------------------------------------------------------- */

static TrvMediaEndpoint *
endpoint (guint16 port)
{
  TrvMediaEndpoint *ep = trv_media_endpoint_new ();
  ep->address = g_strdup ("127.0.0.1");
  ep->port = port;
  ep->rtcp_mux = TRUE;
  return ep;
}

static void
test_offer_policy (void)
{
  g_autoptr(TrvMediaConfig) cfg = trv_media_config_new ();
  g_autoptr(GError) error = NULL;
  TrvSrtpSettings s = { TRV_SRTP_OFF, TRUE, FALSE };
  g_autoptr(TrvMediaEndpoint) ep = endpoint (4000);

  /* off: no crypto. */
  g_assert_true (trv_srtp_prepare_offer (&s, KEY_A, ep, &error));
  g_assert_null (ep->crypto_key);

  /* optional over TLS: best effort, RTP/AVP with a=crypto. */
  s.policy = TRV_SRTP_OPTIONAL;
  g_assert_true (trv_srtp_prepare_offer (&s, KEY_A, ep, &error));
  g_assert_cmpstr (ep->crypto_suite, ==, TRV_SRTP_SUITE_80);
  g_assert_true (ep->crypto_optional);
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, ep, TRV_DIRECTION_SENDRECV, 1, 1);
  g_assert_nonnull (strstr (offer, "RTP/AVP "));
  g_assert_nonnull (strstr (offer, "a=crypto:"));

  /* mandatory over TLS: RTP/SAVP. */
  s.policy = TRV_SRTP_MANDATORY;
  g_assert_true (trv_srtp_prepare_offer (&s, KEY_A, ep, &error));
  g_assert_false (ep->crypto_optional);
  g_autofree gchar *offer2 = trv_offer_answer_create_offer (cfg, ep, TRV_DIRECTION_SENDRECV, 1, 2);
  g_assert_nonnull (strstr (offer2, "RTP/SAVP "));

  /* Plain signalling: optional sends no keys, mandatory is a config error... */
  s.secure_signalling = FALSE;
  s.policy = TRV_SRTP_OPTIONAL;
  g_assert_true (trv_srtp_prepare_offer (&s, KEY_A, ep, &error));
  g_assert_null (ep->crypto_key);
  s.policy = TRV_SRTP_MANDATORY;
  g_assert_false (trv_srtp_prepare_offer (&s, KEY_A, ep, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "srtp-over-insecure"));
  g_clear_error (&error);
  /* ...unless the user accepted the risk. */
  s.allow_insecure = TRUE;
  g_assert_true (trv_srtp_prepare_offer (&s, KEY_A, ep, &error));
  g_assert_cmpstr (ep->crypto_key, ==, KEY_A);
}

#define HEAD "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"

static void
test_answer_policy (void)
{
  g_autoptr(GError) error = NULL;
  TrvSrtpSettings s = { TRV_SRTP_OPTIONAL, TRUE, FALSE };
  g_autoptr(TrvMediaEndpoint) ep = endpoint (4002);

  /* Only _32 offered: accepted. */
  const char *only32 = HEAD "m=audio 5000 RTP/SAVP 0\r\n"
                            "a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:" KEY_A "\r\n";
  g_assert_true (trv_srtp_prepare_answer (&s, KEY_B, only32, ep, &error));
  g_assert_cmpstr (ep->crypto_suite, ==, TRV_SRTP_SUITE_32);
  g_assert_cmpstr (ep->crypto_key, ==, KEY_B);
  g_autoptr(TrvMediaConfig) cfg = trv_media_config_new ();
  TrvNegotiation *nb = NULL;
  g_autofree gchar *answer = trv_offer_answer_create_answer (only32, cfg, ep,
                                                             TRV_DIRECTION_SENDRECV, 2, 1,
                                                             &nb, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:" KEY_B));
  g_assert_cmpstr (nb->local_crypto_key, ==, KEY_B);
  g_assert_cmpstr (nb->remote->crypto_key, ==, KEY_A);
  trv_negotiation_free (nb);

  /* Unknown and bad lines are skipped; our preference (_80) wins over offer order. */
  const char *mixed = HEAD "m=audio 5000 RTP/SAVP 0\r\n"
                           "a=crypto:1 AEAD_AES_256_GCM inline:c2hvcnQ=\r\n"
                           "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=\r\n"
                           "a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:" KEY_A "\r\n"
                                                                              "a=crypto:4 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A "\r\n";
  g_assert_true (trv_srtp_prepare_answer (&s, KEY_B, mixed, ep, &error));
  g_assert_cmpstr (ep->crypto_suite, ==, TRV_SRTP_SUITE_80);

  /* No crypto: optional answers plain... */
  const char *plain = HEAD "m=audio 5000 RTP/AVP 0\r\n";
  g_assert_true (trv_srtp_prepare_answer (&s, KEY_B, plain, ep, &error));
  g_assert_null (ep->crypto_suite);
  /* ...mandatory fails with the reason the user sees. */
  s.policy = TRV_SRTP_MANDATORY;
  g_assert_false (trv_srtp_prepare_answer (&s, KEY_B, plain, ep, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_SRTP_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "does not support encrypted media (SRTP), which "
                                            "this account requires"));
  g_clear_error (&error);
  const char *unknown = HEAD "m=audio 5000 RTP/SAVP 0\r\n"
                             "a=crypto:1 AEAD_AES_256_GCM inline:c2hvcnQ=\r\n";
  g_assert_false (trv_srtp_prepare_answer (&s, KEY_B, unknown, ep, &error));
  g_assert_nonnull (strstr (error->message, "AEAD_AES_256_GCM"));
  g_clear_error (&error);
  const char *broken = HEAD "m=audio 5000 RTP/SAVP 0\r\n"
                            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=\r\n";
  g_assert_false (trv_srtp_prepare_answer (&s, KEY_B, broken, ep, &error));
  g_assert_nonnull (strstr (error->message, "malformed"));
  g_clear_error (&error);
  /* Garbage is not a crash: no usable crypto. */
  g_assert_false (trv_srtp_prepare_answer (&s, KEY_B, "not sdp", ep, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_SRTP_UNSUPPORTED);
  g_clear_error (&error);

  /* Policy off answering an SAVP offer: offer/answer refuses it (488 in the call). */
  s.policy = TRV_SRTP_OFF;
  g_assert_true (trv_srtp_prepare_answer (&s, KEY_B, only32, ep, &error));
  g_assert_null (ep->crypto_suite);
  g_autofree gchar *refused = trv_offer_answer_create_answer (only32, cfg, ep,
                                                              TRV_DIRECTION_SENDRECV, 2, 1,
                                                              NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  /* Optional offer (RTP/AVP + a=crypto) to a peer without SRTP: plain RTP both ways. */
  TrvSrtpSettings off = { TRV_SRTP_OFF, TRUE, FALSE };
  TrvSrtpSettings opt = { TRV_SRTP_OPTIONAL, TRUE, FALSE };
  g_autoptr(TrvMediaEndpoint) ea = endpoint (4004);
  g_assert_true (trv_srtp_prepare_offer (&opt, KEY_A, ea, &error));
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, ea, TRV_DIRECTION_SENDRECV, 1, 1);
  g_assert_true (trv_srtp_prepare_answer (&off, NULL, offer, ep, &error));
  g_autofree gchar *plain_answer = trv_offer_answer_create_answer (offer, cfg, ep,
                                                                   TRV_DIRECTION_SENDRECV, 2, 1,
                                                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (plain_answer, "a=crypto"));
  g_autoptr(TrvNegotiation) na = trv_offer_answer_parse_answer (offer, plain_answer, &error);
  g_assert_no_error (error);
  g_assert_null (na->local_crypto_key);
}

/* A refusal of our keys is told by its code, not its (translated) message: the call
 * turns only TRV_ERROR_SRTP_UNSUPPORTED into "the peer does not support encrypted media". */
static void
test_answer_classification (void)
{
  g_autoptr(TrvMediaConfig) cfg = trv_media_config_new ();
  g_autoptr(GError) error = NULL;
  TrvSrtpSettings s = { TRV_SRTP_MANDATORY, TRUE, FALSE };
  g_autoptr(TrvMediaEndpoint) ep = endpoint (4006);
  g_assert_true (trv_srtp_prepare_offer (&s, KEY_A, ep, &error));
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, ep, TRV_DIRECTION_SENDRECV, 1, 1);
  g_assert_nonnull (strstr (offer, "RTP/SAVP "));

  /* No a=crypto, a bad one, and one that matches none of our tags. */
  const char *const refusals[] = {
    HEAD "m=audio 5000 RTP/AVP 0\r\n",
    HEAD "m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=\r\n",
    HEAD "m=audio 5000 RTP/SAVP 0\r\na=crypto:9 AES_CM_128_HMAC_SHA1_80 inline:" KEY_B "\r\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      TrvNegotiation *n = trv_offer_answer_parse_answer (offer, refusals[i], &error);
      g_assert_null (n);
      g_assert_error (error, TRV_ERROR, TRV_ERROR_SRTP_UNSUPPORTED);
      g_clear_error (&error);
    }

  /* Malformed SDP keeps its own code, even when its message quotes "a=crypto" (the
   * message test this replaces took the last one for a refusal). */
  const char *const malformed[] = {
    "not sdp",
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/SAVP 0\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_B "\r\n",
    HEAD "m=audio 5000 RTP/SAVP 0\r\na=rtpmap:0 a=crypto\r\n"
         "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_B "\r\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      TrvNegotiation *n = trv_offer_answer_parse_answer (offer, malformed[i], &error);
      g_assert_null (n);
      g_assert_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP);
      if (i == G_N_ELEMENTS (malformed) - 1)
        g_assert_nonnull (strstr (error->message, "a=crypto"));
      g_clear_error (&error);
    }

  /* The same answer with a matching key is accepted: the refusals above are about keys. */
  g_autofree gchar *good = g_strdup_printf (HEAD "m=audio 5000 RTP/SAVP 0\r\n"
                                                 "a=crypto:1 %s inline:" KEY_B "\r\n",
                                            TRV_SRTP_SUITE_80);
  g_autoptr(TrvNegotiation) ok = trv_offer_answer_parse_answer (offer, good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ok->local_crypto_key, ==, KEY_A);
}

/* --- media over loopback ------------------------------------------------------------- */

typedef struct {
  gchar *dir;
  gchar *tone_a, *tone_b, *rec_a, *rec_b;
  TrvMediaTransport *ta, *tb;
  TrvMediaSession *ma, *mb;
  TrvNegotiation *na, *nb;
  guint first_rtp_a, first_rtp_b;
  guint quality_notifies_a;
  GError *error;
} Fixture;

static gboolean
tone_check (const char *path, int freq, gboolean present)
{
  return trv_test_tone_check (path, freq, present ? "0.6" : NULL, "0.3") == 0;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  if (trv_test_tone_tool () == NULL)
    return;
  f->dir = trv_test_tmp_dir ("trv-srtp-XXXXXX");
  f->tone_a = g_build_filename (f->dir, "a.wav", NULL);
  f->tone_b = g_build_filename (f->dir, "b.wav", NULL);
  f->rec_a = g_build_filename (f->dir, "rec-a.wav", NULL);
  f->rec_b = g_build_filename (f->dir, "rec-b.wav", NULL);
  trv_test_tone_generate (f->tone_a, TONE_A);
  trv_test_tone_generate (f->tone_b, TONE_B);
  f->ta = trv_test_udp_transport (WAIT_LIMIT_MS);
  f->tb = trv_test_udp_transport (WAIT_LIMIT_MS);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->dir == NULL)
    return;
  trv_test_media_clear (&f->ma, &f->mb, &f->ta, &f->tb, &f->na, &f->nb);
  g_clear_error (&f->error);
  trv_test_remove_file (&f->tone_a);
  trv_test_remove_file (&f->tone_b);
  trv_test_remove_file (&f->rec_a);
  trv_test_remove_file (&f->rec_b);
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Real offer/answer between A (offer, suite of `suite`) and B. */
static void
negotiate (Fixture *f, const char *suite, gboolean mux)
{
  g_autoptr(TrvMediaConfig) cfg = trv_media_config_new ();
  g_strfreev (cfg->codecs);
  cfg->codecs = g_strsplit ("PCMU", ",", -1);
  g_autoptr(TrvMediaEndpoint) ea = trv_media_endpoint_new ();
  g_autoptr(TrvMediaEndpoint) eb = trv_media_endpoint_new ();
  trv_media_transport_describe (f->ta, ea);
  trv_media_transport_describe (f->tb, eb);
  TrvSrtpSettings s = { TRV_SRTP_MANDATORY, TRUE, FALSE };
  g_autoptr(GError) error = NULL;
  g_assert_true (trv_srtp_prepare_offer (&s, KEY_A, ea, &error));
  g_free (ea->crypto_suite);
  ea->crypto_suite = g_strdup (suite);
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, ea, TRV_DIRECTION_SENDRECV, 1, 1);
  g_assert_true (trv_srtp_prepare_answer (&s, KEY_B, offer, eb, &error));
  g_assert_cmpstr (eb->crypto_suite, ==, suite);
  g_autofree gchar *answer = trv_offer_answer_create_answer (offer, cfg, eb,
                                                             TRV_DIRECTION_SENDRECV, 2, 1,
                                                             &f->nb, &error);
  g_assert_no_error (error);
  f->na = trv_offer_answer_parse_answer (offer, answer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->na->local_crypto_key, ==, KEY_A);
  g_assert_cmpstr (f->na->remote->crypto_key, ==, KEY_B);
  g_assert_cmpstr (f->nb->local_crypto_key, ==, KEY_B);
  g_assert_cmpstr (f->nb->remote->crypto_suite, ==, suite);
  f->na->remote->rtcp_mux = f->nb->remote->rtcp_mux = mux;
}

static void
on_first_rtp (TrvMediaSession *m, guint *count)
{
  (*count)++;
}

static void
on_quality (GObject *m, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
on_error (TrvMediaSession *m, GError *error, Fixture *f)
{
  if (f->error == NULL)
    f->error = g_error_copy (error);
}

static TrvMediaSession *
new_session (TrvMediaTransport *t, const char *play, const char *record)
{
  g_autoptr(TrvMediaOptions) o = trv_media_options_new ();
  o->play_file = g_strdup (play);
  o->record_file = g_strdup (record);
  o->jitter_ms = 40;
  return trv_media_session_new (t, o);
}

static void
run_both (Fixture *f, guint ms)
{
  g_autoptr(GError) error = NULL;
  f->ma = new_session (f->ta, f->tone_a, f->rec_a);
  f->mb = new_session (f->tb, f->tone_b, f->rec_b);
  g_signal_connect (f->ma, "first-rtp", G_CALLBACK (on_first_rtp), &f->first_rtp_a);
  g_signal_connect (f->mb, "first-rtp", G_CALLBACK (on_first_rtp), &f->first_rtp_b);
  g_signal_connect (f->ma, "notify::quality", G_CALLBACK (on_quality), &f->quality_notifies_a);
  g_signal_connect (f->ma, "error", G_CALLBACK (on_error), f);
  g_signal_connect (f->mb, "error", G_CALLBACK (on_error), f);
  g_assert_true (trv_media_session_start (f->ma, f->na, &error));
  g_assert_no_error (error);
  g_assert_true (trv_media_session_start (f->mb, f->nb, &error));
  g_assert_no_error (error);
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end && f->error == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
test_media (Fixture *f, gconstpointer data)
{
  if (f->dir == NULL)
    {
      g_test_skip ("TRV_TONE is not set (run through meson test)");
      return;
    }
  const char *suite = data;
  gboolean mux = g_strcmp0 (suite, TRV_SRTP_SUITE_80) == 0;
  negotiate (f, suite, mux);
  run_both (f, 3500);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->first_rtp_a, ==, 1);
  g_assert_cmpuint (f->first_rtp_b, ==, 1);

  /* Live quality: notified on RTCP, sane figures for a clean loopback call. */
  TrvQuality q;
  g_assert_true (trv_media_session_get_quality (f->ma, &q));
  g_test_message ("quality: rtt %.2f ms, loss %.1f %%, jitter %.2f ms, R %.1f, MOS %.2f "
                  "(%u notifications)", q.rtt_ms, q.loss_pct, q.jitter_ms, q.r, q.mos,
                  f->quality_notifies_a);
  g_assert_cmpuint (f->quality_notifies_a, >=, 1);
  g_assert_cmpfloat (q.loss_pct, <, 2.0);
  g_assert_cmpfloat (q.mos, >, 4.0);

  trv_media_session_stop (f->ma);
  trv_media_session_stop (f->mb);
  g_assert_true (tone_check (f->rec_b, TONE_A, TRUE));
  g_assert_true (tone_check (f->rec_a, TONE_B, TRUE));
}

/* B decrypts with a key A never used: authentication fails and no audio gets through,
 * which a pipeline that did not really encrypt could not show. */
static void
test_wrong_key (Fixture *f, gconstpointer data)
{
  if (f->dir == NULL)
    {
      g_test_skip ("TRV_TONE is not set (run through meson test)");
      return;
    }
  negotiate (f, TRV_SRTP_SUITE_80, TRUE);
  g_free (f->nb->remote->crypto_key);
  f->nb->remote->crypto_key = g_strdup (KEY_B);
  run_both (f, 2500);
  g_assert_no_error (f->error);
  trv_media_session_stop (f->ma);
  trv_media_session_stop (f->mb);
  g_assert_true (tone_check (f->rec_a, TONE_B, TRUE));
  /* Nothing decodable reached B: no audio recorded at all, or none with A's tone. */
  GStatBuf st;
  if (g_stat (f->rec_b, &st) == 0 && st.st_size > 44)
    g_assert_true (tone_check (f->rec_b, TONE_A, FALSE));
  else
    g_test_message ("B recorded no audio (%s)", g_file_test (f->rec_b, G_FILE_TEST_EXISTS)
                                                ? "empty file" : "no file");
}

/* --- calls between two in-process agents ------------------------------------------------ */

typedef struct {
  TrvUserAgent *alice, *bob;
  TrvCall *call;           /* alice's call to bob */
  TrvCall *bob_call;
  guint quality_signals;
  TrvQuality last;
} CallState;

static TrvUserAgent *
make_agent (const char *user, TrvSrtpPolicy policy)
{
  g_autoptr(TrvAccountConfig) acc = trv_test_account_new (user);
  acc->srtp = policy;
  acc->srtp_over_insecure = TRUE;   /* loopback UDP signalling */
  return trv_test_agent_start (acc);
}

static void
on_incoming (TrvUserAgent *agent, TrvCall *call, CallState *st)
{
  g_set_object (&st->bob_call, call);
  trv_call_answer (call, NULL);
}

static void
on_call_quality (TrvCall *call, TrvQuality *q, CallState *st)
{
  st->quality_signals++;
  st->last = *q;
}

static gboolean
has_quality_signal (gpointer st)
{
  return ((CallState *) st)->quality_signals > 0;
}

/* Alice (alice_policy) dials bob (bob_policy), who answers whatever rings; the call
 * returned belongs to `st` until call_finish(). */
static TrvCall *
call_start (CallState *st, TrvSrtpPolicy alice_policy, TrvSrtpPolicy bob_policy)
{
  st->alice = make_agent ("alice", alice_policy);
  st->bob = make_agent ("bob", bob_policy);
  g_signal_connect (st->bob, "incoming-call", G_CALLBACK (on_incoming), st);
  g_autoptr(GError) error = NULL;
  TrvCall *call = trv_user_agent_dial (st->alice, trv_user_agent_get_contact_uri (st->bob),
                                       &error);
  g_assert_no_error (error);
  st->call = g_object_ref (call);
  return st->call;
}

static void
call_finish (CallState *st)
{
  g_signal_handlers_disconnect_by_data (st->call, st);
  g_signal_handlers_disconnect_by_data (st->bob, st);
  trv_test_agent_shutdown (st->alice, WAIT_LIMIT_MS);
  trv_test_agent_shutdown (st->bob, WAIT_LIMIT_MS);
  g_clear_object (&st->bob_call);
  g_object_unref (st->call);
  g_object_unref (st->alice);
  g_object_unref (st->bob);
}

/* Mandatory on both sides: the call is encrypted and the call view gets quality figures. */
static void
test_call_quality (void)
{
  CallState st = { 0 };
  TrvCall *call = call_start (&st, TRV_SRTP_MANDATORY, TRV_SRTP_MANDATORY);
  g_signal_connect (call, "quality-changed", G_CALLBACK (on_call_quality), &st);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, call, WAIT_LIMIT_MS));
  const TrvNegotiation *n = trv_call_get_negotiation (call);
  g_assert_nonnull (n->local_crypto_key);
  g_assert_cmpstr (n->remote->crypto_suite, ==, TRV_SRTP_SUITE_80);
  g_assert_cmpstr (n->local_crypto_key, !=, n->remote->crypto_key);
  g_assert_true (trv_test_wait_for (has_quality_signal, &st, WAIT_LIMIT_MS));
  g_test_message ("call quality: rtt %.2f ms, loss %.1f %%, MOS %.2f", st.last.rtt_ms,
                  st.last.loss_pct, st.last.mos);
  g_assert_cmpfloat (st.last.mos, >, 4.0);
  TrvQuality q;
  g_assert_true (trv_call_get_quality (call, &q));
  g_assert_cmpfloat (q.mos, >, 4.0);
  trv_call_hangup (call);
  call_finish (&st);
}

/* A mandatory caller and a callee with SRTP off: 488, and the reason at the caller. */
static void
test_call_mandatory_refused (void)
{
  CallState st = { 0 };
  TrvCall *call = call_start (&st, TRV_SRTP_MANDATORY, TRV_SRTP_OFF);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, call, WAIT_LIMIT_MS));
  g_assert_cmpuint (trv_call_get_sip_status (call), ==, 488);
  const GError *reason = trv_call_get_error (call);
  g_assert_nonnull (reason);
  g_test_message ("reason: %s", reason->message);
  g_assert_nonnull (strstr (reason->message, "does not support encrypted media (SRTP), which "
                                             "this account requires"));
  call_finish (&st);
}

/* The callee requires SRTP, the caller has it off: 488 with a reason naming SRTP. */
static void
test_call_callee_requires (void)
{
  CallState st = { 0 };
  TrvCall *call = call_start (&st, TRV_SRTP_OFF, TRV_SRTP_MANDATORY);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, call, WAIT_LIMIT_MS));
  g_assert_cmpuint (trv_call_get_sip_status (call), ==, 488);
  const GError *reason = trv_call_get_error (call);
  g_assert_nonnull (reason);
  g_test_message ("reason: %s", reason->message);
  g_assert_nonnull (strstr (reason->message, "requires encrypted media (SRTP), which is off "
                                             "for this account"));
  /* The call never rang at bob. */
  g_assert_null (st.bob_call);
  call_finish (&st);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/srtp/keys", test_keys);
  g_test_add_func ("/srtp/parse", test_parse);
  g_test_add_func ("/srtp/policy-strings", test_policy_strings);
  g_test_add_func ("/srtp/offer-policy", test_offer_policy);
  g_test_add_func ("/srtp/answer-policy", test_answer_policy);
  g_test_add_func ("/srtp/answer-classification", test_answer_classification);
  g_test_add ("/srtp/media/AES_CM_128_HMAC_SHA1_80-mux", Fixture, TRV_SRTP_SUITE_80,
              fixture_setup, test_media, fixture_teardown);
  g_test_add ("/srtp/media/AES_CM_128_HMAC_SHA1_32-no-mux", Fixture, TRV_SRTP_SUITE_32,
              fixture_setup, test_media, fixture_teardown);
  g_test_add ("/srtp/media/wrong-key", Fixture, NULL, fixture_setup, test_wrong_key,
              fixture_teardown);
  g_test_add_func ("/srtp/call/quality", test_call_quality);
  g_test_add_func ("/srtp/call/mandatory-refused", test_call_mandatory_refused);
  g_test_add_func ("/srtp/call/callee-requires", test_call_callee_requires);
  return g_test_run ();
}
