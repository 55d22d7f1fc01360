/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-log.c: the log's password scrubbing and the bounded record behind the About window's
 * debug info. */
#include <glib.h>
#include <string.h>

#include "trv-log.h"

static void
test_scrub_secrets (void)
{
  trv_log_add_secret ("s3cr3t-pw");
  trv_log_add_secret ("");
  trv_log_add_secret (NULL);
  trv_log_add_secret ("s3cr3t-pw");

  g_autofree gchar *a = trv_log_scrub (g_strdup ("user/pass : alice -- s3cr3t-pw"));
  g_assert_cmpstr (a, ==, "user/pass : alice -- ***");
  g_autofree gchar *b = trv_log_scrub (g_strdup ("s3cr3t-pw twice: xs3cr3t-pwx"));
  g_assert_cmpstr (b, ==, "*** twice: x***x");
  g_autofree gchar *c = trv_log_scrub (g_strdup ("nothing secret here: s3cr3t"));
  g_assert_cmpstr (c, ==, "nothing secret here: s3cr3t");
  g_assert_null (trv_log_scrub (NULL));
}

static void
test_scrub_digest_lines (void)
{
  /* As sofia-sip's iptsec prints them at level 5: a password it was never told about. */
  g_autofree gchar *a = trv_log_scrub (g_strdup ("auth_digest_a1() has A1 = MD5(bob:lab:hunter2) "
                                                 "= 0123abcd"));
  g_assert_cmpstr (a, ==, "auth_digest_a1() has A1 = MD5(***");
  g_autofree gchar *b = trv_log_scrub (g_strdup ("auth_response: 99 = MD5(REGISTER:sip:x)"));
  g_assert_cmpstr (b, ==, "auth_response: ***");
  g_autofree gchar *c = trv_log_scrub (g_strdup ("auth_response: "));
  g_assert_cmpstr (c, ==, "auth_response: ***");
}

static void
test_record (void)
{
  /* Debug messages are kept although G_MESSAGES_DEBUG does not show them. */
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_assert_false (trv_log_wants_debug ("Traverse-Test"));
  g_autofree gchar *empty = trv_log_record_get_text ();
  g_assert_cmpstr (empty, ==, "");

  trv_log_add_secret ("rec-pw-77");
  trv_log_record_start (3);
  g_assert_true (trv_log_wants_debug ("Traverse-Test"));
  for (int i = 1; i <= 5; i++)
    g_log_structured ("Traverse-Test", G_LOG_LEVEL_DEBUG, "MESSAGE", "line %d rec-pw-77", i);

  g_autofree gchar *text = trv_log_record_get_text ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* three lines and the empty tail */
  for (int i = 0; i < 3; i++)
    {
      g_autofree gchar *want = g_strdup_printf (" Traverse-Test-DEBUG: line %d ***", i + 3);
      g_assert_true (g_str_has_suffix (lines[i], want));
      /* "HH:MM:SS.mmm " before the domain */
      g_assert_cmpuint (strlen (lines[i]), ==, 13 + strlen (want) - 1);
    }
  g_assert_cmpstr (lines[3], ==, "");
  g_assert_null (strstr (text, "rec-pw-77"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/log/scrub-secrets", test_scrub_secrets);
  g_test_add_func ("/log/scrub-digest-lines", test_scrub_digest_lines);
  g_test_add_func ("/log/record", test_record);
  return g_test_run ();
}
