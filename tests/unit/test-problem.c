/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-problem.c: the plain words and the action chosen for a failure, from data only
 * (TRV_ERROR code, SIP status, end reason, config key), and the SIP data an error carries. */
#include "config.h"

#include <string.h>

#include "trv-error.h"
#include "trv-problem.h"

static GError *
sip_error (gint code, guint status, const char *uri, const char *message)
{
  return trv_error_set_sip (g_error_new_literal (TRV_ERROR, code, message), status, uri);
}

static void
test_error_carries_sip (void)
{
  g_autoptr(GError) error = sip_error (TRV_ERROR_AUTH_FAILED, 401, "sip:127.0.0.1:5060",
                                       "refused");
  g_assert_cmpuint (trv_error_get_sip_status (error), ==, 401);
  g_assert_cmpstr (trv_error_get_uri (error), ==, "sip:127.0.0.1:5060");
  /* Copies keep it (errors are copied into state and signals). */
  g_autoptr(GError) copy = g_error_copy (error);
  g_assert_cmpuint (trv_error_get_sip_status (copy), ==, 401);
  g_assert_cmpstr (trv_error_get_uri (copy), ==, "sip:127.0.0.1:5060");
  /* Errors without it, and other domains, have none. */
  g_autoptr(GError) plain = g_error_new_literal (TRV_ERROR, TRV_ERROR_FAILED, "x");
  g_assert_cmpuint (trv_error_get_sip_status (plain), ==, 0);
  g_assert_null (trv_error_get_uri (plain));
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  g_assert_cmpuint (trv_error_get_sip_status (io), ==, 0);
  g_assert_null (trv_error_get_uri (io));
}

static void
test_registration (void)
{
  /* The message is technical on purpose: the plain text must not repeat it, the
   * detail must keep it. */
  g_autoptr(GError) auth = sip_error (TRV_ERROR_AUTH_FAILED, 401, "sip:reg.example",
                                      "sip:reg.example refused (SIP 401 Unauthorized)");
  g_autoptr(TrvProblem) p = trv_problem_new_for_registration (auth);
  g_assert_cmpint (p->action, ==, TRV_PROBLEM_ACTION_EDIT_ACCOUNT);
  g_assert_null (strstr (p->text, "SIP"));
  g_assert_null (strstr (p->text, "sip:"));
  g_assert_cmpstr (p->detail, ==, auth->message);
  g_assert_cmpuint (p->sip_status, ==, 401);
  g_assert_cmpstr (p->uri, ==, "sip:reg.example");

  g_autoptr(GError) gone = sip_error (TRV_ERROR_UNREACHABLE, 408, "sip:reg.example", "x");
  g_autoptr(TrvProblem) q = trv_problem_new_for_registration (gone);
  g_assert_cmpint (q->action, ==, TRV_PROBLEM_ACTION_TRY_AGAIN);

  /* TRV_ERROR_REGISTRATION: by the status. */
  g_autoptr(GError) unknown = sip_error (TRV_ERROR_REGISTRATION, 404, "sip:r", "x");
  g_autoptr(TrvProblem) r = trv_problem_new_for_registration (unknown);
  g_assert_cmpint (r->action, ==, TRV_PROBLEM_ACTION_EDIT_ACCOUNT);
  g_autoptr(GError) busy = sip_error (TRV_ERROR_REGISTRATION, 500, "sip:r", "x");
  g_autoptr(TrvProblem) s = trv_problem_new_for_registration (busy);
  g_assert_cmpint (s->action, ==, TRV_PROBLEM_ACTION_TRY_AGAIN);
  g_assert_cmpstr (r->text, !=, s->text);

  g_autoptr(GError) tls = g_error_new_literal (TRV_ERROR, TRV_ERROR_TLS, "bad certificate");
  g_autoptr(TrvProblem) t = trv_problem_new_for_registration (tls);
  g_assert_cmpint (t->action, ==, TRV_PROBLEM_ACTION_EDIT_ACCOUNT);
  g_assert_cmpuint (t->sip_status, ==, 0);
  g_assert_null (t->uri);
  g_assert_cmpstr (t->detail, ==, "bad certificate");

  g_autoptr(TrvProblem) copy = trv_problem_copy (p);
  g_assert_cmpstr (copy->text, ==, p->text);
  g_assert_cmpstr (copy->detail, ==, p->detail);
  g_assert_cmpstr (copy->uri, ==, p->uri);
}

static void
test_start (void)
{
  g_autoptr(GError) account = NULL;
  trv_invalid_config (&account, "account.proxy", "account.proxy: bad");
  g_autoptr(TrvProblem) a = trv_problem_new_for_start (account);
  g_assert_cmpint (a->action, ==, TRV_PROBLEM_ACTION_EDIT_ACCOUNT);

  g_autoptr(GError) nat = NULL;
  trv_invalid_config (&nat, "nat.stun-server", "nat.stun-server: bad");
  g_autoptr(TrvProblem) n = trv_problem_new_for_start (nat);
  g_assert_cmpint (n->action, ==, TRV_PROBLEM_ACTION_NETWORK_SETTINGS);
  g_assert_null (strstr (n->text, "nat."));

  g_autoptr(GError) port = g_error_new_literal (TRV_ERROR, TRV_ERROR_UNREACHABLE, "in use");
  g_autoptr(TrvProblem) p = trv_problem_new_for_start (port);
  g_assert_cmpint (p->action, ==, TRV_PROBLEM_ACTION_TRY_AGAIN);
}

static void
test_call_end (void)
{
  /* Ended as calls end: no problem to show. */
  g_assert_null (trv_problem_new_for_call_end (TRV_CALL_END_LOCAL_HANGUP, 200, NULL, TRUE));
  g_assert_null (trv_problem_new_for_call_end (TRV_CALL_END_REMOTE_HANGUP, 200, NULL, TRUE));
  g_assert_null (trv_problem_new_for_call_end (TRV_CALL_END_CANCELLED, 487, NULL, FALSE));
  g_assert_null (trv_problem_new_for_call_end (TRV_CALL_END_DECLINED, 0, NULL, FALSE));

  g_autoptr(GError) nf = sip_error (TRV_ERROR_REJECTED, 404, "sip:bob@example.org",
                                    "sip:bob@example.org rejected the call (SIP 404 Not Found)");
  g_autoptr(TrvProblem) a = trv_problem_new_for_call_end (TRV_CALL_END_REJECTED, 404, nf, FALSE);
  g_assert_cmpint (a->action, ==, TRV_PROBLEM_ACTION_NONE);
  g_assert_null (strstr (a->text, "404"));
  g_assert_nonnull (strstr (a->detail, "404"));
  g_assert_cmpstr (a->uri, ==, "sip:bob@example.org");

  g_autoptr(GError) busy = sip_error (TRV_ERROR_REJECTED, 486, "sip:b", "x");
  g_autoptr(TrvProblem) b = trv_problem_new_for_call_end (TRV_CALL_END_REJECTED, 486, busy, FALSE);
  g_assert_cmpint (b->action, ==, TRV_PROBLEM_ACTION_TRY_AGAIN);
  g_assert_cmpstr (a->text, !=, b->text);

  /* The error's code wins over the status: 403 from the provider is about the account. */
  g_autoptr(GError) auth = sip_error (TRV_ERROR_AUTH_FAILED, 403, "sip:b", "x");
  g_autoptr(TrvProblem) c = trv_problem_new_for_call_end (TRV_CALL_END_REJECTED, 403, auth, FALSE);
  g_assert_cmpint (c->action, ==, TRV_PROBLEM_ACTION_EDIT_ACCOUNT);

  /* A status without an error still reaches the detail. */
  g_autoptr(TrvProblem) d = trv_problem_new_for_call_end (TRV_CALL_END_REJECTED, 480, NULL, FALSE);
  g_assert_cmpint (d->action, ==, TRV_PROBLEM_ACTION_TRY_AGAIN);
  g_assert_nonnull (strstr (d->detail, "480"));

  /* No media: blocked (network settings) or lost after audio flowed (try again). */
  g_autoptr(GError) path = g_error_new_literal (TRV_ERROR, TRV_ERROR_NO_PATH, "symmetric NAT");
  g_autoptr(TrvProblem) e = trv_problem_new_for_call_end (TRV_CALL_END_NO_MEDIA, 200, path, FALSE);
  g_assert_cmpint (e->action, ==, TRV_PROBLEM_ACTION_NETWORK_SETTINGS);
  g_assert_cmpstr (e->detail, ==, "symmetric NAT");
  g_autoptr(GError) quiet = g_error_new_literal (TRV_ERROR, TRV_ERROR_NO_MEDIA, "no audio");
  g_autoptr(TrvProblem) f = trv_problem_new_for_call_end (TRV_CALL_END_NO_MEDIA, 200, quiet, TRUE);
  g_assert_cmpint (f->action, ==, TRV_PROBLEM_ACTION_TRY_AGAIN);
  /* No path found before any audio (no common address family): the call failed. */
  g_autoptr(TrvProblem) h = trv_problem_new_for_call_end (TRV_CALL_END_FAILED, 0, path, FALSE);
  g_assert_cmpint (h->action, ==, TRV_PROBLEM_ACTION_NETWORK_SETTINGS);
  g_assert_cmpstr (h->text, ==, e->text);

  g_autoptr(GError) codec = sip_error (TRV_ERROR_NO_COMMON_CODEC, 488, "sip:b", "x");
  g_autoptr(TrvProblem) g = trv_problem_new_for_call_end (TRV_CALL_END_REJECTED, 488, codec, FALSE);
  g_assert_cmpint (g->action, ==, TRV_PROBLEM_ACTION_NONE);
  g_assert_cmpstr (g->text, !=, a->text);
  /* A bare 488 (no Warning naming the codecs) is about the offer, not the codecs. */
  g_autoptr(GError) bare = sip_error (TRV_ERROR_REJECTED, 488, "sip:b", "x");
  g_autoptr(TrvProblem) i = trv_problem_new_for_call_end (TRV_CALL_END_REJECTED, 488, bare, FALSE);
  g_assert_cmpint (i->action, ==, TRV_PROBLEM_ACTION_NONE);
  g_assert_cmpstr (i->text, !=, g->text);
  g_assert_cmpstr (i->text, !=, a->text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/problem/error-carries-sip", test_error_carries_sip);
  g_test_add_func ("/problem/registration", test_registration);
  g_test_add_func ("/problem/start", test_start);
  g_test_add_func ("/problem/call-end", test_call_end);
  return g_test_run ();
}
