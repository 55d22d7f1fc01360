/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-settings.c: GSettings + libsecret store for the desktop app's settings. */
#include "config.h"

#include "trv-settings-private.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "trv-proxy.h"

#include "trv-error.h"



G_DEFINE_FINAL_TYPE (TrvSettings, trv_settings, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- audio settings boxed struct ------------------------------------------------------ */

TrvAudioSettings *
trv_audio_settings_new (void)
{
  TrvAudioSettings *self = g_new0 (TrvAudioSettings, 1);
  self->echo_cancellation = TRUE;
  return self;
}

TrvAudioSettings *
trv_audio_settings_copy (const TrvAudioSettings *self)
{
  TrvAudioSettings *copy = g_new0 (TrvAudioSettings, 1);
  copy->input_device = g_strdup (self->input_device);
  copy->output_device = g_strdup (self->output_device);
  copy->echo_cancellation = self->echo_cancellation;
  return copy;
}

void
trv_audio_settings_free (TrvAudioSettings *self)
{
  if (self == NULL)
    return;
  g_free (self->input_device);
  g_free (self->output_device);
  g_free (self);
}

/* ---- the secret schema ---------------------------------------------------------------- */

const SecretSchema *
_trv_settings_password_schema (void)
{
  /* kind: "sip" (one per account id), "turn" or "proxy" (one each for the NAT settings). */
  static const SecretSchema schema = {
    TRV_SETTINGS_SECRET_SCHEMA, SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

GHashTable *
_trv_settings_password_attributes (const char *kind, const char *account_id)
{
  GHashTable *attrs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (attrs, (gpointer) "kind", g_strdup (kind));
  if (account_id)
    g_hash_table_insert (attrs, (gpointer) "account", g_strdup (account_id));
  return attrs;
}

/* ---- helpers ------------------------------------------------------------------------- */

static gboolean
emit_changed (gpointer data)
{
  TrvSettings *self = data;
  self->changed_idle = 0;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

void
_trv_settings_changed_soon (TrvSettings *self)
{
  /* One save touches many keys: tell the app once. */
  if (self->changed_idle == 0)
    self->changed_idle = g_idle_add_full (G_PRIORITY_DEFAULT, emit_changed,
                                          g_object_ref (self), g_object_unref);
}

/* Every live TrvSettings of the process (main thread only). A password lives outside
 * GSettings, so a save through one instance (the preferences window) must tell the
 * others (the application's) itself. */
static GSList *instances;

void
_trv_settings_notify_all (void)
{
  for (GSList *l = instances; l; l = l->next)
    _trv_settings_changed_soon (l->data);
}

static void
on_gsettings_changed (GSettings *settings, const char *key, TrvSettings *self)
{
  /* The app's own record of its port, and a desktop choice: not settings of the agent. */
  if (g_strcmp0 (key, "direct-port") == 0 || g_strcmp0 (key, "start-at-login") == 0)
    return;
  _trv_settings_changed_soon (self);
}

static gchar *
get_opt_string (GSettings *s, const char *key)
{
  gchar *v = g_settings_get_string (s, key);
  if (v[0] == '\0')
    g_clear_pointer (&v, g_free);
  return v;
}

const char *
_trv_settings_or_empty (const char *s)
{
  return s ? s : "";
}

gboolean
_trv_settings_valid_account_id (const char *id)
{
  if (id == NULL || id[0] == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

gboolean
_trv_settings_has_account (TrvSettings *self, const char *id)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->root, "accounts");
  return id && g_strv_contains ((const char *const *) ids, id);
}

GSettings *
_trv_settings_account_settings (TrvSettings *self, const char *id)
{
  GSettings *s = g_hash_table_lookup (self->accounts, id);
  if (s == NULL)
    {
      g_autofree gchar *path = g_strconcat (ACCOUNTS_PATH, id, "/", NULL);
      s = g_settings_new_with_path (ACCOUNT_SCHEMA_ID, path);
      g_signal_connect_object (s, "changed", G_CALLBACK (on_gsettings_changed), self, 0);
      g_hash_table_insert (self->accounts, g_strdup (id), s);
    }
  return s;
}

/* ---- object ------------------------------------------------------------------------- */

static void
trv_settings_dispose (GObject *object)
{
  TrvSettings *self = TRV_SETTINGS (object);
  g_clear_handle_id (&self->changed_idle, g_source_remove);
  if (self->accounts)
    g_hash_table_remove_all (self->accounts);
  g_clear_object (&self->nat);
  g_clear_object (&self->audio);
  g_clear_object (&self->root);
  G_OBJECT_CLASS (trv_settings_parent_class)->dispose (object);
}

static void
trv_settings_finalize (GObject *object)
{
  TrvSettings *self = TRV_SETTINGS (object);
  instances = g_slist_remove (instances, self);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  G_OBJECT_CLASS (trv_settings_parent_class)->finalize (object);
}

static void
trv_settings_class_init (TrvSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = trv_settings_dispose;
  object_class->finalize = trv_settings_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
trv_settings_init (TrvSettings *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  instances = g_slist_prepend (instances, self);
}

TrvSettings *
trv_settings_new (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchema) account_schema = NULL;

  /* g_settings_new() aborts on a missing schema: say what is wrong instead. */
  if (source)
    {
      schema = g_settings_schema_source_lookup (source, TRV_SETTINGS_SCHEMA_ID, TRUE);
      account_schema = g_settings_schema_source_lookup (source, ACCOUNT_SCHEMA_ID, TRUE);
    }
  if (schema == NULL || account_schema == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   _("the settings schema %s is not installed (run glib-compile-schemas, or set "
                     "GSETTINGS_SCHEMA_DIR to the build's data directory)"), TRV_SETTINGS_SCHEMA_ID);
      return NULL;
    }

  TrvSettings *self = g_object_new (TRV_TYPE_SETTINGS, NULL);
  self->root = g_settings_new (TRV_SETTINGS_SCHEMA_ID);
  self->nat = g_settings_get_child (self->root, "nat");
  self->audio = g_settings_get_child (self->root, "audio");
  g_signal_connect_object (self->root, "changed", G_CALLBACK (on_gsettings_changed), self, 0);
  g_signal_connect_object (self->nat, "changed", G_CALLBACK (on_gsettings_changed), self, 0);
  g_signal_connect_object (self->audio, "changed", G_CALLBACK (on_gsettings_changed), self, 0);
  return self;
}

/* ---- reading ------------------------------------------------------------------------- */

GStrv
trv_settings_dup_account_ids (TrvSettings *self)
{
  g_return_val_if_fail (TRV_IS_SETTINGS (self), NULL);
  return g_settings_get_strv (self->root, "accounts");
}

guint16
trv_settings_get_direct_port (TrvSettings *self)
{
  g_return_val_if_fail (TRV_IS_SETTINGS (self), 0);
  g_autoptr(GVariant) v = g_settings_get_value (self->root, "direct-port");
  return g_variant_get_uint16 (v);
}

void
trv_settings_set_direct_port (TrvSettings *self, guint16 port)
{
  g_return_if_fail (TRV_IS_SETTINGS (self));
  g_debug ("direct-call port %u remembered", port);
  g_settings_set_value (self->root, "direct-port", g_variant_new_uint16 (port));
}

gboolean
trv_settings_get_start_at_login (TrvSettings *self)
{
  g_return_val_if_fail (TRV_IS_SETTINGS (self), FALSE);
  return g_settings_get_boolean (self->root, "start-at-login");
}

void
trv_settings_set_start_at_login (TrvSettings *self, gboolean start)
{
  g_return_if_fail (TRV_IS_SETTINGS (self));
  g_debug ("start at login: %s", start ? "yes" : "no");
  g_settings_set_boolean (self->root, "start-at-login", start);
}

TrvAccountConfig *
trv_settings_get_account (TrvSettings *self, const char *id, GError **error)
{
  g_return_val_if_fail (TRV_IS_SETTINGS (self), NULL);

  if (!_trv_settings_has_account (self, id))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG,
                   _("account: no account with id '%s'"), _trv_settings_or_empty (id));
      return NULL;
    }
  GSettings *s = _trv_settings_account_settings (self, id);
  g_autoptr(TrvAccountConfig) config = trv_account_config_new ();
  config->address = get_opt_string (s, "address");
  config->display_name = get_opt_string (s, "display-name");
  config->voicemail = get_opt_string (s, "voicemail");
  config->registrar = get_opt_string (s, "registrar");
  config->proxy = get_opt_string (s, "proxy");
  config->transport = (TrvSipTransport) g_settings_get_enum (s, "transport");
  config->do_register = g_settings_get_boolean (s, "register");
  config->ca_file = get_opt_string (s, "ca-file");
  g_autoptr(GVariant) port = g_settings_get_value (s, "local-port");
  config->local_port = g_variant_get_uint16 (port);
  config->srtp = (TrvSrtpPolicy) g_settings_get_enum (s, "srtp");
  config->srtp_over_insecure = g_settings_get_boolean (s, "srtp-over-insecure");
  config->allow_direct_calls = g_settings_get_boolean (s, "allow-direct-calls");
  if (!trv_account_config_validate (config, error))
    return NULL;
  return g_steal_pointer (&config);
}

TrvNatConfig *
trv_settings_get_nat (TrvSettings *self)
{
  g_return_val_if_fail (TRV_IS_SETTINGS (self), NULL);

  g_autoptr(TrvNatConfig) config = trv_nat_config_new ();
  g_autoptr(GError) error = NULL;
  config->mode = (TrvNatMode) g_settings_get_enum (self->nat, "mode");
  config->stun_server = get_opt_string (self->nat, "stun-server");
  config->turn_server = get_opt_string (self->nat, "turn-server");
  config->turn_transport = (TrvTurnTransport) g_settings_get_enum (self->nat, "turn-transport");
  config->turn_username = get_opt_string (self->nat, "turn-username");
  config->public_address = get_opt_string (self->nat, "public-address");
  config->http_proxy = get_opt_string (self->nat, "http-proxy");

  /* Without its password a TURN configuration does not validate on its own: check the
   * rest with a stand-in, the real password is filled in by the async loader. */
  TrvNatConfig *check = trv_nat_config_copy (config);
  if (check->turn_username && !check->turn_password)
    check->turn_password = g_strdup ("x");
  gboolean ok = trv_nat_config_validate (check, &error);
  trv_nat_config_free (check);
  if (!ok)
    {
      g_warning ("stored NAT settings are invalid, using defaults: %s", error->message);
      return trv_nat_config_new ();
    }
  return g_steal_pointer (&config);
}

TrvMediaConfig *
trv_settings_get_media (TrvSettings *self)
{
  g_return_val_if_fail (TRV_IS_SETTINGS (self), NULL);

  g_autoptr(TrvMediaConfig) config = trv_media_config_new ();
  g_autoptr(GError) error = NULL;
  g_strfreev (config->codecs);
  config->codecs = g_settings_get_strv (self->audio, "codecs");
  config->jitter_ms = g_settings_get_uint (self->audio, "jitter-ms");
  config->echo_cancel = g_settings_get_boolean (self->audio, "echo-cancellation");
  config->inactivity_timeout_s = g_settings_get_uint (self->audio, "inactivity-timeout");
  if (!trv_media_config_validate (config, &error))
    {
      g_warning ("stored audio settings are invalid, using defaults: %s", error->message);
      return trv_media_config_new ();
    }
  return g_steal_pointer (&config);
}

TrvAudioSettings *
trv_settings_get_audio (TrvSettings *self)
{
  g_return_val_if_fail (TRV_IS_SETTINGS (self), NULL);

  TrvAudioSettings *audio = trv_audio_settings_new ();
  audio->input_device = get_opt_string (self->audio, "input-device");
  audio->output_device = get_opt_string (self->audio, "output-device");
  audio->echo_cancellation = g_settings_get_boolean (self->audio, "echo-cancellation");
  return audio;
}

/* ---- passwords ----------------------------------------------------------------------- */

static void
on_password_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  gchar *password = secret_password_lookup_finish (result, &error);
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
_trv_settings_lookup_password_async (TrvSettings *self,
                                     const char *kind,
                                     const char *account_id,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (TRV_IS_SETTINGS (self));
  g_return_if_fail (g_strcmp0 (kind, "sip") == 0 || g_strcmp0 (kind, "turn") == 0 ||
                    g_strcmp0 (kind, "proxy") == 0);

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _trv_settings_lookup_password_async);
  g_autoptr(GHashTable) attrs = _trv_settings_password_attributes (kind, account_id);
  secret_password_lookupv (_trv_settings_password_schema (), attrs, cancellable, on_password_looked_up, task);
}

gchar *
trv_settings_lookup_password_finish (TrvSettings *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  gchar *secret = g_task_propagate_pointer (G_TASK (result), error);
  /* Hand out g_malloc'd memory: callers free it with g_free like any string. */
  gchar *copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

/* ---- load (all three configs, with passwords) ---------------------------------------- */

typedef struct {
  TrvAccountConfig *account;
  gchar *account_id;
  TrvNatConfig *nat;
  TrvMediaConfig *media;
  guint pending;
} LoadData;

static void
load_data_free (LoadData *d)
{
  trv_account_config_free (d->account);
  g_free (d->account_id);
  trv_nat_config_free (d->nat);
  trv_media_config_free (d->media);
  g_free (d);
}

static void
load_step_done (GTask *task)
{
  LoadData *d = g_task_get_task_data (task);
  if (--d->pending == 0)
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* The `what` password a load step found (a copy), or NULL: none, empty, or unreadable
 * (logged; the load goes on without it). */
static gchar *
load_password_finish (GAsyncResult *result, const char *what)
{
  g_autoptr(GError) error = NULL;
  gchar *pw = secret_password_lookup_finish (result, &error);
  if (error)
    g_warning ("cannot read the %s password from the keyring: %s", what, error->message);
  gchar *copy = pw && pw[0] ? g_strdup (pw) : NULL;
  secret_password_free (pw);
  return copy;
}

static void
on_load_sip_password (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  LoadData *d = g_task_get_task_data (task);
  g_autofree gchar *pw = load_password_finish (result, "SIP");
  if (pw && d->account)
    d->account->password = g_steal_pointer (&pw);
  load_step_done (task);
}

static void
on_load_turn_password (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  LoadData *d = g_task_get_task_data (task);
  g_autofree gchar *pw = load_password_finish (result, "TURN");
  if (pw)
    d->nat->turn_password = g_steal_pointer (&pw);
  load_step_done (task);
}

static void
on_load_proxy_password (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  LoadData *d = g_task_get_task_data (task);
  g_autofree gchar *pw = load_password_finish (result, "proxy");
  if (pw)
    {
      gchar *joined = trv_proxy_join_password (d->nat->http_proxy, pw);
      memset (pw, 0, strlen (pw));
      g_free (d->nat->http_proxy);
      d->nat->http_proxy = joined;
    }
  load_step_done (task);
}

void
trv_settings_load_async (TrvSettings *self,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_return_if_fail (TRV_IS_SETTINGS (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_settings_load_async);
  LoadData *d = g_new0 (LoadData, 1);
  g_task_set_task_data (task, d, (GDestroyNotify) load_data_free);

  g_auto(GStrv) ids = trv_settings_dup_account_ids (self);
  if (ids[0])
    {
      g_autoptr(GError) error = NULL;
      d->account = trv_settings_get_account (self, ids[0], &error);
      if (d->account == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      d->account_id = g_strdup (ids[0]);
    }
  d->nat = trv_settings_get_nat (self);
  d->media = trv_settings_get_media (self);

  d->pending = 1;  /* released at the end of this function */
  if (d->account)
    {
      g_autoptr(GHashTable) attrs = _trv_settings_password_attributes ("sip", d->account_id);
      d->pending++;
      secret_password_lookupv (_trv_settings_password_schema (), attrs, cancellable,
                               on_load_sip_password, g_object_ref (task));
    }
  if (d->nat->turn_username)
    {
      g_autoptr(GHashTable) attrs = _trv_settings_password_attributes ("turn", NULL);
      d->pending++;
      secret_password_lookupv (_trv_settings_password_schema (), attrs, cancellable,
                               on_load_turn_password, g_object_ref (task));
    }
  /* The proxy's password is kept apart from its address (trv-settings-save.c). An address
   * saved with its password in it (before it was) keeps it: joining leaves it as it is. */
  if (trv_proxy_has_user (d->nat->http_proxy))
    {
      g_autoptr(GHashTable) attrs = _trv_settings_password_attributes ("proxy", NULL);
      d->pending++;
      secret_password_lookupv (_trv_settings_password_schema (), attrs, cancellable,
                               on_load_proxy_password, g_object_ref (task));
    }
  load_step_done (task);
}

gboolean
trv_settings_load_finish (TrvSettings *self,
                          GAsyncResult *result,
                          TrvAccountConfig **account,
                          TrvNatConfig **nat,
                          TrvMediaConfig **media,
                          GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  LoadData *d = g_task_get_task_data (G_TASK (result));
  /* TURN over TLS trusts the same extra CA as SIP over TLS. */
  if (d->account && d->nat && d->account->ca_file && d->account->ca_file[0])
    {
      g_free (d->nat->ca_file);
      d->nat->ca_file = g_strdup (d->account->ca_file);
    }
  if (account)
    *account = g_steal_pointer (&d->account);
  if (nat)
    *nat = g_steal_pointer (&d->nat);
  if (media)
    *media = g_steal_pointer (&d->media);
  return TRUE;
}
