/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-settings-save.c: writing settings: validate first, then the secret, then every
 * GSettings key of the save at once (delay + apply), so nothing is ever saved half-way. */
#include "config.h"

#include "trv-settings-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-error.h"
#include "trv-proxy.h"

typedef enum { SECRET_KEEP, SECRET_DELETE, SECRET_SET } SecretAction;

static SecretAction
secret_action (const char *password)
{
  if (password == NULL)
    return SECRET_KEEP;
  return password[0] == '\0' ? SECRET_DELETE : SECRET_SET;
}

/* Empty optional strings mean "not set" in GSettings and in the configs. */
static void
null_if_empty (gchar **s)
{
  if (*s && (*s)[0] == '\0')
    g_clear_pointer (s, g_free);
}

typedef struct {
  gchar *id;
  gboolean is_new;
  TrvAccountConfig *account;
  TrvNatConfig *nat;
  SecretAction action;
  gchar *password;
} SaveData;

static void
save_data_free (SaveData *d)
{
  g_free (d->id);
  trv_account_config_free (d->account);
  trv_nat_config_free (d->nat);
  if (d->password)
    memset (d->password, 0, strlen (d->password));
  g_free (d->password);
  g_free (d);
}

static void
write_account (TrvSettings *self, SaveData *d)
{
  GSettings *s = _trv_settings_account_settings (self, d->id);
  const TrvAccountConfig *c = d->account;

  /* Delay + apply: the keys change together, listeners never see half an account. */
  g_settings_delay (s);
  g_settings_set_string (s, "address", _trv_settings_or_empty (c->address));
  g_settings_set_string (s, "display-name", _trv_settings_or_empty (c->display_name));
  g_settings_set_string (s, "voicemail", _trv_settings_or_empty (c->voicemail));
  g_settings_set_string (s, "registrar", _trv_settings_or_empty (c->registrar));
  g_settings_set_string (s, "proxy", _trv_settings_or_empty (c->proxy));
  g_settings_set_enum (s, "transport", c->transport);
  g_settings_set_boolean (s, "register", c->do_register);
  g_settings_set_string (s, "ca-file", _trv_settings_or_empty (c->ca_file));
  g_settings_set_value (s, "local-port", g_variant_new_uint16 (c->local_port));
  g_settings_set_enum (s, "srtp", c->srtp);
  g_settings_set_boolean (s, "srtp-over-insecure", c->srtp_over_insecure);
  g_settings_set_boolean (s, "allow-direct-calls", c->allow_direct_calls);
  g_settings_apply (s);

  if (d->is_new)
    {
      g_auto(GStrv) ids = g_settings_get_strv (self->root, "accounts");
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_strv_builder_addv (b, (const char **) ids);
      g_strv_builder_add (b, d->id);
      g_auto(GStrv) new_ids = g_strv_builder_end (b);
      g_settings_set_strv (self->root, "accounts", (const char *const *) new_ids);
    }
}

/* Ends the keyring step of a save. FALSE when it failed: the task has returned the
 * error, and as nothing was written to GSettings yet, the save fails as a whole. */
static gboolean
finish_secret (GTask *task, GAsyncResult *result, const char *what)
{
  SaveData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (d->action == SECRET_SET)
    secret_password_store_finish (result, &error);
  else
    secret_password_clear_finish (result, &error);
  if (error == NULL)
    return TRUE;
  /* Translators: %s is "the password" or "the TURN password". */
  g_prefix_error (&error, _("cannot store %s in the keyring: "), what);
  g_task_return_error (task, error);
  return FALSE;
}

static void
on_account_secret_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  TrvSettings *self = g_task_get_source_object (task);
  SaveData *d = g_task_get_task_data (task);

  if (!finish_secret (task, result, _("the password")))
    return;
  write_account (self, d);
  _trv_settings_notify_all ();
  g_task_return_pointer (task, g_strdup (d->id), g_free);
}

void
trv_settings_save_account_async (TrvSettings *self,
                                 const char *id,
                                 const TrvAccountConfig *config,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_return_if_fail (TRV_IS_SETTINGS (self));
  g_return_if_fail (config != NULL);

  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_settings_save_account_async);
  SaveData *d = g_new0 (SaveData, 1);
  g_task_set_task_data (task, d, (GDestroyNotify) save_data_free);
  GError *error = NULL;

  if (id != NULL && !_trv_settings_has_account (self, id))
    {
      g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                               _("account: no account with id '%s'"), id);
      return;
    }
  d->is_new = id == NULL;
  d->id = id ? g_strdup (id) : g_uuid_string_random ();
  g_assert (_trv_settings_valid_account_id (d->id));

  d->account = trv_account_config_copy (config);
  d->action = secret_action (config->password);
  d->password = d->action == SECRET_SET ? g_strdup (config->password) : NULL;
  if (d->action != SECRET_SET)
    g_clear_pointer (&d->account->password, g_free);
  null_if_empty (&d->account->address);
  null_if_empty (&d->account->display_name);
  null_if_empty (&d->account->voicemail);
  null_if_empty (&d->account->registrar);
  null_if_empty (&d->account->proxy);
  null_if_empty (&d->account->ca_file);
  if (d->account->address == NULL)
    {
      trv_invalid_config (&error, "account.address",
                          _("account.address: missing (e.g. sip:alice@example.org)"));
      g_task_return_error (task, error);
      return;
    }
  if (!trv_account_config_validate (d->account, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The password never goes to GSettings; it only rode along for validation. */
  g_clear_pointer (&d->account->password, g_free);

  g_autoptr(GHashTable) attrs = _trv_settings_password_attributes ("sip", d->id);
  switch (d->action)
    {
    case SECRET_KEEP:
      write_account (self, d);
      _trv_settings_notify_all ();
      g_task_return_pointer (task, g_strdup (d->id), g_free);
      break;
    case SECRET_SET:
      {
        g_autofree gchar *label = g_strdup_printf (_("Traverse: SIP password for %s"),
                                                   d->account->address);
        secret_password_storev (_trv_settings_password_schema (), attrs, SECRET_COLLECTION_DEFAULT, label,
                                d->password, cancellable, on_account_secret_done,
                                g_object_ref (task));
      }
      break;
    case SECRET_DELETE:
      secret_password_clearv (_trv_settings_password_schema (), attrs, cancellable, on_account_secret_done,
                              g_object_ref (task));
      break;
    }
}

gchar *
trv_settings_save_account_finish (TrvSettings *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_account_secret_removed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  TrvSettings *self = g_task_get_source_object (task);
  const char *id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* A keyring that cannot be reached must not keep the user from removing an account:
   * the orphaned secret is harmless (nothing looks it up any more). */
  secret_password_clear_finish (result, &error);
  if (error)
    g_warning ("could not delete the account's password from the keyring: %s",
               error->message);

  GSettings *s = _trv_settings_account_settings (self, id);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_object_get (s, "settings-schema", &schema, NULL);
  g_auto(GStrv) keys = g_settings_schema_list_keys (schema);
  g_settings_delay (s);
  for (char **k = keys; *k; k++)
    g_settings_reset (s, *k);
  g_settings_apply (s);
  g_hash_table_remove (self->accounts, id);

  g_auto(GStrv) ids = g_settings_get_strv (self->root, "accounts");
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  for (char **i = ids; *i; i++)
    if (strcmp (*i, id) != 0)
      g_strv_builder_add (b, *i);
  g_auto(GStrv) new_ids = g_strv_builder_end (b);
  g_settings_set_strv (self->root, "accounts", (const char *const *) new_ids);
  _trv_settings_notify_all ();
  g_task_return_boolean (task, TRUE);
}

void
trv_settings_remove_account_async (TrvSettings *self,
                                   const char *id,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_return_if_fail (TRV_IS_SETTINGS (self));

  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_settings_remove_account_async);
  if (!_trv_settings_has_account (self, id))
    {
      g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                               _("account: no account with id '%s'"), _trv_settings_or_empty (id));
      return;
    }
  g_task_set_task_data (task, g_strdup (id), g_free);
  g_autoptr(GHashTable) attrs = _trv_settings_password_attributes ("sip", id);
  secret_password_clearv (_trv_settings_password_schema (), attrs, cancellable, on_account_secret_removed,
                          g_object_ref (task));
}

gboolean
trv_settings_remove_account_finish (TrvSettings *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
write_nat (TrvSettings *self, const TrvNatConfig *c)
{
  g_settings_delay (self->nat);
  g_settings_set_enum (self->nat, "mode", c->mode);
  g_settings_set_string (self->nat, "stun-server", _trv_settings_or_empty (c->stun_server));
  g_settings_set_string (self->nat, "turn-server", _trv_settings_or_empty (c->turn_server));
  g_settings_set_enum (self->nat, "turn-transport", c->turn_transport);
  g_settings_set_string (self->nat, "turn-username", _trv_settings_or_empty (c->turn_username));
  g_settings_set_string (self->nat, "public-address", _trv_settings_or_empty (c->public_address));
  g_settings_set_string (self->nat, "http-proxy", _trv_settings_or_empty (c->http_proxy));
  g_settings_apply (self->nat);
}

/* The keyring steps are done: every key at once. Consumes the task. */
static void
finish_nat_save (GTask *task)
{
  TrvSettings *self = g_task_get_source_object (task);
  SaveData *d = g_task_get_task_data (task);
  write_nat (self, d->nat);
  _trv_settings_notify_all ();
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_proxy_secret_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  if (!finish_secret (task, result, _("the proxy password")))
    {
      g_object_unref (task);
      return;
    }
  finish_nat_save (task);
}

/* The proxy's password goes to the keyring and its address without it to GSettings. An
 * address with a user and no password keeps the stored password; one without a user
 * clears it (only if the address before had a user: a desktop without a keyring never
 * needs one). Consumes the task. */
static void
store_proxy_secret (GTask *task)
{
  TrvSettings *self = g_task_get_source_object (task);
  SaveData *d = g_task_get_task_data (task);
  gchar *password = NULL;
  gchar *address = trv_proxy_split_password (d->nat->http_proxy, &password);
  g_free (d->nat->http_proxy);
  d->nat->http_proxy = address;
  g_autofree gchar *before = g_settings_get_string (self->nat, "http-proxy");
  if (password == NULL && (trv_proxy_has_user (address) || !trv_proxy_has_user (before)))
    {
      finish_nat_save (task);
      return;
    }
  g_autoptr(GHashTable) attrs = _trv_settings_password_attributes ("proxy", NULL);
  d->action = password ? SECRET_SET : SECRET_DELETE;
  g_debug ("settings: proxy password %s", password ? "stored" : "cleared");
  if (password)
    {
      g_autofree gchar *label = g_strdup_printf (_("Traverse: password for the proxy %s"),
                                                 address);
      secret_password_storev (_trv_settings_password_schema (), attrs,
                              SECRET_COLLECTION_DEFAULT, label, password,
                              g_task_get_cancellable (task), on_proxy_secret_done, task);
      memset (password, 0, strlen (password));
      g_free (password);
    }
  else
    secret_password_clearv (_trv_settings_password_schema (), attrs,
                            g_task_get_cancellable (task), on_proxy_secret_done, task);
}

static void
on_nat_secret_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  if (!finish_secret (task, result, _("the TURN password")))
    {
      g_object_unref (task);
      return;
    }
  store_proxy_secret (task);
}

static void
nat_validate_and_store (GTask *task)
{
  SaveData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (!trv_nat_config_validate (d->nat, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (d->action == SECRET_KEEP)
    {
      store_proxy_secret (task);
      return;
    }
  g_autoptr(GHashTable) attrs = _trv_settings_password_attributes ("turn", NULL);
  if (d->action == SECRET_SET)
    {
      g_autofree gchar *label = g_strdup_printf (_("Traverse: TURN password for %s"),
                                                 d->nat->turn_server ? d->nat->turn_server
                                                                     : _("the TURN server"));
      secret_password_storev (_trv_settings_password_schema (), attrs, SECRET_COLLECTION_DEFAULT, label,
                              d->password, g_task_get_cancellable (task), on_nat_secret_done,
                              task);
    }
  else
    secret_password_clearv (_trv_settings_password_schema (), attrs, g_task_get_cancellable (task),
                            on_nat_secret_done, task);
}

static void
on_nat_stored_password (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  SaveData *d = g_task_get_task_data (task);
  GError *error = NULL;
  gchar *pw = secret_password_lookup_finish (result, &error);
  if (error)
    {
      g_prefix_error (&error, _("cannot read the TURN password from the keyring: "));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* Validate with the password that will be in effect after the save. */
  d->nat->turn_password = pw && pw[0] ? g_strdup (pw) : NULL;
  secret_password_free (pw);
  nat_validate_and_store (task);
}

void
trv_settings_save_nat_async (TrvSettings *self,
                             const TrvNatConfig *config,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_return_if_fail (TRV_IS_SETTINGS (self));
  g_return_if_fail (config != NULL);

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_settings_save_nat_async);
  SaveData *d = g_new0 (SaveData, 1);
  g_task_set_task_data (task, d, (GDestroyNotify) save_data_free);

  d->nat = trv_nat_config_copy (config);
  d->action = secret_action (config->turn_password);
  d->password = d->action == SECRET_SET ? g_strdup (config->turn_password) : NULL;
  if (d->action == SECRET_DELETE)
    g_clear_pointer (&d->nat->turn_password, g_free);
  null_if_empty (&d->nat->stun_server);
  null_if_empty (&d->nat->turn_server);
  null_if_empty (&d->nat->turn_username);
  null_if_empty (&d->nat->public_address);
  null_if_empty (&d->nat->http_proxy);

  if (d->action == SECRET_KEEP)
    {
      g_autoptr(GHashTable) attrs = _trv_settings_password_attributes ("turn", NULL);
      secret_password_lookupv (_trv_settings_password_schema (), attrs, cancellable,
                               on_nat_stored_password, task);
      return;
    }
  nat_validate_and_store (task);
}

gboolean
trv_settings_save_nat_finish (TrvSettings *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
trv_settings_save_media (TrvSettings *self,
                         const TrvMediaConfig *media,
                         const TrvAudioSettings *audio,
                         GError **error)
{
  g_return_val_if_fail (TRV_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (media != NULL && audio != NULL, FALSE);

  g_autoptr(TrvMediaConfig) check = trv_media_config_copy (media);
  if (!trv_media_config_validate (check, error))
    return FALSE;
  if ((audio->input_device && strchr (audio->input_device, '\n')) ||
      (audio->output_device && strchr (audio->output_device, '\n')))
    {
      trv_invalid_config (error, "audio",
                          _("audio: a device description must be a single line"));
      return FALSE;
    }

  g_settings_delay (self->audio);
  g_settings_set_strv (self->audio, "codecs", (const char *const *) check->codecs);
  g_settings_set_uint (self->audio, "jitter-ms", check->jitter_ms);
  g_settings_set_uint (self->audio, "inactivity-timeout", check->inactivity_timeout_s);
  g_settings_set_string (self->audio, "input-device", _trv_settings_or_empty (audio->input_device));
  g_settings_set_string (self->audio, "output-device", _trv_settings_or_empty (audio->output_device));
  g_settings_set_boolean (self->audio, "echo-cancellation", audio->echo_cancellation);
  g_settings_apply (self->audio);
  _trv_settings_notify_all ();
  return TRUE;
}
