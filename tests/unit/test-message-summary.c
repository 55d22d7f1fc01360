/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The message-summary reader (RFC 3842): what real servers send, the RFC's own example,
 * everything outside the grammar refused with a line number, and deterministic mutations
 * of a valid body that must never crash. */
#include <string.h>

#include "trv-message-summary.h"
#include "trv-error.h"

static void
parse_ok (const char *body, TrvMessageSummary *s)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = trv_message_summary_parse (body, strlen (body), s, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
parse_bad (const char *body, const char *why)
{
  g_autoptr(GError) error = NULL;
  TrvMessageSummary s;
  g_assert_false (trv_message_summary_parse (body, body ? strlen (body) : 0, &s, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_FAILED);
  if (why && strstr (error->message, why) == NULL)
    g_error ("%s: expected '%s' in '%s'", body, why, error->message);
  /* Left cleared: nothing half-read leaks out. */
  g_assert_null (s.account);
  g_assert_cmpint (s.voice_new, ==, -1);
  g_assert_cmpint (s.voice_old, ==, -1);
}

static void
test_rfc_example (void)
{
  TrvMessageSummary s;
  parse_ok ("Messages-Waiting: yes\r\n"
            "Message-Account: sip:alice@vmail.example.com\r\n"
            "Voice-Message: 2/8 (0/2)\r\n"
            "\r\n", &s);
  g_assert_true (s.waiting);
  g_assert_cmpstr (s.account, ==, "sip:alice@vmail.example.com");
  g_assert_cmpint (s.voice_new, ==, 2);
  g_assert_cmpint (s.voice_old, ==, 8);
  g_assert_cmpint (s.voice_new_urgent, ==, 0);
  g_assert_cmpint (s.voice_old_urgent, ==, 2);
  trv_message_summary_clear (&s);
  g_assert_null (s.account);
}

static void
test_servers (void)
{
  TrvMessageSummary s;
  /* Asterisk: LF only, a lowercase value, no urgent counts. */
  parse_ok ("Messages-Waiting: no\nMessage-Account: sip:*97@pbx.example.net\n"
            "Voice-Message: 0/3 (0/0)\n", &s);
  g_assert_false (s.waiting);
  g_assert_cmpint (s.voice_new, ==, 0);
  g_assert_cmpint (s.voice_old, ==, 3);
  trv_message_summary_clear (&s);
  /* Only the status line; other classes; extension headers after the blank line. */
  parse_ok ("Messages-Waiting: yes\r\n", &s);
  g_assert_true (s.waiting);
  g_assert_cmpint (s.voice_new, ==, -1);
  trv_message_summary_clear (&s);
  parse_ok ("messages-waiting:YES\r\nFax-Message: 1/0\r\nvoice-message:4/5\r\n\r\n"
            "To: <sip:alice@example.com>\r\nSubject: hello\r\n", &s);
  g_assert_cmpint (s.voice_new, ==, 4);
  g_assert_cmpint (s.voice_old, ==, 5);
  g_assert_cmpint (s.voice_new_urgent, ==, -1);
  trv_message_summary_clear (&s);
  parse_ok ("Messages-Waiting: yes\r\nMessage-Account: <tel:+4930123>\r\n"
            "Voice-Message: 999999/0\r\n", &s);
  g_assert_cmpstr (s.account, ==, "tel:+4930123");
  g_assert_cmpint (s.voice_new, ==, TRV_MESSAGE_SUMMARY_MAX_COUNT);
  trv_message_summary_clear (&s);
}

static void
test_refused (void)
{
  parse_bad (NULL, "empty");
  parse_bad ("", "empty");
  parse_bad ("hello world", "line 1");
  parse_bad ("\r\nMessages-Waiting: yes\r\n", "must come first");
  parse_bad ("Voice-Message: 1/0\r\nMessages-Waiting: yes\r\n", "must come first");
  parse_bad ("Messages-Waiting: maybe\r\n", "neither yes nor no");
  parse_bad ("Messages-Waiting: yes\r\nVoice-Message: 1\r\n", "line 2");
  parse_bad ("Messages-Waiting: yes\r\nVoice-Message: -1/0\r\n", "new/old");
  parse_bad ("Messages-Waiting: yes\r\nVoice-Message: 1/0 (1)\r\n", "new/old");
  parse_bad ("Messages-Waiting: yes\r\nVoice-Message: 1/0 junk\r\n", "new/old");
  parse_bad ("Messages-Waiting: yes\r\nVoice-Message: 1000000/0\r\n", "new/old");
  parse_bad ("Messages-Waiting: yes\r\nVoice-Message: 99999999999999999999/0\r\n", "new/old");
  parse_bad ("Messages-Waiting: yes\r\nVoice-Message: 1/0\r\nVoice-Message: 2/0\r\n", "twice");
  parse_bad ("Messages-Waiting: yes\r\nGossip-Message: 1/0\r\n", "unknown message class");
  parse_bad ("Messages-Waiting: yes\r\nMessage-Account: http://example.com/\r\n", "URI");
  parse_bad ("Messages-Waiting: yes\r\nMessage-Account: sip:\r\n", "URI");
  parse_bad ("Messages-Waiting: yes\r\nMessage-Account: sip:a b@c\r\n", "URI");
  parse_bad ("Messages-Waiting: yes\r\nVoice-Message: 1/0\r\nMessage-Account: sip:a@b\r\n",
             "after the counts");
  parse_bad ("Messages-Waiting: yes\r\n\r\nnot a header\r\n", "line 3");
  parse_bad ("Messages-Waiting: yes\r\nVoice-Message: 1/0\x01\r\n", "control characters");

  /* An embedded NUL ends nothing early: the length counts. */
  static const char nul[] = "Messages-Waiting: yes\r\n\0Voice-Message: 1/0\r\n";
  g_autoptr(GError) error = NULL;
  TrvMessageSummary s;
  g_assert_false (trv_message_summary_parse (nul, sizeof nul - 1, &s, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_FAILED);

  g_autofree gchar *huge = g_strnfill (TRV_MESSAGE_SUMMARY_MAX_LENGTH + 1, 'x');
  parse_bad (huge, "too long");
}

/* Every truncation and single-byte change of a valid body: read or refused, never a
 * crash, and counts always within the limit. */
static void
test_mutations (void)
{
  static const char valid[] = "Messages-Waiting: yes\r\nMessage-Account: sip:*97@pbx\r\n"
                              "Voice-Message: 12/345 (6/78)\r\n\r\nX-Extra: 1\r\n";
  static const char bytes[] = { '\0', '\r', '\n', ' ', ':', '/', '(', ')', '9', 'x', '\xff' };
  gsize len = sizeof valid - 1;
  guint accepted = 0;
  for (gsize i = 0; i <= len; i++)
    {
      TrvMessageSummary s;
      if (trv_message_summary_parse (valid, i, &s, NULL))
        accepted++;
      trv_message_summary_clear (&s);
    }
  for (gsize i = 0; i < len; i++)
    for (gsize b = 0; b < G_N_ELEMENTS (bytes); b++)
      {
        g_autofree gchar *copy = g_memdup2 (valid, len);
        copy[i] = bytes[b];
        TrvMessageSummary s;
        if (trv_message_summary_parse (copy, len, &s, NULL))
          {
            accepted++;
            g_assert_cmpint (s.voice_new, <=, TRV_MESSAGE_SUMMARY_MAX_COUNT);
            g_assert_cmpint (s.voice_old, <=, TRV_MESSAGE_SUMMARY_MAX_COUNT);
          }
        trv_message_summary_clear (&s);
      }
  g_assert_cmpuint (accepted, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/message-summary/rfc-example", test_rfc_example);
  g_test_add_func ("/message-summary/servers", test_servers);
  g_test_add_func ("/message-summary/refused", test_refused);
  g_test_add_func ("/message-summary/mutations", test_mutations);
  return g_test_run ();
}
