/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Call waiting (issue 11, item 6): three in-process agents on loopback. alice calls bob,
 * then carol calls bob: carol's call is marked waiting, and bob answers it holding alice
 * (or ending her call), switches back, and knows since when a call is held. */
#include "config.h"

#include <gst/gst.h>

#include "trv-error.h"
#include "trv-user-agent.h"
#include "trv-test-util.h"

#define WAIT_LIMIT_MS 8000

typedef struct {
  TrvUserAgent *alice, *bob, *carol;
  GPtrArray *incoming;        /* TrvCall* at bob, in arrival order */
  GArray *waiting_at_signal;  /* trv_call_get_waiting() when "incoming-call" came */
} Fixture;

static void
on_bob_incoming (TrvUserAgent *agent, TrvCall *call, Fixture *f)
{
  gboolean waiting = trv_call_get_waiting (call);
  g_ptr_array_add (f->incoming, g_object_ref (call));
  g_array_append_val (f->waiting_at_signal, waiting);
  if (!waiting)
    {
      g_autoptr(GError) error = NULL;
      g_assert_true (trv_call_answer (call, &error));
      g_assert_no_error (error);
    }
}

static TrvUserAgent *
make_agent (const char *user)
{
  g_autoptr(TrvAccountConfig) acc = trv_test_account_new (user);
  return trv_test_agent_start (acc);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->alice = make_agent ("alice");
  f->bob = make_agent ("bob");
  f->carol = make_agent ("carol");
  f->incoming = g_ptr_array_new_with_free_func (g_object_unref);
  f->waiting_at_signal = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_signal_connect (f->bob, "incoming-call", G_CALLBACK (on_bob_incoming), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (f->bob, f);
  trv_test_agent_shutdown (f->alice, WAIT_LIMIT_MS);
  trv_test_agent_shutdown (f->bob, WAIT_LIMIT_MS);
  trv_test_agent_shutdown (f->carol, WAIT_LIMIT_MS);
  g_ptr_array_unref (f->incoming);
  g_array_unref (f->waiting_at_signal);
  g_clear_object (&f->alice);
  g_clear_object (&f->bob);
  g_clear_object (&f->carol);
}

static gboolean
bob_has_calls (gpointer data)
{
  Fixture *f = data;
  return f->incoming->len >= GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->bob), "want"));
}

static void
wait_incoming (Fixture *f, guint n)
{
  g_object_set_data (G_OBJECT (f->bob), "want", GUINT_TO_POINTER (n));
  g_assert_true (trv_test_wait_for (bob_has_calls, f, WAIT_LIMIT_MS));
}

static TrvCall *
dial_bob (TrvUserAgent *from, Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TrvCall *call = trv_user_agent_dial (from, trv_user_agent_get_contact_uri (f->bob), &error);
  g_assert_no_error (error);
  g_assert_nonnull (call);
  return g_object_ref (call);
}

static gboolean
remote_held (gpointer call)
{
  return trv_call_get_remote_held (call);
}

static gboolean
not_remote_held (gpointer call)
{
  return !trv_call_get_remote_held (call);
}

/* alice talks to bob, carol's call rings at bob marked waiting; returns bob's two calls. */
static void
second_call (Fixture *f, TrvCall **alice_to_bob, TrvCall **carol_to_bob,
             TrvCall **first, TrvCall **second)
{
  *alice_to_bob = dial_bob (f->alice, f);
  wait_incoming (f, 1);
  *first = f->incoming->pdata[0];
  g_assert_false (g_array_index (f->waiting_at_signal, gboolean, 0));
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, *first, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, *alice_to_bob, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_held_since (*first), ==, 0);
  g_assert_true (trv_user_agent_get_current_call (f->bob) == *first);

  *carol_to_bob = dial_bob (f->carol, f);
  wait_incoming (f, 2);
  *second = f->incoming->pdata[1];
  g_assert_true (g_array_index (f->waiting_at_signal, gboolean, 1));
  g_assert_true (trv_call_get_waiting (*second));
  g_assert_cmpint (trv_call_get_state (*second), ==, TRV_CALL_STATE_INCOMING);
  g_assert_false (trv_call_get_waiting (*first));
  /* Ringing does not change the current call. */
  g_assert_true (trv_user_agent_get_current_call (f->bob) == *first);
}

static void
test_hold_and_answer (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvCall) alice_to_bob = NULL;
  g_autoptr(TrvCall) carol_to_bob = NULL;
  TrvCall *first, *second;
  second_call (f, &alice_to_bob, &carol_to_bob, &first, &second);

  /* An established call cannot be "answered". */
  g_assert_false (trv_user_agent_hold_and_answer (f->bob, first, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE);
  g_clear_error (&error);

  gint64 before = g_get_monotonic_time ();
  g_assert_true (trv_user_agent_hold_and_answer (f->bob, second, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_held, first, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, second, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, carol_to_bob, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (remote_held, alice_to_bob, WAIT_LIMIT_MS));
  g_assert_false (trv_call_get_waiting (second));
  g_assert_true (trv_user_agent_get_current_call (f->bob) == second);

  /* Held since the hold, and that stays while it is held. */
  gint64 since = trv_call_get_held_since (first);
  g_assert_cmpint (since, >=, before);
  g_assert_cmpint (since, <=, g_get_monotonic_time ());
  g_assert_cmpint (trv_call_get_held_since (second), ==, 0);
  trv_test_run_for (300);
  g_assert_cmpint (trv_call_get_held_since (first), ==, since);
  g_assert_cmpint (g_get_monotonic_time () - since, >=, 300 * 1000);

  /* Switch back: carol held, alice resumed. */
  before = g_get_monotonic_time ();
  g_assert_true (trv_user_agent_switch_to (f->bob, first, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_held, second, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, first, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (not_remote_held, alice_to_bob, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (remote_held, carol_to_bob, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_held_since (first), ==, 0);
  g_assert_cmpint (trv_call_get_held_since (second), >=, before);
  g_assert_true (trv_user_agent_get_current_call (f->bob) == first);

  trv_call_hangup (alice_to_bob);
  trv_call_hangup (carol_to_bob);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, first, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, second, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_held_since (second), ==, 0);
  g_assert_null (trv_user_agent_get_current_call (f->bob));
}

static void
test_end_and_answer (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvCall) alice_to_bob = NULL;
  g_autoptr(TrvCall) carol_to_bob = NULL;
  TrvCall *first, *second;
  second_call (f, &alice_to_bob, &carol_to_bob, &first, &second);

  g_assert_true (trv_user_agent_end_and_answer (f->bob, second, &error));
  g_assert_no_error (error);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, alice_to_bob, WAIT_LIMIT_MS));
  g_assert_cmpint (trv_call_get_end_reason (alice_to_bob), ==, TRV_CALL_END_REMOTE_HANGUP);
  g_assert_cmpint (trv_call_get_end_reason (first), ==, TRV_CALL_END_LOCAL_HANGUP);
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, carol_to_bob, WAIT_LIMIT_MS));
  g_assert_true (trv_test_wait_for (trv_test_call_has_media, second, WAIT_LIMIT_MS));
  g_assert_true (trv_user_agent_get_current_call (f->bob) == second);
  g_assert_cmpuint (g_list_length (trv_user_agent_get_calls (f->bob)), ==, 1);

  /* With the first call gone, a new call is no waiting call. */
  trv_call_hangup (carol_to_bob);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, second, WAIT_LIMIT_MS));
  g_autoptr(TrvCall) again = dial_bob (f->alice, f);
  wait_incoming (f, 3);
  g_assert_false (g_array_index (f->waiting_at_signal, gboolean, 2));
  g_assert_true (trv_test_wait_for (trv_test_call_is_active, again, WAIT_LIMIT_MS));
  trv_call_hangup (again);
  g_assert_true (trv_test_wait_for (trv_test_call_is_ended, f->incoming->pdata[2],
                                    WAIT_LIMIT_MS));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/call-waiting/hold-and-answer", Fixture, NULL, fixture_setup,
              test_hold_and_answer, fixture_teardown);
  g_test_add ("/call-waiting/end-and-answer", Fixture, NULL, fixture_setup,
              test_end_and_answer, fixture_teardown);
  return g_test_run ();
}
