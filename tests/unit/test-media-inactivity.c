/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The peer's silence: the rules of trv-inactivity on made-up times, then two media
 * sessions over UDP on 127.0.0.1 where one side stops sending (or is held, or sends
 * only RTCP) and the other must say so, and end the call only when it should. */
#include <gst/gst.h>

#include "trv-inactivity.h"
#include "trv-offer-answer.h"
#include "trv-test-util.h"

#define S(x) ((gint64) (x) * G_USEC_PER_SEC)
#define WAIT_LIMIT_MS 8000

/* --- the rules --------------------------------------------------------------------- */

static void
test_rules (void)
{
  TrvInactivity t;
  trv_inactivity_init (&t, 5, 8);
  trv_inactivity_expect (&t, TRUE, S (100));

  /* Nothing ever arrived: silence counts from when media became expected. */
  g_assert_cmpint (trv_inactivity_check (&t, 0, S (104)), ==, TRV_INACTIVITY_NO_CHANGE);
  g_assert_cmpint (trv_inactivity_check (&t, 0, S (105)), ==, TRV_INACTIVITY_SILENT_CHANGED);
  g_assert_true (t.silent);
  g_assert_cmpuint (trv_inactivity_silent_s (&t, 0, S (105)), ==, 5);
  g_assert_cmpint (trv_inactivity_check (&t, 0, S (107)), ==, TRV_INACTIVITY_NO_CHANGE);
  g_assert_cmpint (trv_inactivity_check (&t, 0, S (108)), ==, TRV_INACTIVITY_TIMED_OUT);
  /* Once, not every second after. */
  g_assert_cmpint (trv_inactivity_check (&t, 0, S (120)), ==, TRV_INACTIVITY_NO_CHANGE);

  /* A packet: heard again; a later silence counts from that packet and times out anew. */
  g_assert_cmpint (trv_inactivity_check (&t, S (121), S (121)), ==,
                   TRV_INACTIVITY_SILENT_CHANGED);
  g_assert_false (t.silent);
  g_assert_cmpint (trv_inactivity_check (&t, S (121), S (125)), ==, TRV_INACTIVITY_NO_CHANGE);
  g_assert_cmpint (trv_inactivity_check (&t, S (121), S (126)), ==,
                   TRV_INACTIVITY_SILENT_CHANGED);
  g_assert_cmpint (trv_inactivity_check (&t, S (121), S (129)), ==, TRV_INACTIVITY_TIMED_OUT);

  /* Hold (either side): nothing expected, the warning goes, nothing ever times out. */
  trv_inactivity_expect (&t, FALSE, S (130));
  g_assert_cmpint (trv_inactivity_check (&t, S (121), S (130)), ==,
                   TRV_INACTIVITY_SILENT_CHANGED);
  g_assert_false (t.silent);
  g_assert_cmpint (trv_inactivity_check (&t, S (121), S (1000)), ==, TRV_INACTIVITY_NO_CHANGE);
  g_assert_cmpuint (trv_inactivity_silent_s (&t, S (121), S (1000)), ==, 0);

  /* Resume: the peer gets a fresh allowance from the renegotiation. */
  trv_inactivity_expect (&t, TRUE, S (1000));
  g_assert_cmpint (trv_inactivity_check (&t, S (121), S (1004)), ==, TRV_INACTIVITY_NO_CHANGE);
  g_assert_cmpint (trv_inactivity_check (&t, S (121), S (1008)), ==,
                   TRV_INACTIVITY_SILENT_CHANGED | TRV_INACTIVITY_TIMED_OUT);
}

/* An ICE restart's re-INVITE during a silence: the peer gets a fresh allowance before
 * the timeout, but the warning stays (and its count goes on) until a packet comes. */
static void
test_renegotiation (void)
{
  TrvInactivity t;
  trv_inactivity_init (&t, 5, 8);
  trv_inactivity_expect (&t, TRUE, S (100));
  g_assert_cmpint (trv_inactivity_check (&t, S (100), S (105)), ==,
                   TRV_INACTIVITY_SILENT_CHANGED);
  trv_inactivity_expect (&t, TRUE, S (106));
  g_assert_cmpint (trv_inactivity_check (&t, S (100), S (106)), ==, TRV_INACTIVITY_NO_CHANGE);
  g_assert_true (t.silent);
  g_assert_cmpuint (trv_inactivity_silent_s (&t, S (100), S (107)), ==, 7);
  g_assert_cmpint (trv_inactivity_check (&t, S (100), S (113)), ==, TRV_INACTIVITY_NO_CHANGE);
  g_assert_cmpint (trv_inactivity_check (&t, S (100), S (114)), ==, TRV_INACTIVITY_TIMED_OUT);
  /* Packets again: heard; the next renegotiation is a fresh start for both. */
  g_assert_cmpint (trv_inactivity_check (&t, S (115), S (115)), ==,
                   TRV_INACTIVITY_SILENT_CHANGED);
  trv_inactivity_expect (&t, TRUE, S (116));
  g_assert_cmpint (trv_inactivity_check (&t, S (115), S (120)), ==, TRV_INACTIVITY_NO_CHANGE);
  g_assert_cmpint (trv_inactivity_check (&t, S (115), S (121)), ==,
                   TRV_INACTIVITY_SILENT_CHANGED);
}

static void
test_never (void)
{
  TrvInactivity t;
  trv_inactivity_init (&t, 5, 0);
  trv_inactivity_expect (&t, TRUE, S (1));
  /* Timeout 0: the user is told, the call is never ended. */
  g_assert_cmpint (trv_inactivity_check (&t, 0, S (6)), ==, TRV_INACTIVITY_SILENT_CHANGED);
  g_assert_cmpint (trv_inactivity_check (&t, 0, S (100000)), ==, TRV_INACTIVITY_NO_CHANGE);
  g_assert_true (t.silent);
}

/* --- two sessions on loopback -------------------------------------------------------- */

typedef struct {
  TrvMediaTransport *ta, *tb;
  TrvMediaSession *ma, *mb;
  TrvNegotiation *na, *nb;
  guint silent_changes;
  guint inactive;
  guint inactive_seconds;
  gint64 silent_at_us;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->ta = trv_test_udp_transport (WAIT_LIMIT_MS);
  f->tb = trv_test_udp_transport (WAIT_LIMIT_MS);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  trv_test_media_clear (&f->ma, &f->mb, &f->ta, &f->tb, &f->na, &f->nb);
}

/* A offers `dir_a`, B answers wanting sendrecv. */
static void
negotiate (Fixture *f, TrvDirection dir_a)
{
  g_autoptr(TrvMediaConfig) cfg = trv_media_config_new ();
  g_strfreev (cfg->codecs);
  cfg->codecs = g_strsplit ("PCMU", ",", -1);
  g_autoptr(TrvMediaEndpoint) ea = trv_media_endpoint_new ();
  g_autoptr(TrvMediaEndpoint) eb = trv_media_endpoint_new ();
  trv_media_transport_describe (f->ta, ea);
  trv_media_transport_describe (f->tb, eb);
  g_autoptr(GError) error = NULL;
  g_autofree gchar *offer = trv_offer_answer_create_offer (cfg, ea, dir_a, 1, 1);
  g_autofree gchar *answer = trv_offer_answer_create_answer (offer, cfg, eb,
                                                             TRV_DIRECTION_SENDRECV, 2, 1,
                                                             &f->nb, &error);
  g_assert_no_error (error);
  f->na = trv_offer_answer_parse_answer (offer, answer, &error);
  g_assert_no_error (error);
}

static TrvMediaSession *
new_session (TrvMediaTransport *t)
{
  g_autoptr(TrvMediaOptions) o = trv_media_options_new ();
  o->source_desc = g_strdup ("audiotestsrc is-live=true wave=sine");
  o->sink_desc = g_strdup ("fakesink sync=false");
  o->jitter_ms = 40;
  return trv_media_session_new (t, o);
}

static void
on_silent (TrvMediaSession *m, GParamSpec *pspec, Fixture *f)
{
  f->silent_changes++;
  if (trv_media_session_get_silent (m) && f->silent_at_us == 0)
    f->silent_at_us = g_get_monotonic_time ();
}

static void
on_inactive (TrvMediaSession *m, guint seconds, Fixture *f)
{
  f->inactive++;
  f->inactive_seconds = seconds;
}

/* The survivor (A, or B with watch_b) is the one whose silence is watched. */
static void
start_both_watching (Fixture *f, guint timeout_s, gboolean watch_b)
{
  g_autoptr(GError) error = NULL;
  f->ma = new_session (f->ta);
  f->mb = new_session (f->tb);
  TrvMediaSession *survivor = watch_b ? f->mb : f->ma;
  trv_media_session_set_inactivity_timeout (survivor, timeout_s);
  g_signal_connect (survivor, "notify::silent", G_CALLBACK (on_silent), f);
  g_signal_connect (survivor, "inactive", G_CALLBACK (on_inactive), f);
  g_assert_true (trv_media_session_start (f->ma, f->na, &error));
  g_assert_no_error (error);
  g_assert_true (trv_media_session_start (f->mb, f->nb, &error));
  g_assert_no_error (error);
}

static void
start_both (Fixture *f, guint timeout_s)
{
  start_both_watching (f, timeout_s, FALSE);
}

static gboolean
a_receives (gpointer data)
{
  Fixture *f = data;
  TrvMediaStats s;
  trv_media_session_get_stats (f->ma, &s);
  return s.rtp_received > 10;
}

static gboolean
a_inactive (gpointer data)
{
  return ((Fixture *) data)->inactive > 0;
}

/* B vanishes mid-call (like a SIGKILLed peer): A warns after ~5 s, times out after 7. */
static void
test_peer_gone (Fixture *f, gconstpointer data)
{
  negotiate (f, TRV_DIRECTION_SENDRECV);
  start_both (f, 7);
  g_assert_true (trv_test_wait_for (a_receives, f, WAIT_LIMIT_MS));
  g_assert_false (trv_media_session_get_silent (f->ma));
  gint64 gone = g_get_monotonic_time ();
  trv_media_session_stop (f->mb);

  g_assert_true (trv_test_wait_for (a_inactive, f, 10000));
  gint64 ended = g_get_monotonic_time ();
  g_assert_true (trv_media_session_get_silent (f->ma));
  g_assert_cmpuint (f->silent_changes, ==, 1);
  /* Told within ~5 s (the check runs four times a second; the last packet may have come
   * up to a jitter buffer's worth before the stop), ended after the timeout. */
  g_assert_cmpint (f->silent_at_us - gone, >=, S (4));
  g_assert_cmpint (f->silent_at_us - gone, <=, S (5) + 500 * 1000);
  g_assert_cmpint (ended - gone, >=, S (6));
  g_assert_cmpuint (f->inactive_seconds, >=, 7);
  g_assert_cmpuint (trv_media_session_get_silent_s (f->ma), >=, 7);
  trv_test_run_for (2000);
  g_assert_cmpuint (f->inactive, ==, 1);
}

/* A holds B (A sendonly, B recvonly), then the other side vanishes: nothing is expected
 * on hold, neither by A (data NULL: it holds) nor by B (data "peer": it is held). */
static void
test_held (Fixture *f, gconstpointer data)
{
  gboolean held_by_peer = data != NULL;
  negotiate (f, TRV_DIRECTION_SENDONLY);
  g_assert_cmpint (f->nb->direction, ==, TRV_DIRECTION_RECVONLY);
  start_both_watching (f, 5, held_by_peer);
  TrvMediaSession *survivor = held_by_peer ? f->mb : f->ma;
  trv_test_run_for (500);
  trv_media_session_stop (held_by_peer ? f->ma : f->mb);
  trv_test_run_for (7000);
  g_assert_false (trv_media_session_get_silent (survivor));
  g_assert_cmpuint (trv_media_session_get_silent_s (survivor), ==, 0);
  g_assert_cmpuint (f->silent_changes, ==, 0);
  g_assert_cmpuint (f->inactive, ==, 0);
}

/* B sends no RTP (its side says recvonly) but its RTCP reports arrive on their own port:
 * the peer is alive, so the call is neither silent nor ended. */
static void
test_rtcp_keeps_alive (Fixture *f, gconstpointer data)
{
  negotiate (f, TRV_DIRECTION_SENDRECV);
  f->na->remote->rtcp_mux = FALSE;
  f->nb->remote->rtcp_mux = FALSE;
  f->nb->direction = TRV_DIRECTION_RECVONLY;
  start_both (f, 5);
  trv_test_run_for (7000);
  TrvMediaStats s;
  trv_media_session_get_stats (f->ma, &s);
  g_assert_cmpuint (s.rtp_received, ==, 0);
  g_assert_cmpuint (s.rtp_sent, >, 0);
  g_assert_false (trv_media_session_get_silent (f->ma));
  g_assert_cmpuint (f->inactive, ==, 0);
  /* Then B is gone altogether: now A times out. */
  trv_media_session_stop (f->mb);
  g_assert_true (trv_test_wait_for (a_inactive, f, 8000));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inactivity/rules", test_rules);
  g_test_add_func ("/inactivity/never", test_never);
  g_test_add_func ("/inactivity/renegotiation", test_renegotiation);
  g_test_add ("/media-session/inactivity/peer-gone", Fixture, NULL, fixture_setup,
              test_peer_gone, fixture_teardown);
  g_test_add ("/media-session/inactivity/held", Fixture, NULL, fixture_setup, test_held,
              fixture_teardown);
  g_test_add ("/media-session/inactivity/held-by-peer", Fixture, "peer", fixture_setup,
              test_held, fixture_teardown);
  g_test_add ("/media-session/inactivity/rtcp-keeps-alive", Fixture, NULL, fixture_setup,
              test_rtcp_keeps_alive, fixture_teardown);
  return g_test_run ();
}
