/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A call whose peer stops sending while the dialog lives on (its media is gone, like a
 * crashed phone behind a SIP proxy): the survivor's call says "media-silent", then ends
 * after media.inactivity-timeout with end reason no-media, and its BYE tells the peer why. */
#include <gst/gst.h>
#include <string.h>

#include "trv-error.h"
#include "trv-user-agent.h"
#include "trv-test-util.h"

#define WAIT_LIMIT_MS 8000

typedef struct {
  TrvUserAgent *alice, *bob;
  TrvCall *bob_call;
  guint silent_on;
  gboolean quality_while_silent;
} Fixture;

static TrvUserAgent *
make_agent (const char *user, guint inactivity_timeout_s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvAccountConfig) acc = trv_test_account_new (user);
  g_assert_true (trv_account_config_validate (acc, &error));
  g_autoptr(TrvMediaConfig) media = trv_media_config_new ();
  media->inactivity_timeout_s = inactivity_timeout_s;
  g_assert_true (trv_media_config_validate (media, &error));
  g_assert_no_error (error);
  TrvUserAgent *agent = trv_user_agent_new (acc, NULL, media);
  g_autoptr(TrvMediaOptions) options = trv_media_options_new ();
  options->source_desc = g_strdup ("audiotestsrc is-live=true wave=sine freq=440");
  options->sink_desc = g_strdup ("fakesink sync=false");
  options->jitter_ms = 40;
  trv_user_agent_set_media_options (agent, options);
  g_assert_true (trv_user_agent_start (agent, "127.0.0.1", &error));
  g_assert_no_error (error);
  return agent;
}

static void
on_bob_incoming (TrvUserAgent *agent, TrvCall *call, Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_set_object (&f->bob_call, call);
  g_assert_true (trv_call_answer (call, &error));
  g_assert_no_error (error);
}

static void
on_alice_silent (TrvCall *call, GParamSpec *pspec, Fixture *f)
{
  TrvQuality q;
  if (trv_call_get_media_silent (call))
    {
      f->silent_on++;
      f->quality_while_silent = trv_call_get_quality (call, &q);
    }
}

static gboolean
bob_has_media (gpointer data)
{
  Fixture *f = data;
  return f->bob_call && trv_test_call_has_media (f->bob_call);
}

static void
test_peer_media_gone (void)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  f->alice = make_agent ("alice", 5);
  f->bob = make_agent ("bob", 0);   /* 0: bob would never end it himself */
  g_signal_connect (f->bob, "incoming-call", G_CALLBACK (on_bob_incoming), f);

  g_autoptr(TrvCall) call = g_object_ref (trv_user_agent_dial (
                                            f->alice, trv_user_agent_get_contact_uri (f->bob),
                                            &error));
  g_assert_no_error (error);
  g_signal_connect (call, "notify::media-silent", G_CALLBACK (on_alice_silent), f);
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, call, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (bob_has_media, f, WAIT_LIMIT_MS));
  g_assert_false (trv_call_get_media_silent (call));
  TrvQuality q;
  g_assert_true (trv_call_get_quality (call, &q));

  /* Bob's audio (RTP and RTCP) stops; his dialog stays. */
  trv_media_session_stop (trv_call_get_media (f->bob_call));
  gint64 gone = g_get_monotonic_time ();
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, call, 10000));
  gint64 took_ms = (g_get_monotonic_time () - gone) / 1000;

  g_assert_cmpuint (f->silent_on, ==, 1);
  /* The figures of bob's last packets are no quality of a call that went dead. */
  g_assert_false (f->quality_while_silent);
  g_assert_cmpint (took_ms, >=, 4000);
  g_assert_cmpint (trv_call_get_end_reason (call), ==, TRV_CALL_END_NO_MEDIA);
  const GError *why = trv_call_get_error (call);
  g_assert_error (why, TRV_ERROR, TRV_ERROR_NO_MEDIA);
  g_assert_nonnull (strstr (why->message, "no audio from the other side for 5 s"));
  g_assert_false (trv_call_get_media_silent (call));   /* an ended call is not silent */

  /* Bob learns why from the BYE's Reason. */
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, f->bob_call, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_end_reason (f->bob_call), ==, TRV_CALL_END_NO_MEDIA);
  g_assert_nonnull (strstr (trv_call_get_error (f->bob_call)->message,
                            "no audio from the other side"));

  g_signal_handlers_disconnect_by_data (f->bob, f);
  g_signal_handlers_disconnect_by_data (call, f);
  trv_test_agent_shutdown (f->alice, WAIT_LIMIT_MS);
  trv_test_agent_shutdown (f->bob, WAIT_LIMIT_MS);
  g_clear_object (&f->bob_call);
  g_clear_object (&f->alice);
  g_clear_object (&f->bob);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call/inactivity/peer-media-gone", test_peer_media_gone);
  return g_test_run ();
}
