/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Registration failure handling against a tiny fake registrar on 127.0.0.1: the SIP status
 * and reason are reported, retries back off exponentially, Retry-After is honoured,
 * trv_user_agent_retry_registration() retries at once and a 200 ends the failure. */
#include <string.h>
#include <gst/gst.h>

#include "trv-error.h"
#include "trv-problem.h"
#include "trv-user-agent.h"
#include "trv-user-agent-private.h"
#include "trv-test-util.h"

#define SHUTDOWN_LIMIT_MS 8000

/* What the fake registrar answers to the n-th REGISTER (0-based). */
typedef struct {
  guint status;
  const char *phrase;
  guint retry_after;     /* 0: no Retry-After header */
} Answer;

typedef struct {
  GSocket *socket;
  GSource *source;
  guint16 port;
  GArray *times;         /* gint64 monotonic us of each REGISTER, retransmissions excluded */
  gchar *last_cseq;
  const Answer *script;  /* answers in order; the last one repeats */
  guint script_len;
  gboolean accept_all;   /* from now on answer 200 */
  TrvUserAgent *agent;
} Fixture;

/* Header value of `name` (or its compact form) in a request's header lines; the first
 * match, or all of them joined by "\r\n<Name>: " for Via. */
static gchar *
header_value (gchar **lines, const char *name, char compact)
{
  GString *out = NULL;
  for (guint i = 1; lines[i] && lines[i][0] != '\0'; i++)
    {
      const char *colon = strchr (lines[i], ':');
      if (colon == NULL)
        continue;
      g_autofree gchar *key = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      if (g_ascii_strcasecmp (key, name) != 0 &&
          !(strlen (key) == 1 && g_ascii_tolower (key[0]) == compact))
        continue;
      g_autofree gchar *value = g_strstrip (g_strdup (colon + 1));
      if (out == NULL)
        out = g_string_new (value);
      else
        g_string_append_printf (out, "\r\n%s: %s", name, value);
    }
  return out ? g_string_free (out, FALSE) : NULL;
}

static void
registrar_answer (Fixture *f, const char *request, GSocketAddress *from)
{
  g_auto(GStrv) lines = g_strsplit (request, "\r\n", -1);
  if (!g_str_has_prefix (lines[0], "REGISTER "))
    return;   /* nothing else is expected; no answer makes a stray request visible */
  g_autofree gchar *via = header_value (lines, "Via", 'v');
  g_autofree gchar *from_h = header_value (lines, "From", 'f');
  g_autofree gchar *to = header_value (lines, "To", 't');
  g_autofree gchar *call_id = header_value (lines, "Call-ID", 'i');
  g_autofree gchar *cseq = header_value (lines, "CSeq", '\0');
  g_autofree gchar *contact = header_value (lines, "Contact", 'm');
  g_assert_nonnull (via);
  g_assert_nonnull (from_h);
  g_assert_nonnull (to);
  g_assert_nonnull (call_id);
  g_assert_nonnull (cseq);

  /* A retransmission repeats Call-ID and CSeq: same answer, not a new attempt. */
  g_autofree gchar *transaction = g_strconcat (call_id, " ", cseq, NULL);
  if (g_strcmp0 (transaction, f->last_cseq) != 0)
    {
      gint64 now = g_get_monotonic_time ();
      g_array_append_val (f->times, now);
      g_free (f->last_cseq);
      f->last_cseq = g_steal_pointer (&transaction);
    }
  guint n = f->times->len - 1;
  Answer ok = { 200, "OK", 0 };
  const Answer *a = f->accept_all ? &ok : &f->script[MIN (n, f->script_len - 1)];

  GString *msg = g_string_new (NULL);
  g_string_append_printf (msg, "SIP/2.0 %u %s\r\n", a->status, a->phrase);
  g_string_append_printf (msg, "Via: %s\r\n", via);
  g_string_append_printf (msg, "From: %s\r\n", from_h);
  g_string_append_printf (msg, "To: %s%s\r\n", to, strstr (to, ";tag=") ? "" : ";tag=fake-registrar");
  g_string_append_printf (msg, "Call-ID: %s\r\n", call_id);
  g_string_append_printf (msg, "CSeq: %s\r\n", cseq);
  if (a->retry_after)
    g_string_append_printf (msg, "Retry-After: %u\r\n", a->retry_after);
  if (a->status == 401)
    g_string_append_printf (msg, "WWW-Authenticate: Digest realm=\"fake\", nonce=\"n%u\", "
                                 "algorithm=MD5\r\n", n);
  if (a->status == 200 && contact)
    g_string_append_printf (msg, "Contact: %s;expires=300\r\nExpires: 300\r\n", contact);
  g_string_append (msg, "Content-Length: 0\r\n\r\n");
  g_autoptr(GError) error = NULL;
  g_socket_send_to (f->socket, from, msg->str, msg->len, NULL, &error);
  g_assert_no_error (error);
  g_string_free (msg, TRUE);
}

static gboolean
on_registrar_readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  Fixture *f = data;
  char buf[8192];
  GSocketAddress *from = NULL;
  gssize n = g_socket_receive_from (socket, &from, buf, sizeof buf - 1, NULL, NULL);
  if (n > 0)
    {
      buf[n] = '\0';
      registrar_answer (f, buf, from);
    }
  g_clear_object (&from);
  return G_SOURCE_CONTINUE;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  f->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                            G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_assert_true (g_socket_bind (f->socket, any, FALSE, &error));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (f->socket, &error);
  g_assert_no_error (error);
  f->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  f->source = g_socket_create_source (f->socket, G_IO_IN, NULL);
  g_source_set_callback (f->source, G_SOURCE_FUNC (on_registrar_readable), f, NULL);
  g_source_attach (f->source, NULL);
}

static void
start_agent_with_password (Fixture *f, const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvAccountConfig) acc = trv_account_config_new ();
  acc->address = g_strdup ("sip:alice@127.0.0.1");
  acc->password = g_strdup (password);
  acc->registrar = g_strdup_printf ("127.0.0.1:%u", f->port);
  acc->transport = TRV_SIP_TRANSPORT_UDP;
  acc->do_register = TRUE;
  g_assert_true (trv_account_config_validate (acc, &error));
  g_assert_no_error (error);
  f->agent = trv_user_agent_new (acc, NULL, NULL);
  g_assert_true (trv_user_agent_start (f->agent, "127.0.0.1", &error));
  g_assert_no_error (error);
}

static void
start_agent (Fixture *f)
{
  start_agent_with_password (f, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->agent)
    {
      trv_test_agent_shutdown (f->agent, SHUTDOWN_LIMIT_MS);
      g_clear_object (&f->agent);
    }
  g_source_destroy (f->source);
  g_source_unref (f->source);
  g_socket_close (f->socket, NULL);
  g_clear_object (&f->socket);
  g_array_unref (f->times);
  g_free (f->last_cseq);
}

/* Runs the main loop until the registrar has seen `count` REGISTERs and the agent's state
 * is `state` (the answer to the last one was handled), or `limit_s` passes. */
static gboolean
wait_register (Fixture *f, guint count, TrvRegistrationState state, double limit_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (limit_s * G_USEC_PER_SEC);
  while (f->times->len < count ||
         trv_user_agent_get_registration_state (f->agent) != state)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static double
gap_s (Fixture *f, guint i)
{
  return (g_array_index (f->times, gint64, i) - g_array_index (f->times, gint64, i - 1)) /
         (double) G_USEC_PER_SEC;
}

static void
assert_failed_with_503 (Fixture *f)
{
  g_assert_cmpint (trv_user_agent_get_registration_state (f->agent), ==, TRV_REGISTRATION_FAILED);
  g_assert_cmpuint (trv_user_agent_get_registration_status (f->agent), ==, 503);
  const GError *error = trv_user_agent_get_registration_error (f->agent);
  g_assert_nonnull (error);
  g_assert_true (error->domain == TRV_ERROR);
  g_assert_nonnull (strstr (error->message, "503"));
  g_assert_nonnull (strstr (error->message, "Service Unavailable"));
}

/* 503 without Retry-After: failed with the status and reason, retries after ~5 s, then
 * ~10 s; a manual retry goes out at once and its 200 clears the failure. */
static void
test_backoff (Fixture *f, gconstpointer data)
{
  static const Answer script[] = { { 503, "Service Unavailable", 0 } };
  f->script = script;
  f->script_len = G_N_ELEMENTS (script);
  start_agent (f);

  g_assert_true (wait_register (f, 1, TRV_REGISTRATION_FAILED, 5));
  assert_failed_with_503 (f);
  g_assert_true (wait_register (f, 2, TRV_REGISTRATION_FAILED, 9));
  assert_failed_with_503 (f);
  g_assert_true (wait_register (f, 3, TRV_REGISTRATION_FAILED, 15));
  assert_failed_with_503 (f);

  double first = gap_s (f, 1), second = gap_s (f, 2);
  g_test_message ("REGISTER gaps: %.2f s, %.2f s", first, second);
  g_assert_cmpfloat (first, >=, 4.0);
  g_assert_cmpfloat (first, <=, 6.5);
  g_assert_cmpfloat (second / first, >=, 1.6);
  g_assert_cmpfloat (second / first, <=, 2.4);

  /* The next automatic retry is ~20 s away: a manual one must go out now. */
  f->accept_all = TRUE;
  gint64 before = g_get_monotonic_time ();
  trv_user_agent_retry_registration (f->agent);
  g_assert_true (wait_register (f, 4, TRV_REGISTRATION_REGISTERED, 2));
  g_assert_cmpfloat ((g_array_index (f->times, gint64, 3) - before) / (double) G_USEC_PER_SEC,
                     <, 1.0);
  g_assert_cmpuint (trv_user_agent_get_registration_status (f->agent), ==, 200);
  g_assert_null (trv_user_agent_get_registration_error (f->agent));
}

/* The whole backoff sequence without waiting for it: 5, 10, 20, ... s, never more than
 * 300 s, however long the server's Retry-After; a success (step reset to 0) starts over. */
static void
test_backoff_cap (void)
{
  static const guint expected[] = { 5, 10, 20, 40, 80, 160, 300, 300, 300 };
  guint step = 0;
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (_trv_registration_backoff_next (&step, 0), ==, expected[i]);
  g_assert_cmpuint (step, ==, 300);

  step = 0;
  g_assert_cmpuint (_trv_registration_backoff_next (&step, 3600), ==, 300);
  g_assert_cmpuint (step, ==, 300);
  step = 0;
  /* A Retry-After shorter than the current step does not shorten the wait. */
  g_assert_cmpuint (_trv_registration_backoff_next (&step, 8), ==, 8);
  g_assert_cmpuint (_trv_registration_backoff_next (&step, 2), ==, 16);
}

/* 503 with Retry-After: 8 (longer than the first backoff step): the failure is reported at
 * once and the next REGISTER waits the 8 s the server asked for; then a 200 registers. */
static void
test_retry_after (Fixture *f, gconstpointer data)
{
  static const Answer script[] = {
    { 503, "Service Unavailable", 8 },
    { 200, "OK", 0 },
  };
  f->script = script;
  f->script_len = G_N_ELEMENTS (script);
  start_agent (f);

  g_assert_true (wait_register (f, 1, TRV_REGISTRATION_FAILED, 5));
  assert_failed_with_503 (f);
  g_assert_true (wait_register (f, 2, TRV_REGISTRATION_REGISTERED, 12));
  double gap = gap_s (f, 1);
  g_test_message ("REGISTER gap after Retry-After 8: %.2f s", gap);
  g_assert_cmpfloat (gap, >=, 7.5);
  g_assert_cmpfloat (gap, <=, 10.0);
  g_assert_null (trv_user_agent_get_registration_error (f->agent));
}

/* A refused password (401 to the answered challenge too): FAILED naming the credentials,
 * and the backoff retry really sends a fresh REGISTER (and challenge answer) later;
 * a registrar that then accepts ends the failure. */
static void
test_wrong_password_retry (Fixture *f, gconstpointer data)
{
  static const Answer script[] = { { 401, "Unauthorized", 0 } };
  f->script = script;
  f->script_len = G_N_ELEMENTS (script);
  start_agent_with_password (f, "wrong");

  /* REGISTER, then the answer to the challenge: both refused. */
  g_assert_true (wait_register (f, 2, TRV_REGISTRATION_FAILED, 5));
  const GError *error = trv_user_agent_get_registration_error (f->agent);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "401"));
  /* The status and the registrar travel as data too, for a front end's detail. */
  g_assert_cmpuint (trv_error_get_sip_status (error), ==, 401);
  g_assert_nonnull (trv_error_get_uri (error));
  g_assert_true (g_str_has_prefix (trv_error_get_uri (error), "sip:"));
  g_autoptr(TrvProblem) problem = trv_problem_new_for_registration (error);
  g_assert_cmpint (problem->action, ==, TRV_PROBLEM_ACTION_EDIT_ACCOUNT);
  g_assert_cmpuint (problem->sip_status, ==, 401);
  g_assert_cmpstr (problem->uri, ==, trv_error_get_uri (error));
  g_assert_cmpuint (f->times->len, ==, 2);

  /* The first backoff step is ~5 s: the retry must reach the registrar. */
  g_assert_true (wait_register (f, 4, TRV_REGISTRATION_FAILED, 9));
  g_assert_error (trv_user_agent_get_registration_error (f->agent), TRV_ERROR,
                  TRV_ERROR_AUTH_FAILED);
  f->accept_all = TRUE;
  trv_user_agent_retry_registration (f->agent);
  g_assert_true (wait_register (f, 5, TRV_REGISTRATION_REGISTERED, 3));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/registration/backoff-cap", test_backoff_cap);
  g_test_add ("/registration/backoff-503", Fixture, NULL, fixture_setup, test_backoff,
              fixture_teardown);
  g_test_add ("/registration/retry-after", Fixture, NULL, fixture_setup, test_retry_after,
              fixture_teardown);
  g_test_add ("/registration/wrong-password-retry", Fixture, NULL, fixture_setup,
              test_wrong_password_retry, fixture_teardown);
  return g_test_run ();
}
