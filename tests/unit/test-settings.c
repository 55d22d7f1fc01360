/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-settings.c: TrvSettings over the in-memory GSettings backend and (when run by
 * with-keyring.sh, which sets TRV_TEST_KEYRING=1) a private, unlocked gnome-keyring.
 * Without that variable the Secret Service cases are skipped: they must never touch the
 * keyring of the user running the tests. */
#include <string.h>

#include "trv-error.h"
#include "trv-settings.h"

typedef struct {
  TrvSettings *settings;
  guint changed;
} Fixture;

static gboolean
have_keyring (void)
{
  return g_strcmp0 (g_getenv ("TRV_TEST_KEYRING"), "1") == 0;
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (*slot == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);
  return *slot;
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* Lets pending idles ("changed") run. */
static void
drain (void)
{
  gint64 until = g_get_monotonic_time () + 50 * 1000;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
on_changed (TrvSettings *s, Fixture *f)
{
  f->changed++;
}

static void
reset_all (void)
{
  /* The memory backend lives for the whole process: start every case from defaults. */
  g_autoptr(GSettings) root = g_settings_new (TRV_SETTINGS_SCHEMA_ID);
  g_auto(GStrv) ids = g_settings_get_strv (root, "accounts");
  for (char **id = ids; *id; id++)
    {
      g_autofree gchar *path = g_strdup_printf ("/io/github/traverse/Traverse/accounts/%s/", *id);
      g_autoptr(GSettings) acc = g_settings_new_with_path (TRV_SETTINGS_SCHEMA_ID ".Account", path);
      g_settings_reset (acc, "address");
    }
  g_settings_reset (root, "accounts");
  const char *children[] = { "nat", "audio" };
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      g_autoptr(GSettings) child = g_settings_get_child (root, children[i]);
      g_autoptr(GSettingsSchema) schema = NULL;
      g_object_get (child, "settings-schema", &schema, NULL);
      g_auto(GStrv) keys = g_settings_schema_list_keys (schema);
      for (char **k = keys; *k; k++)
        g_settings_reset (child, *k);
    }
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  reset_all ();
  f->settings = trv_settings_new (&error);
  g_assert_no_error (error);
  g_signal_connect (f->settings, "changed", G_CALLBACK (on_changed), f);
  drain ();
  f->changed = 0;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->settings);
  drain ();
}

static gchar *
save_account (Fixture *f, const char *id, const TrvAccountConfig *c, GError **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  trv_settings_save_account_async (f->settings, id, c, NULL, store_result, &res);
  return trv_settings_save_account_finish (f->settings, wait_result (&res), error);
}

static gboolean
save_nat (Fixture *f, const TrvNatConfig *c, GError **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  trv_settings_save_nat_async (f->settings, c, NULL, store_result, &res);
  return trv_settings_save_nat_finish (f->settings, wait_result (&res), error);
}

static gchar *
lookup (Fixture *f, const char *kind, const char *id)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  _trv_settings_lookup_password_async (f->settings, kind, id, NULL, store_result, &res);
  gchar *pw = trv_settings_lookup_password_finish (f->settings, wait_result (&res), &error);
  g_assert_no_error (error);
  return pw;
}

/* Every value of every key of the app's schemas, printed: passwords must never be here. */
static gchar *
dump_gsettings (void)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GSettings) root = g_settings_new (TRV_SETTINGS_SCHEMA_ID);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (all, g_object_ref (root));
  g_ptr_array_add (all, g_settings_get_child (root, "nat"));
  g_ptr_array_add (all, g_settings_get_child (root, "audio"));
  g_auto(GStrv) ids = g_settings_get_strv (root, "accounts");
  for (char **id = ids; *id; id++)
    {
      g_autofree gchar *path = g_strdup_printf ("/io/github/traverse/Traverse/accounts/%s/", *id);
      g_ptr_array_add (all, g_settings_new_with_path (TRV_SETTINGS_SCHEMA_ID ".Account", path));
    }
  for (guint i = 0; i < all->len; i++)
    {
      GSettings *s = all->pdata[i];
      g_autoptr(GSettingsSchema) schema = NULL;
      g_object_get (s, "settings-schema", &schema, NULL);
      g_auto(GStrv) keys = g_settings_schema_list_keys (schema);
      for (char **k = keys; *k; k++)
        {
          g_autoptr(GVariant) v = g_settings_get_value (s, *k);
          g_autofree gchar *text = g_variant_print (v, FALSE);
          g_string_append_printf (out, "%s=%s\n", *k, text);
        }
    }
  return g_string_free (out, FALSE);
}

static TrvAccountConfig *
alice (void)
{
  TrvAccountConfig *c = trv_account_config_new ();
  c->address = g_strdup ("sip:alice@example.org");
  c->display_name = g_strdup ("Alice");
  c->voicemail = g_strdup ("*97");
  c->registrar = g_strdup ("registrar.example.org:5070");
  c->local_port = 5099;
  c->srtp = TRV_SRTP_MANDATORY;
  c->transport = TRV_SIP_TRANSPORT_TLS;
  return c;
}

static void
test_defaults (Fixture *f, gconstpointer data)
{
  g_auto(GStrv) ids = trv_settings_dup_account_ids (f->settings);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);

  g_autoptr(TrvNatConfig) nat = trv_settings_get_nat (f->settings);
  g_assert_cmpint (nat->mode, ==, TRV_NAT_MODE_ICE);
  g_assert_null (nat->stun_server);
  g_assert_null (nat->turn_password);

  g_autoptr(TrvMediaConfig) media = trv_settings_get_media (f->settings);
  g_assert_cmpstr (media->codecs[0], ==, "opus");
  g_assert_cmpuint (media->jitter_ms, ==, TRV_DEFAULT_JITTER_MS);
  g_assert_true (media->echo_cancel);
  g_assert_cmpuint (media->inactivity_timeout_s, ==, TRV_DEFAULT_INACTIVITY_TIMEOUT_S);

  g_autoptr(TrvAudioSettings) audio = trv_settings_get_audio (f->settings);
  g_assert_true (audio->echo_cancellation);
  g_assert_null (audio->input_device);

  g_autoptr(GError) error = NULL;
  g_assert_null (trv_settings_get_account (f->settings, "nope", &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
}

static void
test_account_roundtrip_without_password (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvAccountConfig) c = alice ();   /* password NULL: nothing for the keyring */

  g_autofree gchar *id = save_account (f, NULL, c, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  drain ();
  g_assert_cmpuint (f->changed, ==, 1);

  g_auto(GStrv) ids = trv_settings_dup_account_ids (f->settings);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, id);

  g_autoptr(TrvAccountConfig) got = trv_settings_get_account (f->settings, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->address, ==, "sip:alice@example.org");
  g_assert_cmpstr (got->user, ==, "alice");
  g_assert_cmpstr (got->display_name, ==, "Alice");
  g_assert_cmpstr (got->voicemail, ==, "*97");
  g_assert_cmpstr (got->registrar, ==, "registrar.example.org:5070");
  g_assert_null (got->proxy);
  g_assert_cmpint (got->transport, ==, TRV_SIP_TRANSPORT_TLS);
  g_assert_cmpint (got->srtp, ==, TRV_SRTP_MANDATORY);
  g_assert_false (got->srtp_over_insecure);
  g_assert_true (got->do_register);
  g_assert_cmpuint (got->local_port, ==, 5099);
  g_assert_null (got->password);

  /* Edit in place: same id, new values. */
  g_free (got->registrar);
  got->registrar = g_strdup ("");
  got->do_register = FALSE;
  g_autofree gchar *id2 = save_account (f, id, got, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id2, ==, id);
  g_autoptr(TrvAccountConfig) got2 = trv_settings_get_account (f->settings, id, &error);
  g_assert_no_error (error);
  g_assert_null (got2->registrar);
  g_assert_false (got2->do_register);
}

static void
test_invalid_account_not_saved (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvAccountConfig) c = alice ();
  g_autofree gchar *id = save_account (f, NULL, c, &error);
  g_assert_no_error (error);
  drain ();
  f->changed = 0;
  g_autofree gchar *before = dump_gsettings ();

  /* A valid display name change together with a broken registrar: neither is written. */
  g_autoptr(TrvAccountConfig) bad = alice ();
  g_free (bad->display_name);
  bad->display_name = g_strdup ("Bob");
  g_free (bad->registrar);
  bad->registrar = g_strdup ("bad host name:99999");
  g_autofree gchar *none = save_account (f, id, bad, &error);
  g_assert_null (none);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "account.registrar"));
  g_clear_error (&error);

  /* Missing address for a new account. */
  g_autoptr(TrvAccountConfig) empty = trv_account_config_new ();
  g_autofree gchar *none2 = save_account (f, NULL, empty, &error);
  g_assert_null (none2);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "account.address"));
  g_clear_error (&error);

  /* Unknown id. */
  g_autofree gchar *none3 = save_account (f, "no-such-id", c, &error);
  g_assert_null (none3);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);

  drain ();
  g_autofree gchar *after = dump_gsettings ();
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (f->changed, ==, 0);
}

static void
test_invalid_nat_not_saved (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *before = dump_gsettings ();

  /* A fine STUN server next to a TURN mode without credentials: nothing is written.
   * turn_password "" (delete) keeps this case away from the keyring. */
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->mode = TRV_NAT_MODE_TURN;
  nat->stun_server = g_strdup ("stun.example.org:3478");
  nat->turn_password = g_strdup ("");
  g_assert_false (save_nat (f, nat, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "nat.turn-username"));
  g_clear_error (&error);

  g_autoptr(TrvNatConfig) nat2 = trv_nat_config_new ();
  nat2->stun_server = g_strdup ("stun..example:70000");
  nat2->turn_password = g_strdup ("");
  g_assert_false (save_nat (f, nat2, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "nat.stun-server"));

  drain ();
  g_autofree gchar *after = dump_gsettings ();
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (f->changed, ==, 0);
}

static void
test_media (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvMediaConfig) media = trv_media_config_new ();
  g_autoptr(TrvAudioSettings) audio = trv_audio_settings_new ();

  g_strfreev (media->codecs);
  media->codecs = g_strsplit ("PCMA,PCMU", ",", -1);
  audio->input_device = g_strdup ("pulsesrc device=mic1");
  audio->echo_cancellation = FALSE;
  media->inactivity_timeout_s = 0;   /* never */
  g_assert_true (trv_settings_save_media (f->settings, media, audio, &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (f->changed, ==, 1);

  g_autoptr(TrvMediaConfig) got = trv_settings_get_media (f->settings);
  g_assert_cmpuint (g_strv_length (got->codecs), ==, 2);
  g_assert_cmpstr (got->codecs[0], ==, "PCMA");
  g_autoptr(TrvAudioSettings) got_audio = trv_settings_get_audio (f->settings);
  g_assert_cmpstr (got_audio->input_device, ==, "pulsesrc device=mic1");
  g_assert_null (got_audio->output_device);
  g_assert_false (got_audio->echo_cancellation);
  /* The switch reaches the calls' media options through the media config. */
  g_assert_false (got->echo_cancel);
  g_assert_cmpuint (got->inactivity_timeout_s, ==, 0);

  /* A timeout the key file refuses is refused here too, naming the key. */
  media->inactivity_timeout_s = 2;
  g_assert_false (trv_settings_save_media (f->settings, media, audio, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (trv_error_get_config_key (error), ==, "media.inactivity-timeout");
  g_clear_error (&error);
  media->inactivity_timeout_s = 30;

  /* An unknown codec with a new device: neither is written. */
  g_autofree gchar *before = dump_gsettings ();
  g_strfreev (media->codecs);
  media->codecs = g_strsplit ("PCMA,speex", ",", -1);
  g_free (audio->output_device);
  audio->output_device = g_strdup ("pulsesink device=hdmi");
  g_assert_false (trv_settings_save_media (f->settings, media, audio, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_autofree gchar *after = dump_gsettings ();
  g_assert_cmpstr (before, ==, after);
}

/* ---- with the keyring ---- */

static void
test_account_password_in_keyring (Fixture *f, gconstpointer data)
{
  if (!have_keyring ())
    {
      g_test_skip ("no private keyring (run through with-keyring.sh)");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvAccountConfig) c = alice ();
  c->password = g_strdup ("s3cret-sip-Pw");

  g_autofree gchar *id = save_account (f, NULL, c, &error);
  g_assert_no_error (error);
  g_autofree gchar *dump = dump_gsettings ();
  g_assert_null (strstr (dump, "s3cret-sip-Pw"));
  g_autofree gchar *pw = lookup (f, "sip", id);
  g_assert_cmpstr (pw, ==, "s3cret-sip-Pw");

  /* The loader fills the password in. */
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(TrvAccountConfig) acc = NULL;
  g_autoptr(TrvNatConfig) nat = NULL;
  g_autoptr(TrvMediaConfig) media = NULL;
  trv_settings_load_async (f->settings, NULL, store_result, &res);
  g_assert_true (trv_settings_load_finish (f->settings, wait_result (&res), &acc, &nat,
                                           &media, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (acc->address, ==, "sip:alice@example.org");
  g_assert_cmpstr (acc->password, ==, "s3cret-sip-Pw");
  g_assert_nonnull (nat);
  g_assert_nonnull (media);

  /* NULL keeps the password, "" deletes it. */
  g_autoptr(TrvAccountConfig) keep = alice ();
  g_autofree gchar *id2 = save_account (f, id, keep, &error);
  g_assert_no_error (error);
  g_autofree gchar *pw2 = lookup (f, "sip", id);
  g_assert_cmpstr (pw2, ==, "s3cret-sip-Pw");
  keep->password = g_strdup ("");
  g_autofree gchar *id3 = save_account (f, id, keep, &error);
  g_assert_no_error (error);
  g_autofree gchar *pw3 = lookup (f, "sip", id);
  g_assert_null (pw3);

  /* Removing the account removes its password too. */
  keep->password = g_strdup ("another-Pw");
  g_free (save_account (f, id, keep, &error));
  g_assert_no_error (error);
  g_autoptr(GAsyncResult) rres = NULL;
  trv_settings_remove_account_async (f->settings, id, NULL, store_result, &rres);
  g_assert_true (trv_settings_remove_account_finish (f->settings, wait_result (&rres), &error));
  g_assert_no_error (error);
  g_auto(GStrv) ids = trv_settings_dup_account_ids (f->settings);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_autofree gchar *pw4 = lookup (f, "sip", id);
  g_assert_null (pw4);
}

static void
test_turn_password_in_keyring (Fixture *f, gconstpointer data)
{
  if (!have_keyring ())
    {
      g_test_skip ("no private keyring (run through with-keyring.sh)");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->mode = TRV_NAT_MODE_TURN;
  nat->turn_server = g_strdup ("turn.example.org:3478");
  nat->turn_transport = TRV_TURN_TRANSPORT_TCP;
  nat->turn_username = g_strdup ("carol");
  nat->turn_password = g_strdup ("turn-Secret-42");
  nat->public_address = g_strdup ("203.0.113.7");
  nat->http_proxy = g_strdup ("http://proxy.example.org:3128");
  g_assert_true (save_nat (f, nat, &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (f->changed, ==, 1);

  g_autofree gchar *dump = dump_gsettings ();
  g_assert_null (strstr (dump, "turn-Secret-42"));
  g_autofree gchar *pw = lookup (f, "turn", NULL);
  g_assert_cmpstr (pw, ==, "turn-Secret-42");

  g_autoptr(TrvNatConfig) got = trv_settings_get_nat (f->settings);
  g_assert_cmpint (got->mode, ==, TRV_NAT_MODE_TURN);
  g_assert_cmpstr (got->turn_server, ==, "turn.example.org:3478");
  g_assert_cmpint (got->turn_transport, ==, TRV_TURN_TRANSPORT_TCP);
  g_assert_cmpstr (got->turn_username, ==, "carol");
  g_assert_null (got->turn_password);
  g_assert_cmpstr (got->public_address, ==, "203.0.113.7");
  g_assert_cmpstr (got->http_proxy, ==, "http://proxy.example.org:3128");

  /* Keeping the stored password (NULL) validates against it: a TURN-only edit works. */
  g_free (got->turn_server);
  got->turn_server = g_strdup ("turn2.example.org");
  g_assert_true (save_nat (f, got, &error));
  g_assert_no_error (error);
  g_autofree gchar *pw2 = lookup (f, "turn", NULL);
  g_assert_cmpstr (pw2, ==, "turn-Secret-42");

  /* Deleting the password while TURN still needs it is refused, and nothing changes. */
  g_autofree gchar *before = dump_gsettings ();
  got->turn_password = g_strdup ("");
  g_assert_false (save_nat (f, got, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG);
  g_autofree gchar *after = dump_gsettings ();
  g_assert_cmpstr (before, ==, after);
  g_autofree gchar *pw3 = lookup (f, "turn", NULL);
  g_assert_cmpstr (pw3, ==, "turn-Secret-42");

  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(TrvNatConfig) loaded = NULL;
  trv_settings_load_async (f->settings, NULL, store_result, &res);
  g_assert_true (trv_settings_load_finish (f->settings, wait_result (&res), NULL, &loaded,
                                           NULL, &error));
  g_assert_cmpstr (loaded->turn_password, ==, "turn-Secret-42");
  g_assert_cmpstr (loaded->turn_server, ==, "turn2.example.org");
}

static TrvNatConfig *
load_nat (Fixture *f)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TrvNatConfig *loaded = NULL;
  trv_settings_load_async (f->settings, NULL, store_result, &res);
  g_assert_true (trv_settings_load_finish (f->settings, wait_result (&res), NULL, &loaded,
                                           NULL, &error));
  g_assert_no_error (error);
  return loaded;
}

/* The proxy's password goes to the keyring; GSettings keeps the address with the user. */
static void
test_proxy_password_in_keyring (Fixture *f, gconstpointer data)
{
  if (!have_keyring ())
    {
      g_test_skip ("no private keyring (run through with-keyring.sh)");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvNatConfig) nat = trv_nat_config_new ();
  nat->http_proxy = g_strdup ("http://bob:pr%40xy-Secret@proxy.example.org:3128");
  nat->turn_password = g_strdup ("");   /* no TURN: none left over from another case */
  gboolean saved = save_nat (f, nat, &error);
  g_assert_no_error (error);
  g_assert_true (saved);
  g_autofree gchar *dump = dump_gsettings ();
  g_assert_null (strstr (dump, "xy-Secret"));
  g_autofree gchar *pw = lookup (f, "proxy", NULL);
  g_assert_cmpstr (pw, ==, "pr@xy-Secret");
  g_autoptr(TrvNatConfig) shown = trv_settings_get_nat (f->settings);
  g_assert_cmpstr (shown->http_proxy, ==, "http://bob@proxy.example.org:3128");
  g_autoptr(TrvNatConfig) loaded = load_nat (f);
  g_assert_cmpstr (loaded->http_proxy, ==, "http://bob:pr%40xy-Secret@proxy.example.org:3128");

  /* Saved again as the Preferences show it (no password): the password stays. */
  g_assert_true (save_nat (f, shown, &error));
  g_autofree gchar *pw2 = lookup (f, "proxy", NULL);
  g_assert_cmpstr (pw2, ==, "pr@xy-Secret");
  g_autoptr(TrvNatConfig) loaded2 = load_nat (f);
  g_assert_cmpstr (loaded2->http_proxy, ==, loaded->http_proxy);

  /* No user any more: the password goes too. */
  g_free (shown->http_proxy);
  shown->http_proxy = g_strdup ("http://proxy.example.org:3128");
  g_assert_true (save_nat (f, shown, &error));
  g_autofree gchar *pw3 = lookup (f, "proxy", NULL);
  g_assert_null (pw3);
  g_autoptr(TrvNatConfig) loaded3 = load_nat (f);
  g_assert_cmpstr (loaded3->http_proxy, ==, "http://proxy.example.org:3128");
}

static void
count_changed (TrvSettings *s, guint *n)
{
  (*n)++;
}

static void
test_other_instance_notified (Fixture *f, gconstpointer data)
{
  if (!have_keyring ())
    {
      g_test_skip ("no private keyring (run through with-keyring.sh)");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(TrvSettings) app_side = trv_settings_new (&error);
  g_assert_no_error (error);
  guint n = 0;
  g_signal_connect (app_side, "changed", G_CALLBACK (count_changed), &n);

  g_autoptr(TrvAccountConfig) c = alice ();
  g_autofree gchar *id = save_account (f, NULL, c, &error);
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (n, ==, 1);

  /* Only the password changes: GSettings sees nothing, the other instance still hears. */
  c->password = g_strdup ("new-Password-1");
  g_autofree gchar *id2 = save_account (f, id, c, &error);
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (f->changed, ==, 2);
}

int
main (int argc, char **argv)
{
  /* Never the user's dconf database, whatever the environment says. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/settings/defaults", test_defaults);
  ADD ("/settings/account/roundtrip", test_account_roundtrip_without_password);
  ADD ("/settings/account/invalid-not-saved", test_invalid_account_not_saved);
  ADD ("/settings/nat/invalid-not-saved", test_invalid_nat_not_saved);
  ADD ("/settings/media", test_media);
  ADD ("/settings/keyring/account-password", test_account_password_in_keyring);
  ADD ("/settings/keyring/turn-password", test_turn_password_in_keyring);
  ADD ("/settings/keyring/proxy-password", test_proxy_password_in_keyring);
  ADD ("/settings/keyring/other-instance-notified", test_other_instance_notified);
#undef ADD
  return g_test_run ();
}
