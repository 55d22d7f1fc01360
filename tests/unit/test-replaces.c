/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-replaces.c: the Replaces of a Refer-To URI (attended transfer, RFC 3891): found,
 * unescaped and checked as the transferee reads it, and read back from what the
 * transferor writes (sofia's sip_headers_as_url_query). */
#include "config.h"

#include <glib.h>

#include "trv-call-private.h"   /* _trv_uri_replaces */

/* _trv_uri_replaces on the URI @text: its result, *value set. */
static gboolean
replaces_of (const char *text, gchar **value)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = url_make (home, text);
  g_assert_nonnull (url);
  gboolean ok = _trv_uri_replaces (url, value);
  su_home_deinit (home);
  return ok;
}

static void
test_none (void)
{
  g_autofree gchar *value = NULL;
  g_assert_true (replaces_of ("sip:carol@127.0.0.1", &value));
  g_assert_null (value);
  g_assert_true (replaces_of ("sip:carol@127.0.0.1?Subject=hello", &value));
  g_assert_null (value);
}

static void
test_found (void)
{
  g_autofree gchar *value = NULL;
  g_assert_true (replaces_of ("sip:carol@127.0.0.1?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2",
                              &value));
  g_assert_cmpstr (value, ==, "abc@h;to-tag=1;from-tag=2");
  g_clear_pointer (&value, g_free);
  /* Header names are case-insensitive, and other headers may come first. */
  g_assert_true (replaces_of ("sip:carol@h?subject=x&replaces=id%3Bfrom-tag%3Da%3Bto-tag%3Db",
                              &value));
  g_assert_cmpstr (value, ==, "id;from-tag=a;to-tag=b");
}

static void
test_malformed (void)
{
  const char *bad[] = {
    "sip:carol@h?Replaces=abc%40h%3Bto-tag%3D1",          /* no from-tag */
    "sip:carol@h?Replaces=abc%40h%3Bfrom-tag%3D1",        /* no to-tag */
    "sip:carol@h?Replaces=%3Bto-tag%3D1%3Bfrom-tag%3D2",  /* no call-id */
    "sip:carol@h?Replaces=",
    "sip:carol@h?Replaces=%3B%3B%3D",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree gchar *value = NULL;
      g_assert_false (replaces_of (bad[i], &value));
      g_assert_null (value);
    }
}

/* What trv_call_transfer_to_call() puts in the Refer-To reads back as the same dialog. */
static void
test_round_trip (void)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sip_replaces_t *rp = sip_replaces_make (home, "8f2a@10.0.0.1;from-tag=abc;to-tag=def;early-only");
  g_assert_nonnull (rp);
  url_t *url = url_make (home, "sip:carol@127.0.0.1:5070");
  url->url_headers = sip_headers_as_url_query (home, SIPTAG_REPLACES (rp), TAG_END ());
  g_autofree gchar *text = g_strdup (url_as_string (home, url));
  su_home_deinit (home);

  g_autofree gchar *value = NULL;
  g_assert_true (replaces_of (text, &value));
  su_home_t home2[1] = { SU_HOME_INIT (home2) };
  sip_replaces_t *back = sip_replaces_make (home2, value);
  g_assert_nonnull (back);
  g_assert_cmpstr (back->rp_call_id, ==, "8f2a@10.0.0.1");
  g_assert_cmpstr (back->rp_from_tag, ==, "abc");
  g_assert_cmpstr (back->rp_to_tag, ==, "def");
  g_assert_true (back->rp_early_only);
  su_home_deinit (home2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/replaces/none", test_none);
  g_test_add_func ("/replaces/found", test_found);
  g_test_add_func ("/replaces/malformed", test_malformed);
  g_test_add_func ("/replaces/round-trip", test_round_trip);
  return g_test_run ();
}
