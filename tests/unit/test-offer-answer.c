/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SDP offer/answer: codec choice, payload type mapping, hold, DTMF, ICE, RTCP, SRTP.
 * Bad and odd input is covered by test-sdp-input.c. */
#include <gst/gst.h>
#include <nice/agent.h>

#include "offer-answer-helpers.h"
#include "trv-enum.h"
#include "trv-sdp-enums.h"

/* --- codec table ----------------------------------------------------------------------- */

static void
test_codec_table (void)
{
  const TrvCodec *const *all = trv_codec_all ();
  g_assert_cmpstr (all[0]->name, ==, "opus");
  g_assert_cmpstr (all[1]->name, ==, "G722");
  g_assert_cmpstr (all[2]->name, ==, "PCMU");
  g_assert_cmpstr (all[3]->name, ==, "PCMA");
  g_assert_null (all[4]);

  g_assert_true (trv_codec_lookup ("OPUS") == all[0]);
  g_assert_true (trv_codec_lookup ("g722") == all[1]);
  g_assert_null (trv_codec_lookup ("speex"));
  g_assert_null (trv_codec_lookup (NULL));
  g_assert_true (trv_codec_lookup_rtpmap ("OPUS", 48000) == all[0]);
  g_assert_null (trv_codec_lookup_rtpmap ("opus", 8000));
  g_assert_true (trv_codec_lookup_rtpmap ("g722", 8000) == all[1]);
  g_assert_null (trv_codec_lookup_rtpmap ("G722", 16000));
  g_assert_true (trv_codec_lookup_static (0) == all[2]);
  g_assert_true (trv_codec_lookup_static (8) == all[3]);
  g_assert_true (trv_codec_lookup_static (9) == all[1]);
  g_assert_null (trv_codec_lookup_static (3));
  g_assert_null (trv_codec_lookup_static (111));

  g_assert_cmpuint (all[0]->sample_rate, ==, 48000);
  g_assert_cmpuint (all[0]->channels, ==, 2);
  g_assert_cmpint (all[0]->static_pt, ==, -1);
  g_assert_cmpint (all[0]->default_pt, ==, 111);
  g_assert_cmpuint (all[1]->sample_rate, ==, 16000);
  g_assert_cmpuint (all[1]->clock_rate, ==, 8000);
  g_assert_cmpuint (all[2]->sample_rate, ==, 8000);
  g_assert_cmpuint (all[3]->sample_rate, ==, 8000);

  /* The a=ptime we ask for: 10 ms Opus (less delay), 20 ms for the others. */
  g_assert_cmpuint (all[0]->ptime, ==, 10);
  g_assert_cmpuint (all[1]->ptime, ==, 20);
  g_assert_cmpuint (all[2]->ptime, ==, 20);
  g_assert_cmpuint (all[3]->ptime, ==, 20);

  g_autofree gchar *names = trv_codec_names_joined ();
  g_assert_cmpstr (names, ==, "opus, G722, PCMU, PCMA");
}

/* Every element description must build: catches a renamed element or property. */
static void
test_codec_elements (void)
{
  for (const TrvCodec *const *c = trv_codec_all (); *c; c++)
    {
      g_autofree gchar *send = g_strdup_printf ("%s ! %s", (*c)->encoder, (*c)->payloader);
      g_autofree gchar *recv = g_strdup_printf ("%s ! %s", (*c)->depayloader, (*c)->decoder);
      const char *descs[] = { send, recv };
      for (guint i = 0; i < G_N_ELEMENTS (descs); i++)
        {
          g_autoptr(GError) error = NULL;
          GstElement *bin = gst_parse_bin_from_description (descs[i], TRUE, &error);
          if (error && g_error_matches (error, GST_PARSE_ERROR, GST_PARSE_ERROR_NO_SUCH_ELEMENT))
            {
              g_test_skip (error->message);
              return;
            }
          g_assert_no_error (error);
          g_assert_nonnull (bin);
          gst_object_unref (bin);
        }
    }
}

/* --- offers ---------------------------------------------------------------------------- */

static void
test_offer_default (void)
{
  g_autoptr(TestConfig) cfg = config_new ("opus,G722,PCMU,PCMA");
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  g_autofree gchar *offer =
    trv_offer_answer_create_offer (cfg, local, TRV_DIRECTION_SENDRECV, 123456789012ULL, 3);
  g_assert_true (g_str_has_prefix (offer, "v=0\r\n"));

  GstSDPMessage *msg = parse (offer);
  const GstSDPOrigin *o = gst_sdp_message_get_origin (msg);
  g_assert_cmpstr (o->sess_id, ==, "123456789012");
  g_assert_cmpstr (o->sess_version, ==, "3");
  g_assert_cmpstr (o->addr, ==, "192.0.2.10");
  g_assert_cmpstr (gst_sdp_message_get_connection (msg)->address, ==, "192.0.2.10");
  g_assert_cmpstr (gst_sdp_message_get_connection (msg)->addrtype, ==, "IP4");
  g_assert_cmpuint (gst_sdp_message_medias_len (msg), ==, 1);

  const GstSDPMedia *m = audio_of (msg);
  g_autofree gchar *fmts = formats_of (m);
  g_assert_cmpstr (fmts, ==, "111 9 0 8 101");
  g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 40000);
  g_assert_cmpstr (gst_sdp_media_get_proto (m), ==, "RTP/AVP");
  g_assert_true (has_attr_value (m, "rtpmap", "111 opus/48000/2"));
  g_assert_true (has_attr_value (m, "fmtp", "111 minptime=10;useinbandfec=1"));
  g_assert_true (has_attr_value (m, "rtpmap", "9 G722/8000"));
  g_assert_true (has_attr_value (m, "rtpmap", "0 PCMU/8000"));
  g_assert_true (has_attr_value (m, "rtpmap", "8 PCMA/8000"));
  g_assert_true (has_attr_value (m, "rtpmap", "101 telephone-event/8000"));
  g_assert_true (has_attr_value (m, "fmtp", "101 0-16"));
  /* Opus leads: we ask for 10 ms packets. */
  g_assert_true (has_attr_value (m, "ptime", "10"));
  g_assert_false (has_attr_value (m, "ptime", "20"));
  g_assert_true (has_attr_value (m, "sendrecv", NULL));
  g_assert_false (has_attr_value (m, "rtcp-mux", NULL));
  g_assert_false (has_attr_value (m, "rtcp", NULL));
  g_assert_false (has_attr_value (m, "ice-ufrag", NULL));
  g_assert_false (has_attr_value (m, "crypto", NULL));
  gst_sdp_message_free (msg);

  /* Configured order and subset, unknown and duplicate names dropped; IPv6. */
  g_autoptr(TestConfig) some = config_new ("pcma,speex,PCMU,PCMA");
  g_autoptr(TrvMediaEndpoint) v6 = endpoint_new ("2001:db8::5", 40002);
  g_autofree gchar *offer2 = trv_offer_answer_create_offer (some, v6, TRV_DIRECTION_SENDONLY, 1, 1);
  msg = parse (offer2);
  m = audio_of (msg);
  g_autofree gchar *fmts2 = formats_of (m);
  g_assert_cmpstr (fmts2, ==, "8 0 101");
  g_assert_cmpstr (gst_sdp_message_get_connection (msg)->addrtype, ==, "IP6");
  g_assert_true (has_attr_value (m, "sendonly", NULL));
  g_assert_false (has_attr_value (m, "sendrecv", NULL));
  /* G.711 leads: 20 ms, as before. */
  g_assert_true (has_attr_value (m, "ptime", "20"));
  g_assert_false (has_attr_value (m, "ptime", "10"));
  gst_sdp_message_free (msg);
}

/* --- answers: codec choice ------------------------------------------------------------- */

static void
test_answer_our_preference (void)
{
  const char *offer = SESSION_HEAD
                      "m=audio 5004 RTP/AVP 8 0 9\r\n"
                      "a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:9 G722/8000\r\n";
  g_autoptr(TrvNegotiation) n = NULL;
  g_autofree gchar *answer = answer_ok (offer, "opus,G722,PCMU,PCMA", TRV_DIRECTION_SENDRECV, &n);
  g_assert_cmpstr (n->codec->name, ==, "G722");
  g_assert_cmpuint (n->send_pt, ==, 9);
  g_assert_cmpuint (n->recv_pt, ==, 9);
  g_assert_cmpstr (n->remote->address, ==, "198.51.100.7");
  g_assert_cmpuint (n->remote->port, ==, 5004);
  g_assert_cmpuint (n->ptime, ==, 20);
  g_assert_cmpint (n->direction, ==, TRV_DIRECTION_SENDRECV);

  GstSDPMessage *msg = parse (answer);
  const GstSDPMedia *m = audio_of (msg);
  g_autofree gchar *fmts = formats_of (m);
  g_assert_cmpstr (fmts, ==, "9");
  g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 40000);
  g_assert_true (has_attr_value (m, "rtpmap", "9 G722/8000"));
  g_assert_true (has_attr_value (m, "ptime", "20"));
  g_assert_cmpstr (gst_sdp_message_get_connection (msg)->address, ==, "192.0.2.10");
  gst_sdp_message_free (msg);

  /* Same offer, but we prefer PCMU over PCMA: the peer's order does not decide. */
  g_autoptr(TrvNegotiation) n2 = NULL;
  g_autofree gchar *answer2 = answer_ok (offer, "PCMU,PCMA", TRV_DIRECTION_SENDRECV, &n2);
  g_assert_cmpstr (n2->codec->name, ==, "PCMU");
  g_assert_cmpuint (n2->send_pt, ==, 0);
}

static void
test_answer_dynamic_pt (void)
{
  const char *offer = SESSION_HEAD
                      "m=audio 5004 RTP/AVP 96 0\r\n"
                      "a=rtpmap:96 opus/48000/2\r\na=fmtp:96 useinbandfec=1; stereo=0\r\n"
                      "a=rtpmap:0 PCMU/8000\r\na=ptime:40\r\n";
  g_autoptr(TrvNegotiation) n = NULL;
  g_autofree gchar *answer = answer_ok (offer, "opus,PCMU", TRV_DIRECTION_SENDRECV, &n);
  g_assert_true (n->codec == trv_codec_lookup ("opus"));
  g_assert_cmpuint (n->send_pt, ==, 96);
  g_assert_cmpuint (n->recv_pt, ==, 96);
  g_assert_cmpstr (n->send_fmtp, ==, "useinbandfec=1; stereo=0");
  g_assert_cmpuint (n->ptime, ==, 40);

  GstSDPMessage *msg = parse (answer);
  const GstSDPMedia *m = audio_of (msg);
  g_autofree gchar *fmts = formats_of (m);
  g_assert_cmpstr (fmts, ==, "96");
  g_assert_true (has_attr_value (m, "rtpmap", "96 opus/48000/2"));
  g_assert_true (has_attr_value (m, "fmtp", "96 minptime=10;useinbandfec=1"));
  g_assert_false (has_attr_value (m, "rtpmap", "111 opus/48000/2"));
  /* We ask for 10 ms Opus packets; we send the peer's 40. */
  g_assert_true (has_attr_value (m, "ptime", "10"));
  gst_sdp_message_free (msg);
}

/* What we send follows the peer's a=ptime (RFC 7587: 20 ms when absent), capped by its
 * a=maxptime: 10 ms Opus packets only for a peer that allows them. */
static void
test_answer_send_ptime (void)
{
  static const struct { const char *lines; guint ptime; } cases[] = {
    { "", 20 },
    { "a=ptime:20\r\n", 20 },
    { "a=ptime:10\r\n", 10 },
    { "a=ptime:20\r\na=maxptime:10\r\n", 10 },
    { "a=ptime:10\r\na=maxptime:40\r\n", 10 },
    { "a=maxptime:60\r\n", 20 },
    { "a=ptime:abc\r\na=maxptime:x\r\n", 20 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *offer = g_strdup_printf (SESSION_HEAD
                                                 "m=audio 5004 RTP/AVP 96\r\na=rtpmap:96 opus/48000/2\r\n%s", cases[i].lines);
      g_autoptr(TrvNegotiation) n = NULL;
      g_autofree gchar *answer = answer_ok (offer, "opus,PCMU", TRV_DIRECTION_SENDRECV, &n);
      g_assert_cmpuint (n->ptime, ==, cases[i].ptime);
    }

  /* The answerer's a=maxptime caps what we send too. */
  g_autoptr(TestConfig) cfg = config_new ("opus");
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, local, TRV_DIRECTION_SENDRECV, 1, 1);
  const char *answer = SESSION_HEAD "m=audio 5004 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n"
                                    "a=ptime:20\r\na=maxptime:10\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNegotiation) n = trv_offer_answer_parse_answer (offer, answer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n->ptime, ==, 10);
}

static void
test_answer_unknown_skipped (void)
{
  const char *offer = SESSION_HEAD
                      "m=audio 5004 RTP/AVP 97 98 3 18 13 0\r\n"
                      "a=rtpmap:97 speex/16000\r\na=rtpmap:98 iLBC/8000\r\na=fmtp:98 mode=30\r\n"
                      "a=rtpmap:13 CN/8000\r\na=rtpmap:0 PCMU/8000\r\n";
  g_autoptr(TrvNegotiation) n = NULL;
  g_autofree gchar *answer = answer_ok (offer, "opus,G722,PCMU,PCMA", TRV_DIRECTION_SENDRECV, &n);
  g_assert_cmpstr (n->codec->name, ==, "PCMU");
  g_assert_cmpuint (n->send_pt, ==, 0);
  g_assert_null (n->send_fmtp);
  GstSDPMessage *msg = parse (answer);
  g_autofree gchar *fmts = formats_of (audio_of (msg));
  g_assert_cmpstr (fmts, ==, "0");
  gst_sdp_message_free (msg);

  /* opus at a clock rate it does not have is not opus. */
  const char *odd = SESSION_HEAD "m=audio 5004 RTP/AVP 96 8\r\na=rtpmap:96 opus/8000\r\n";
  g_autoptr(TrvNegotiation) n2 = NULL;
  g_autofree gchar *answer2 = answer_ok (odd, "opus,PCMA", TRV_DIRECTION_SENDRECV, &n2);
  g_assert_cmpstr (n2->codec->name, ==, "PCMA");
}

static void
test_answer_static_without_rtpmap (void)
{
  const char *offer = SESSION_HEAD "m=audio 5004 RTP/AVP 8 9\r\n";
  g_autoptr(TrvNegotiation) n = NULL;
  g_autofree gchar *answer = answer_ok (offer, "G722,PCMA", TRV_DIRECTION_SENDRECV, &n);
  g_assert_cmpstr (n->codec->name, ==, "G722");
  g_assert_cmpuint (n->send_pt, ==, 9);

  g_autoptr(TrvNegotiation) n2 = NULL;
  g_autofree gchar *answer2 = answer_ok (offer, "PCMA,G722", TRV_DIRECTION_SENDRECV, &n2);
  g_assert_cmpstr (n2->codec->name, ==, "PCMA");
  g_assert_cmpuint (n2->send_pt, ==, 8);
  GstSDPMessage *msg = parse (answer2);
  /* We write the rtpmap even for static types. */
  g_assert_true (has_attr_value (audio_of (msg), "rtpmap", "8 PCMA/8000"));
  gst_sdp_message_free (msg);
}

static void
test_answer_no_common_codec (void)
{
  const char *offer = SESSION_HEAD
                      "m=audio 5004 RTP/AVP 97 3 8\r\na=rtpmap:97 speex/16000\r\n";
  g_autoptr(TestConfig) cfg = config_new ("opus,G722,PCMU");
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  g_autoptr(GError) error = NULL;
  TrvNegotiation *n = NULL;
  g_autofree gchar *answer =
    trv_offer_answer_create_answer (offer, cfg, local, TRV_DIRECTION_SENDRECV, 1, 1, &n, &error);
  g_assert_null (answer);
  g_assert_null (n);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NO_COMMON_CODEC);
  /* The message says what the peer offered and what we accept. */
  g_assert_nonnull (strstr (error->message, "speex/16000"));
  g_assert_nonnull (strstr (error->message, "payload type 3"));
  g_assert_nonnull (strstr (error->message, "PCMA/8000"));
  g_assert_nonnull (strstr (error->message, "opus, G722, PCMU"));
}

/* Offers whose media cannot work are refused with a reason (issue 13, items 7 and 8). */
static void
test_answer_unreachable_media (void)
{
  static const struct { const char *c; const char *extra; const char *says; } bad[] = {
    { "IN IP4 255.255.255.255", "", "broadcast" },
    { "IN IP4 224.2.1.1/127", "", "multicast" },
    { "IN IP6 ff0e::101", "", "multicast" },
    { "IN IP4 0.0.0.0", "a=sendrecv\r\n", "0.0.0.0" },
    { "IN IP6 2001:db8::10", "", "IPv6" },
  };
  g_autoptr(TestConfig) cfg = config_new ("PCMU");
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree gchar *offer = g_strdup_printf ("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
                                                 "c=%s\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n%s",
                                                 bad[i].c, bad[i].extra);
      g_autoptr(GError) error = NULL;
      TrvNegotiation *n = NULL;
      g_autofree gchar *answer =
        trv_offer_answer_create_answer (offer, cfg, local, TRV_DIRECTION_SENDRECV, 1, 1, &n,
                                        &error);
      g_assert_null (answer);
      g_assert_null (n);
      g_assert_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE);
      g_assert_nonnull (strstr (error->message, bad[i].says));
    }
  /* c=0.0.0.0 without a direction is the RFC 2543 hold: fine. */
  const char *hold = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\n"
                     "t=0 0\r\nm=audio 5004 RTP/AVP 0\r\n";
  g_autoptr(GError) error = NULL;
  TrvNegotiation *n = NULL;
  g_autofree gchar *answer =
    trv_offer_answer_create_answer (hold, cfg, local, TRV_DIRECTION_SENDRECV, 1, 1, &n, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  trv_negotiation_free (n);
  /* A port beyond 65535 is not cut down to 16 bits. */
  const char *port = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
                     "t=0 0\r\nm=audio 70000 RTP/AVP 0\r\n";
  g_autoptr(GError) port_error = NULL;
  g_autofree gchar *port_answer =
    trv_offer_answer_create_answer (port, cfg, local, TRV_DIRECTION_SENDRECV, 1, 1, NULL,
                                    &port_error);
  g_assert_null (port_answer);
  g_assert_error (port_error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP);
}

/* --- directions ------------------------------------------------------------------------ */

static void
test_direction_table (void)
{
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_DIRECTION, TRV_DIRECTION_SENDRECV), ==, "sendrecv");
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_DIRECTION, TRV_DIRECTION_SENDONLY), ==, "sendonly");
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_DIRECTION, TRV_DIRECTION_RECVONLY), ==, "recvonly");
  g_assert_cmpstr (trv_enum_to_nick (TRV_TYPE_DIRECTION, TRV_DIRECTION_INACTIVE), ==, "inactive");
  g_assert_true (trv_direction_can_send (TRV_DIRECTION_SENDONLY));
  g_assert_false (trv_direction_can_receive (TRV_DIRECTION_SENDONLY));
  g_assert_false (trv_direction_can_send (TRV_DIRECTION_INACTIVE));

  static const struct { TrvDirection offered, wanted, expect; } table[] = {
    { TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV },
    { TRV_DIRECTION_SENDONLY, TRV_DIRECTION_SENDRECV, TRV_DIRECTION_RECVONLY },
    { TRV_DIRECTION_RECVONLY, TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDONLY },
    { TRV_DIRECTION_INACTIVE, TRV_DIRECTION_SENDRECV, TRV_DIRECTION_INACTIVE },
    { TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDONLY, TRV_DIRECTION_SENDONLY },
    { TRV_DIRECTION_SENDONLY, TRV_DIRECTION_SENDONLY, TRV_DIRECTION_INACTIVE },
    { TRV_DIRECTION_RECVONLY, TRV_DIRECTION_RECVONLY, TRV_DIRECTION_INACTIVE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    g_assert_cmpint (trv_direction_answer (table[i].offered, table[i].wanted), ==, table[i].expect);
}

static void
check_hold (const char *direction_line, TrvDirection wanted, TrvDirection expect)
{
  g_autofree gchar *offer = g_strconcat (SESSION_HEAD "m=audio 5004 RTP/AVP 0\r\n",
                                         direction_line, NULL);
  g_autoptr(TrvNegotiation) n = NULL;
  g_autofree gchar *answer = answer_ok (offer, "PCMU", wanted, &n);
  g_assert_cmpint (n->direction, ==, expect);
  GstSDPMessage *msg = parse (answer);
  g_assert_true (has_attr_value (audio_of (msg), trv_enum_to_nick (TRV_TYPE_DIRECTION, expect), NULL));
  gst_sdp_message_free (msg);
}

static void
test_answer_hold (void)
{
  check_hold ("a=sendonly\r\n", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_RECVONLY);
  check_hold ("a=inactive\r\n", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_INACTIVE);
  check_hold ("a=recvonly\r\n", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDONLY);
  check_hold ("", TRV_DIRECTION_SENDRECV, TRV_DIRECTION_SENDRECV);
  /* We hold (want sendonly) while the peer offers sendrecv. */
  check_hold ("a=sendrecv\r\n", TRV_DIRECTION_SENDONLY, TRV_DIRECTION_SENDONLY);
  check_hold ("a=sendonly\r\n", TRV_DIRECTION_SENDONLY, TRV_DIRECTION_INACTIVE);

  /* Session-level direction applies when the media has none. */
  const char *session_level = "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\n"
                              "c=IN IP4 198.51.100.7\r\nt=0 0\r\na=sendonly\r\nm=audio 5004 RTP/AVP 0\r\n";
  g_autoptr(TrvNegotiation) n = NULL;
  g_autofree gchar *a1 = answer_ok (session_level, "PCMU", TRV_DIRECTION_SENDRECV, &n);
  g_assert_cmpint (n->direction, ==, TRV_DIRECTION_RECVONLY);

  /* RFC 2543 hold with c=0.0.0.0. */
  const char *old_hold = "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\n"
                         "c=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n";
  g_autoptr(TrvNegotiation) n2 = NULL;
  g_autofree gchar *a2 = answer_ok (old_hold, "PCMU", TRV_DIRECTION_SENDRECV, &n2);
  g_assert_cmpint (n2->direction, ==, TRV_DIRECTION_RECVONLY);
}

/* Our hold re-offer (sendonly) answered with recvonly: we may send, not receive. */
static void
test_parse_answer_hold (void)
{
  g_autoptr(TestConfig) cfg = config_new ("PCMU");
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, local, TRV_DIRECTION_SENDONLY, 5, 2);
  g_autoptr(TrvMediaEndpoint) peer = endpoint_new ("198.51.100.7", 5004);
  g_autoptr(TrvNegotiation) peer_n = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *answer = trv_offer_answer_create_answer (offer, cfg, peer,
                                                             TRV_DIRECTION_SENDRECV, 9, 1,
                                                             &peer_n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (peer_n->direction, ==, TRV_DIRECTION_RECVONLY);
  g_autoptr(TrvNegotiation) n = trv_offer_answer_parse_answer (offer, answer, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n->direction, ==, TRV_DIRECTION_SENDONLY);
  g_assert_cmpstr (n->remote->address, ==, "198.51.100.7");
  g_assert_cmpuint (n->remote->port, ==, 5004);
}

/* --- telephone-event ------------------------------------------------------------------- */

static void
test_dtmf (void)
{
  const char *with = SESSION_HEAD "m=audio 5004 RTP/AVP 0 100\r\n"
                                  "a=rtpmap:100 telephone-event/8000\r\na=fmtp:100 0-15\r\n";
  g_autoptr(TrvNegotiation) n = NULL;
  g_autofree gchar *answer = answer_ok (with, "PCMU", TRV_DIRECTION_SENDRECV, &n);
  g_assert_cmpint (n->send_dtmf_pt, ==, 100);
  g_assert_cmpint (n->recv_dtmf_pt, ==, 100);
  GstSDPMessage *msg = parse (answer);
  const GstSDPMedia *m = audio_of (msg);
  g_autofree gchar *fmts = formats_of (m);
  g_assert_cmpstr (fmts, ==, "0 100");
  g_assert_true (has_attr_value (m, "rtpmap", "100 telephone-event/8000"));
  g_assert_true (has_attr_value (m, "fmtp", "100 0-16"));
  gst_sdp_message_free (msg);

  const char *without = SESSION_HEAD "m=audio 5004 RTP/AVP 0\r\n";
  g_autoptr(TrvNegotiation) n2 = NULL;
  g_autofree gchar *answer2 = answer_ok (without, "PCMU", TRV_DIRECTION_SENDRECV, &n2);
  g_assert_cmpint (n2->send_dtmf_pt, ==, -1);
  g_assert_cmpint (n2->recv_dtmf_pt, ==, -1);
  g_assert_null (strstr (answer2, "telephone-event"));

  /* Only the 8 kHz clock matches what we generate. */
  const char *wideband = SESSION_HEAD "m=audio 5004 RTP/AVP 0 110\r\n"
                                      "a=rtpmap:110 telephone-event/48000\r\n";
  g_autoptr(TrvNegotiation) n3 = NULL;
  g_autofree gchar *answer3 = answer_ok (wideband, "PCMU", TRV_DIRECTION_SENDRECV, &n3);
  g_assert_cmpint (n3->send_dtmf_pt, ==, -1);

  /* Offerer side: our 101 vs the answer's. */
  g_autoptr(TestConfig) cfg = config_new ("PCMU");
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, local, TRV_DIRECTION_SENDRECV, 5, 1);
  g_autoptr(GError) error = NULL;
  const char *ans_te = SESSION_HEAD "m=audio 5004 RTP/AVP 0 101\r\n"
                                    "a=rtpmap:101 telephone-event/8000\r\n";
  g_autoptr(TrvNegotiation) p1 = trv_offer_answer_parse_answer (offer, ans_te, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p1->send_dtmf_pt, ==, 101);
  g_assert_cmpint (p1->recv_dtmf_pt, ==, 101);
  g_autoptr(TrvNegotiation) p2 = trv_offer_answer_parse_answer (offer, without, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p2->send_dtmf_pt, ==, -1);
  g_assert_cmpint (p2->recv_dtmf_pt, ==, -1);
}

/* --- ICE, RTCP, SRTP ------------------------------------------------------------------- */

static void
test_ice_round_trip (void)
{
  g_autoptr(TestConfig) cfg = config_new ("opus,PCMU");
  g_autoptr(TrvMediaEndpoint) alice = ice_endpoint ("10.0.0.2", 40000, "aUfr", "alicepassword0123456789");
  g_autoptr(TrvMediaEndpoint) bob = ice_endpoint ("10.0.1.3", 50000, "bUfr", "bobpassword012345678901");
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, alice, TRV_DIRECTION_SENDRECV, 5, 1);

  GstSDPMessage *msg = parse (offer);
  /* libnice rejects session-level ufrag: it must be on the m= section. */
  g_assert_null (gst_sdp_message_get_attribute_val (msg, "ice-ufrag"));
  const GstSDPMedia *m = audio_of (msg);
  g_assert_true (has_attr_value (m, "ice-ufrag", "aUfr"));
  g_assert_true (has_attr_value (m, "rtcp-mux", NULL));
  g_assert_true (has_attr_value (m, "candidate", "1 1 UDP 2015363327 10.0.0.2 40000 typ host"));
  gst_sdp_message_free (msg);

  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNegotiation) bn = NULL;
  g_autofree gchar *answer = trv_offer_answer_create_answer (offer, cfg, bob, TRV_DIRECTION_SENDRECV,
                                                             6, 1, &bn, &error);
  g_assert_no_error (error);
  assert_same_ice (bn->remote, alice);
  g_assert_false (bn->remote->ice_lite);
  g_assert_true (bn->remote->rtcp_mux);
  g_assert_cmpstr (bn->remote->address, ==, "10.0.0.2");

  g_autoptr(TrvNegotiation) an = trv_offer_answer_parse_answer (offer, answer, &error);
  g_assert_no_error (error);
  assert_same_ice (an->remote, bob);
  g_assert_cmpstr (an->codec->name, ==, "opus");
  g_assert_cmpuint (an->send_pt, ==, 111);
  g_assert_cmpuint (an->recv_pt, ==, 111);
  g_assert_true (an->remote->rtcp_mux);
  g_assert_cmpuint (an->remote->port, ==, 50000);

  /* A peer without ICE gets an answer without ICE, and we learn it did not do ICE. */
  const char *plain = SESSION_HEAD "m=audio 5004 RTP/AVP 0\r\n";
  g_autoptr(TrvNegotiation) pn = NULL;
  g_autofree gchar *plain_answer = trv_offer_answer_create_answer (plain, cfg, bob,
                                                                   TRV_DIRECTION_SENDRECV, 6, 1,
                                                                   &pn, &error);
  g_assert_no_error (error);
  g_assert_null (pn->remote->ice_ufrag);
  g_assert_null (strstr (plain_answer, "ice-ufrag"));
  g_assert_null (strstr (plain_answer, "candidate"));

  /* Session-level ufrag/pwd from other implementations are accepted; port 0 with ICE too. */
  const char *session_ice = "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\n"
                            "t=0 0\r\na=ice-lite\r\na=ice-ufrag:sEsS\r\na=ice-pwd:sessionpassword0123456\r\n"
                            "m=audio 0 RTP/AVP 0\r\n"
                            "a=candidate:7 1 UDP 2130706431 198.51.100.7 5004 typ host\r\n";
  g_autoptr(TrvNegotiation) sn = NULL;
  g_autofree gchar *sa = trv_offer_answer_create_answer (session_ice, cfg, bob,
                                                         TRV_DIRECTION_SENDRECV, 6, 1, &sn, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sn->remote->ice_ufrag, ==, "sEsS");
  g_assert_cmpstr (sn->remote->ice_pwd, ==, "sessionpassword0123456");
  g_assert_true (sn->remote->ice_lite);
  g_assert_cmpuint (sn->remote->ice_candidates->len, ==, 1);
  g_assert_cmpstr (sn->remote->ice_candidates->pdata[0], ==,
                   "candidate:7 1 UDP 2130706431 198.51.100.7 5004 typ host");
  msg = parse (sa);
  g_assert_true (has_attr_value (audio_of (msg), "ice-ufrag", "bUfr"));
  gst_sdp_message_free (msg);
}

/* Our offer must be readable by libnice itself (media-level ufrag, LF-normalised). */
static void
test_ice_offer_libnice (void)
{
  g_autoptr(TestConfig) cfg = config_new ("opus");
  g_autoptr(TrvMediaEndpoint) alice = ice_endpoint ("10.0.0.2", 40000, "aUfr", "alicepassword0123456789");
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, alice, TRV_DIRECTION_SENDRECV, 5, 1);
  g_autoptr(GRegex) re = g_regex_new ("\r\n", 0, 0, NULL);
  g_autofree gchar *lf = g_regex_replace_literal (re, offer, -1, 0, "\n", 0, NULL);

  NiceAgent *agent = nice_agent_new (NULL, NICE_COMPATIBILITY_RFC5245);
  guint stream = nice_agent_add_stream (agent, 1);
  g_assert_true (nice_agent_set_stream_name (agent, stream, "audio"));
  g_assert_cmpint (nice_agent_parse_remote_sdp (agent, lf), ==, 2);
  GSList *cands = nice_agent_get_remote_candidates (agent, stream, 1);
  g_assert_cmpuint (g_slist_length (cands), ==, 2);
  g_slist_free_full (cands, (GDestroyNotify) nice_candidate_free);
  g_object_unref (agent);
}

static void
test_rtcp (void)
{
  g_autoptr(TestConfig) cfg = config_new ("PCMU");
  const char *muxed = SESSION_HEAD "m=audio 5004 RTP/AVP 0\r\na=rtcp-mux\r\na=rtcp:5004\r\n";
  const char *plain = SESSION_HEAD "m=audio 5004 RTP/AVP 0\r\na=rtcp:6001 IN IP4 198.51.100.7\r\n";
  g_autoptr(TrvMediaEndpoint) mux = endpoint_new ("192.0.2.10", 40000);
  mux->rtcp_mux = TRUE;
  g_autoptr(TrvMediaEndpoint) nomux = endpoint_new ("192.0.2.10", 40000);
  nomux->rtcp_port = 40005;
  g_autoptr(GError) error = NULL;

  g_autoptr(TrvNegotiation) n1 = NULL;
  g_autofree gchar *a1 = trv_offer_answer_create_answer (muxed, cfg, mux, TRV_DIRECTION_SENDRECV,
                                                         1, 1, &n1, &error);
  g_assert_no_error (error);
  g_assert_true (n1->remote->rtcp_mux);
  g_assert_cmpuint (n1->remote->rtcp_port, ==, 5004);
  GstSDPMessage *msg = parse (a1);
  g_assert_true (has_attr_value (audio_of (msg), "rtcp-mux", NULL));
  gst_sdp_message_free (msg);

  /* Offered, but we do not mux: no a=rtcp-mux, our a=rtcp port instead. */
  g_autoptr(TrvNegotiation) n2 = NULL;
  g_autofree gchar *a2 = trv_offer_answer_create_answer (muxed, cfg, nomux, TRV_DIRECTION_SENDRECV,
                                                         1, 1, &n2, &error);
  g_assert_no_error (error);
  g_assert_false (n2->remote->rtcp_mux);
  msg = parse (a2);
  g_assert_false (has_attr_value (audio_of (msg), "rtcp-mux", NULL));
  g_assert_true (has_attr_value (audio_of (msg), "rtcp", "40005"));
  gst_sdp_message_free (msg);

  /* We would mux, the peer did not offer it. */
  g_autoptr(TrvNegotiation) n3 = NULL;
  g_autofree gchar *a3 = trv_offer_answer_create_answer (plain, cfg, mux, TRV_DIRECTION_SENDRECV,
                                                         1, 1, &n3, &error);
  g_assert_no_error (error);
  g_assert_false (n3->remote->rtcp_mux);
  g_assert_cmpuint (n3->remote->rtcp_port, ==, 6001);
  g_assert_null (strstr (a3, "rtcp-mux"));

  /* Offerer side: a=rtcp-mux in our offer, the answer accepts or not. */
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, mux, TRV_DIRECTION_SENDRECV, 1, 1);
  g_autoptr(TrvNegotiation) p1 = trv_offer_answer_parse_answer (offer, muxed, &error);
  g_assert_no_error (error);
  g_assert_true (p1->remote->rtcp_mux);
  g_autoptr(TrvNegotiation) p2 = trv_offer_answer_parse_answer (offer, plain, &error);
  g_assert_no_error (error);
  g_assert_false (p2->remote->rtcp_mux);
}

static void
test_crypto (void)
{
  g_autoptr(TestConfig) cfg = config_new ("PCMA");
  g_autoptr(TrvMediaEndpoint) alice = endpoint_new ("192.0.2.10", 40000);
  alice->crypto_suite = g_strdup ("AES_CM_128_HMAC_SHA1_80");
  alice->crypto_key = g_strdup (KEY_A);
  g_autoptr(TrvMediaEndpoint) bob = endpoint_new ("192.0.2.20", 50000);
  bob->crypto_suite = g_strdup ("AES_CM_128_HMAC_SHA1_80");
  bob->crypto_key = g_strdup (KEY_B);

  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, alice, TRV_DIRECTION_SENDRECV, 1, 1);
  GstSDPMessage *msg = parse (offer);
  g_assert_cmpstr (gst_sdp_media_get_proto (audio_of (msg)), ==, "RTP/SAVP");
  g_assert_true (has_attr_value (audio_of (msg), "crypto",
                                 "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A));
  gst_sdp_message_free (msg);

  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNegotiation) bn = NULL;
  g_autofree gchar *answer = trv_offer_answer_create_answer (offer, cfg, bob, TRV_DIRECTION_SENDRECV,
                                                             2, 1, &bn, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bn->remote->crypto_suite, ==, "AES_CM_128_HMAC_SHA1_80");
  g_assert_cmpstr (bn->remote->crypto_key, ==, KEY_A);
  g_assert_cmpstr (bn->local_crypto_key, ==, KEY_B);
  msg = parse (answer);
  g_assert_cmpstr (gst_sdp_media_get_proto (audio_of (msg)), ==, "RTP/SAVP");
  gst_sdp_message_free (msg);

  g_autoptr(TrvNegotiation) an = trv_offer_answer_parse_answer (offer, answer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (an->remote->crypto_suite, ==, "AES_CM_128_HMAC_SHA1_80");
  g_assert_cmpstr (an->remote->crypto_key, ==, KEY_B);
  g_assert_cmpstr (an->local_crypto_key, ==, KEY_A);

  /* Lifetime/MKI after the key are not part of the key. */
  const char *mki = SESSION_HEAD "m=audio 5004 RTP/SAVP 8\r\n"
                                 "a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A "|2^20|1:4\r\n";
  g_autoptr(TrvNegotiation) mn = NULL;
  g_autofree gchar *ma = trv_offer_answer_create_answer (mki, cfg, bob, TRV_DIRECTION_SENDRECV,
                                                         2, 1, &mn, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mn->remote->crypto_key, ==, KEY_A);
  g_assert_nonnull (strstr (ma, "a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:" KEY_B));

  /* Tag 0 is a valid tag. */
  g_autoptr(TrvNegotiation) zn = NULL;
  g_autofree gchar *za = trv_offer_answer_create_answer (
    SESSION_HEAD "m=audio 5004 RTP/SAVP 8\r\na=crypto:0 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A "\r\n",
    cfg, bob, TRV_DIRECTION_SENDRECV, 2, 1, &zn, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (za, "a=crypto:0 AES_CM_128_HMAC_SHA1_80 inline:" KEY_B));
  g_assert_cmpstr (zn->local_crypto_key, ==, KEY_B);

  /* SRTP required but not enabled here; and a key of the wrong length. */
  assert_answer_error (offer, TRV_ERROR_NOT_AVAILABLE, "SRTP");
  g_autoptr(TrvNegotiation) bad = NULL;
  g_autofree gchar *ba = trv_offer_answer_create_answer (
    SESSION_HEAD "m=audio 5004 RTP/SAVP 8\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=\r\n",
    cfg, bob, TRV_DIRECTION_SENDRECV, 2, 1, &bad, &error);
  g_assert_null (ba);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MALFORMED_SDP);
  g_assert_nonnull (strstr (error->message, "bad a=crypto"));
  g_clear_error (&error);

  /* A plain RTP answer to our SRTP offer is refused. */
  TrvNegotiation *pn = trv_offer_answer_parse_answer (offer, SESSION_HEAD "m=audio 5004 RTP/AVP 8\r\n",
                                                      &error);
  g_assert_null (pn);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_SRTP_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "a=crypto"));
}

/* The answerer may use its own number for a dynamic codec: we send with it. */
static void
test_parse_answer_pt_mapping (void)
{
  g_autoptr(TestConfig) cfg = config_new ("opus,PCMU");
  g_autoptr(TrvMediaEndpoint) local = endpoint_new ("192.0.2.10", 40000);
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, local, TRV_DIRECTION_SENDRECV, 1, 1);
  const char *answer = SESSION_HEAD "m=audio 5004 RTP/AVP 96\r\na=rtpmap:96 OPUS/48000/2\r\n"
                                    "a=fmtp:96 maxplaybackrate=16000\r\na=ptime:60\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNegotiation) n = trv_offer_answer_parse_answer (offer, answer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (n->codec->name, ==, "opus");
  g_assert_cmpuint (n->send_pt, ==, 96);
  g_assert_cmpuint (n->recv_pt, ==, 111);
  g_assert_cmpstr (n->send_fmtp, ==, "maxplaybackrate=16000");
  g_assert_cmpuint (n->ptime, ==, 60);

  /* copy/free keep every field */
  g_autoptr(TrvNegotiation) copy = trv_negotiation_copy (n);
  g_assert_true (copy->codec == n->codec);
  g_assert_cmpstr (copy->send_fmtp, ==, n->send_fmtp);
  g_assert_true (copy->send_fmtp != n->send_fmtp);
  g_assert_cmpstr (copy->remote->address, ==, "198.51.100.7");
  g_assert_true (copy->remote != n->remote);
}

static void
test_endpoint_copy (void)
{
  g_autoptr(TrvMediaEndpoint) ep = ice_endpoint ("10.0.0.2", 40000, "u", "p");
  ep->crypto_suite = g_strdup ("AES_CM_128_HMAC_SHA1_32");
  ep->crypto_key = g_strdup (KEY_A);
  ep->rtcp_port = 40001;
  g_autoptr(TrvMediaEndpoint) copy = trv_media_endpoint_copy (ep);
  assert_same_ice (copy, ep);
  g_assert_true (copy->ice_candidates != ep->ice_candidates);
  g_assert_cmpstr (copy->crypto_key, ==, KEY_A);
  g_assert_cmpuint (copy->rtcp_port, ==, 40001);
  g_assert_true (copy->rtcp_mux);
  g_assert_null (trv_media_endpoint_copy (NULL));

  g_autoptr(TrvNegotiation) n = trv_negotiation_new ();
  g_assert_cmpint (n->send_dtmf_pt, ==, -1);
  g_assert_cmpint (n->recv_dtmf_pt, ==, -1);
  g_assert_cmpuint (n->ptime, ==, 20);
  g_assert_nonnull (n->remote);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/codec/table", test_codec_table);
  g_test_add_func ("/codec/elements", test_codec_elements);
  g_test_add_func ("/offer-answer/offer-default", test_offer_default);
  g_test_add_func ("/offer-answer/our-preference", test_answer_our_preference);
  g_test_add_func ("/offer-answer/dynamic-pt", test_answer_dynamic_pt);
  g_test_add_func ("/offer-answer/send-ptime", test_answer_send_ptime);
  g_test_add_func ("/offer-answer/unknown-skipped", test_answer_unknown_skipped);
  g_test_add_func ("/offer-answer/static-without-rtpmap", test_answer_static_without_rtpmap);
  g_test_add_func ("/offer-answer/no-common-codec", test_answer_no_common_codec);
  g_test_add_func ("/offer-answer/unreachable-media", test_answer_unreachable_media);
  g_test_add_func ("/offer-answer/direction-table", test_direction_table);
  g_test_add_func ("/offer-answer/hold", test_answer_hold);
  g_test_add_func ("/offer-answer/parse-answer-hold", test_parse_answer_hold);
  g_test_add_func ("/offer-answer/dtmf", test_dtmf);
  g_test_add_func ("/offer-answer/ice-round-trip", test_ice_round_trip);
  g_test_add_func ("/offer-answer/ice-offer-libnice", test_ice_offer_libnice);
  g_test_add_func ("/offer-answer/rtcp", test_rtcp);
  g_test_add_func ("/offer-answer/crypto", test_crypto);
  g_test_add_func ("/offer-answer/parse-answer-pt-mapping", test_parse_answer_pt_mapping);
  g_test_add_func ("/offer-answer/endpoint-copy", test_endpoint_copy);
  return g_test_run ();
}
