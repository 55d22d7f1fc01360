/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bad and odd SDP from peers: precise errors for malformed input, CRLF and LF, connection
 * address levels, several streams, and deterministic mutations that must never crash. */
#include <gst/gst.h>

#include "offer-answer-helpers.h"

/* --- malformed ------------------------------------------------------------------------- */

static void
test_malformed (void)
{
  assert_answer_error ("hello world", TRV_ERROR_MALFORMED_SDP, "expected 'v=0'");
  assert_answer_error ("", TRV_ERROR_MALFORMED_SDP, "empty");
  assert_answer_error (NULL, TRV_ERROR_MALFORMED_SDP, "empty");
  assert_answer_error ("v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\nthis is not sdp\r\n",
                       TRV_ERROR_MALFORMED_SDP, "invalid line 3");
  assert_answer_error (SESSION_HEAD "m=video 5006 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n",
                       TRV_ERROR_MALFORMED_SDP, "no audio stream");
  assert_answer_error (SESSION_HEAD, TRV_ERROR_MALFORMED_SDP, "no audio stream");
  assert_answer_error ("v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nt=0 0\r\n"
                       "m=audio 5004 RTP/AVP 0\r\n",
                       TRV_ERROR_MALFORMED_SDP, "no connection address");
  assert_answer_error ("v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 pbx.invalid\r\n"
                       "t=0 0\r\nm=audio 5004 RTP/AVP 0\r\n",
                       TRV_ERROR_MALFORMED_SDP, "'pbx.invalid' is not an IP address");
  assert_answer_error (SESSION_HEAD "m=audio 0 RTP/AVP 0\r\n", TRV_ERROR_MALFORMED_SDP, "port 0");
  assert_answer_error (SESSION_HEAD "m=audio five RTP/AVP 0\r\n", TRV_ERROR_MALFORMED_SDP,
                       "bad media line");
  assert_answer_error (SESSION_HEAD "m=audio 5004 RTP/AVP 96\r\na=rtpmap:96 opus\r\n",
                       TRV_ERROR_MALFORMED_SDP, "bad a=rtpmap:96 opus");
  assert_answer_error (SESSION_HEAD "m=audio 5004 RTP/AVP 96\r\na=rtpmap:x opus/48000\r\n",
                       TRV_ERROR_MALFORMED_SDP, "bad a=rtpmap");
  assert_answer_error (SESSION_HEAD "m=audio 5004 RTP/AVP abc\r\n", TRV_ERROR_MALFORMED_SDP,
                       "'abc'");
  assert_answer_error (SESSION_HEAD "m=audio 5004 RTP/AVP 0\r\na=rtcp:none\r\n",
                       TRV_ERROR_MALFORMED_SDP, "bad a=rtcp");
  assert_answer_error (SESSION_HEAD "m=audio 5004 RTP/AVP 0\r\na=ice-ufrag:abcd\r\n",
                       TRV_ERROR_MALFORMED_SDP, "a=ice-ufrag without a=ice-pwd");
  assert_answer_error (SESSION_HEAD "m=audio 5004 UDP/TLS/RTP/SAVPF 0\r\n",
                       TRV_ERROR_NOT_AVAILABLE, "UDP/TLS/RTP/SAVPF");

  /* The same checks guard the answer we receive. */
  g_autoptr(TestConfig) cfg = config_new ("PCMU");
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, local, TRV_DIRECTION_SENDRECV, 5, 1);
  g_autoptr(GError) error = NULL;
  TrvNegotiation *n = trv_offer_answer_parse_answer (offer, "garbage", &error);
  g_assert_null (n);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP);
  g_assert_nonnull (strstr (error->message, "answer"));
  g_clear_error (&error);
  n = trv_offer_answer_parse_answer (offer, SESSION_HEAD "m=audio 0 RTP/AVP 0\r\n", &error);
  g_assert_null (n);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP);
  g_clear_error (&error);
  n = trv_offer_answer_parse_answer (offer, SESSION_HEAD "m=audio 5004 RTP/AVP 8\r\n", &error);
  g_assert_null (n);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC);
  g_assert_nonnull (strstr (error->message, "PCMA/8000"));
}

/* --- line endings, structure ----------------------------------------------------------- */

static void
test_crlf_and_lf (void)
{
  const char *crlf = SESSION_HEAD "m=audio 5004 RTP/AVP 96 101\r\na=rtpmap:96 opus/48000/2\r\n"
                                  "a=rtpmap:101 telephone-event/8000\r\na=ice-ufrag:UfRg\r\na=ice-pwd:pwdpwdpwdpwdpwdpwdpwdpw\r\n"
                                  "a=candidate:1 1 UDP 2130706431 198.51.100.7 5004 typ host\r\na=sendonly\r\n";
  g_autoptr(GRegex) re = g_regex_new ("\r\n", 0, 0, NULL);
  g_autofree gchar *lf = g_regex_replace_literal (re, crlf, -1, 0, "\n", 0, NULL);
  g_assert_null (strchr (lf, '\r'));

  const char *inputs[] = { crlf, lf };
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(TrvNegotiation) n = NULL;
      g_autofree gchar *answer = answer_ok (inputs[i], "opus", TRV_DIRECTION_SENDRECV, &n);
      g_assert_cmpuint (n->send_pt, ==, 96);
      g_assert_cmpint (n->send_dtmf_pt, ==, 101);
      g_assert_cmpint (n->direction, ==, TRV_DIRECTION_RECVONLY);
      g_assert_cmpstr (n->remote->ice_ufrag, ==, "UfRg");
      g_assert_cmpstr (n->remote->ice_pwd, ==, "pwdpwdpwdpwdpwdpwdpwdpw");
      g_assert_cmpstr (n->remote->ice_candidates->pdata[0], ==,
                       "candidate:1 1 UDP 2130706431 198.51.100.7 5004 typ host");
      g_assert_cmpstr (n->remote->address, ==, "198.51.100.7");
    }
}

static void
test_connection_levels_and_streams (void)
{
  /* Media-level c= wins over session level; video is declined with port 0. */
  const char *offer = SESSION_HEAD
                      "m=video 5006 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                      "m=audio 5004 RTP/AVP 0\r\nc=IN IP4 203.0.113.9\r\n";
  g_autoptr(TrvNegotiation) n = NULL;
  g_autofree gchar *answer = answer_ok (offer, "PCMU", TRV_DIRECTION_SENDRECV, &n);
  g_assert_cmpstr (n->remote->address, ==, "203.0.113.9");
  GstSDPMessage *msg = parse (answer);
  g_assert_cmpuint (gst_sdp_message_medias_len (msg), ==, 2);
  const GstSDPMedia *video = gst_sdp_message_get_media (msg, 0);
  g_assert_cmpstr (video->media, ==, "video");
  g_assert_cmpuint (gst_sdp_media_get_port (video), ==, 0);
  g_assert_cmpuint (gst_sdp_media_get_port (gst_sdp_message_get_media (msg, 1)), ==, 40000);
  gst_sdp_message_free (msg);

  /* A disabled audio stream before the live one: answer the live one, decline the other. */
  const char *two = SESSION_HEAD "m=audio 0 RTP/AVP 8\r\nm=audio 5008 RTP/AVP 0\r\n";
  g_autoptr(TrvNegotiation) n2 = NULL;
  g_autofree gchar *answer2 = answer_ok (two, "PCMU,PCMA", TRV_DIRECTION_SENDRECV, &n2);
  g_assert_cmpuint (n2->remote->port, ==, 5008);
  g_assert_cmpstr (n2->codec->name, ==, "PCMU");
  msg = parse (answer2);
  g_assert_cmpuint (gst_sdp_media_get_port (gst_sdp_message_get_media (msg, 0)), ==, 0);
  g_assert_cmpuint (gst_sdp_media_get_port (gst_sdp_message_get_media (msg, 1)), ==, 40000);
  gst_sdp_message_free (msg);
}

/* Bad input never crashes and always gets one of the documented errors. Deterministic. */
static void
test_mutations (void)
{
  const char *base = SESSION_HEAD "m=audio 5004 RTP/SAVP 96 0 101\r\n"
                                  "a=rtpmap:96 opus/48000/2\r\na=fmtp:96 useinbandfec=1\r\na=rtpmap:101 telephone-event/8000\r\n"
                                  "a=rtcp-mux\r\na=rtcp:5005\r\na=ice-ufrag:UfRg\r\na=ice-pwd:pwdpwdpwdpwdpwdpwdpwdpw\r\n"
                                  "a=candidate:1 1 UDP 2130706431 198.51.100.7 5004 typ host\r\n"
                                  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A "\r\na=sendonly\r\n";
  g_autoptr(TestConfig) cfg = config_new ("opus,PCMU");
  g_autoptr(TrvMediaEndpoint) local = ice_endpoint ("192.0.2.10", 40000, "lUfr", "localpassword0123456789");
  local->crypto_suite = g_strdup ("AES_CM_128_HMAC_SHA1_80");
  local->crypto_key = g_strdup (KEY_B);
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, local, TRV_DIRECTION_SENDRECV, 1, 1);
  GRand *rand = g_rand_new_with_seed (20240601);
  guint answered = 0, refused = 0;
  for (guint i = 0; i < 3000; i++)
    {
      GString *s = g_string_new (base);
      guint edits = g_rand_int_range (rand, 1, 4);
      for (guint e = 0; e < edits && s->len > 0; e++)
        {
          guint pos = g_rand_int_range (rand, 0, (gint32) s->len);
          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0: g_string_erase (s, pos, 1); break;
            case 1: s->str[pos] = (char) g_rand_int_range (rand, 32, 127); break;
            case 2: g_string_truncate (s, pos); break;
            default: g_string_insert_c (s, pos, " :/=\n0"[g_rand_int_range (rand, 0, 6)]); break;
            }
        }
      g_autoptr(GError) error = NULL;
      TrvNegotiation *n = NULL;
      g_autofree gchar *answer = trv_offer_answer_create_answer (s->str, cfg, local,
                                                                 TRV_DIRECTION_SENDRECV, 1, 1,
                                                                 &n, &error);
      if (answer)
        {
          g_assert_no_error (error);
          g_assert_nonnull (n->codec);
          g_assert_nonnull (n->remote->address);
          answered++;
          trv_negotiation_free (n);
        }
      else
        {
          g_assert_null (n);
          g_assert_nonnull (error);
          g_assert_true (error->domain == TRV_ERROR);
          g_assert_true (error->code == TRV_ERROR_MALFORMED_SDP
                         || error->code == TRV_ERROR_NO_COMMON_CODEC
                         || error->code == TRV_ERROR_NOT_AVAILABLE);
          g_assert_cmpuint (strlen (error->message), >, 10);
          refused++;
        }
      /* The same text as an answer to our offer. */
      g_autoptr(GError) error2 = NULL;
      TrvNegotiation *p = trv_offer_answer_parse_answer (offer, s->str, &error2);
      g_assert_true ((p != NULL) == (error2 == NULL));
      trv_negotiation_free (p);
      g_string_free (s, TRUE);
    }
  g_rand_free (rand);
  g_test_message ("mutated offers: %u answered, %u refused", answered, refused);
  /* Both outcomes must occur, or the mutations test nothing. */
  g_assert_cmpuint (answered, >, 100);
  g_assert_cmpuint (refused, >, 100);
}
int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sdp-input/malformed", test_malformed);
  g_test_add_func ("/sdp-input/crlf-and-lf", test_crlf_and_lf);
  g_test_add_func ("/sdp-input/connection-levels", test_connection_levels_and_streams);
  g_test_add_func ("/sdp-input/mutations", test_mutations);
  return g_test_run ();
}
