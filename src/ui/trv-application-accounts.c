/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-accounts.c: one user agent per account, each built with the
 * application's NAT and media settings, watched and started by launch_agent. The first
 * account's agent is the application's own (trv-application.c); the accounts after the
 * first are kept here, each registering and receiving calls with an agent of its own. */
#include "config.h"

#include "trv-application-private.h"
#include "trv-echo-endpoint.h"
#include "trv-settings.h"

struct _TrvExtraAccounts {
  GPtrArray *list;              /* TrvExtraAccount, in the Preferences' order */
  GCancellable *loading;        /* their passwords being read */
};

typedef struct {
  gchar *id;
  gchar *address;
  TrvUserAgent *agent;          /* NULL while the password is read, or if it did not start */
  GError *error;                /* why it did not start */
} TrvExtraAccount;

typedef struct {
  TrvApplication *self;
  gchar *id;
} ExtraLookup;

/* ---- helpers --------------------------------------------------------------------------- */

static void
extra_account_free (gpointer data)
{
  TrvExtraAccount *extra = data;
  g_free (extra->id);
  g_free (extra->address);
  g_clear_object (&extra->agent);
  g_clear_error (&extra->error);
  g_free (extra);
}

static TrvMediaOptions *
media_options (TrvApplication *self)
{
  TrvMediaOptions *o = trv_media_options_new ();
  const TrvAudioSettings *audio = _trv_application_get_audio_settings (self);
  const TrvMediaConfig *media = _trv_application_get_media_config (self);
  const char *src = g_getenv ("TRAVERSE_AUDIOSRC");
  const char *sink = g_getenv ("TRAVERSE_AUDIOSINK");

  /* The same overrides as traverse-cli win over the preferences: tests and headless
   * sessions use fake devices. */
  o->source_desc = g_strdup (src ? src : audio ? audio->input_device : NULL);
  o->sink_desc = g_strdup (sink ? sink : audio ? audio->output_device : NULL);
  o->jitter_ms = media->jitter_ms;
  /* The preferences' devices get echo cancellation; the test overrides are no devices. */
  o->echo_cancel = media->echo_cancel;
  o->descs_are_devices = src == NULL && sink == NULL;
  return o;
}

static void
start_extra_agent (TrvApplication *self, TrvExtraAccount *extra, TrvAccountConfig *config)
{
  extra->agent = _trv_application_launch_agent (self, config, 0, &extra->error);
}

/* ---- callbacks ------------------------------------------------------------------------- */

static void
on_extra_password (GObject *source, GAsyncResult *result, gpointer data)
{
  ExtraLookup *lookup = data;
  g_autoptr(TrvApplication) self = lookup->self;
  g_autofree gchar *id = lookup->id;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *password = trv_settings_lookup_password_finish (TRV_SETTINGS (source),
                                                                    result, &error);
  g_free (lookup);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* As for the first account: without the keyring the registration fails and says why. */
  if (error)
    g_warning ("keyring: %s", error->message);

  GPtrArray *list = _trv_application_get_extras (self)->list;
  for (guint i = 0; i < list->len; i++)
    {
      TrvExtraAccount *extra = list->pdata[i];
      if (g_strcmp0 (extra->id, id) != 0 || extra->agent || extra->error)
        continue;
      g_autoptr(TrvAccountConfig) config =
        trv_settings_get_account (_trv_application_get_settings (self), id, &extra->error);
      if (config)
        {
          g_free (config->password);
          config->password = g_steal_pointer (&password);
          start_extra_agent (self, extra, config);
        }
      _trv_application_emit_agent_changed (self);
      _trv_application_try_pending_link (self);
      return;
    }
}

/* ---- public API ------------------------------------------------------------------------ */

TrvExtraAccounts *
_trv_extra_accounts_new (void)
{
  TrvExtraAccounts *extras = g_new0 (TrvExtraAccounts, 1);
  extras->list = g_ptr_array_new_with_free_func (extra_account_free);
  return extras;
}

void
_trv_extra_accounts_free (TrvExtraAccounts *extras)
{
  if (extras->loading)
    g_cancellable_cancel (extras->loading);
  g_clear_object (&extras->loading);
  g_clear_pointer (&extras->list, g_ptr_array_unref);
  g_free (extras);
}

static gboolean
on_started_idle (gpointer data)
{
  _trv_application_try_pending_link (data);
  return G_SOURCE_REMOVE;
}

/* An agent whose account's domain had to be looked up listens now, or could not start:
 * the latter is shown as if start() had failed. A held-back link goes out now (from an
 * idle: not inside the agent's signal). */
static void
on_agent_started (TrvUserAgent *agent, const GError *error, TrvApplication *self)
{
  if (error != NULL)
    {
      g_debug ("a SIP agent did not start: %s", error->message);
      if (!_trv_application_agent_failed (self, agent, error))
        _trv_application_extra_agent_failed (self, agent, error);
    }
  else if (agent == _trv_application_get_agent (self))
    _trv_application_note_listening (self);
  _trv_application_update_actions (self);
  _trv_application_emit_agent_changed (self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_started_idle, g_object_ref (self),
                   g_object_unref);
}

/* An agent for one account with the application's NAT and media settings, started and
 * watched; NULL with the reason when it could not start. */
TrvUserAgent *
_trv_application_launch_agent (TrvApplication *self, const TrvAccountConfig *account,
                               guint16 preferred_port, GError **error)
{
  g_autoptr(TrvMediaOptions) options = media_options (self);
  g_autoptr(TrvUserAgent) agent =
    trv_user_agent_new (account, _trv_application_get_nat_config (self),
                        _trv_application_get_media_config (self));
  /* Not NULL exactly when nat.mode = auto. */
  TrvNatChooser *chooser = _trv_application_get_nat_chooser (self);

  if (chooser != NULL)
    trv_user_agent_resolve_auto_mode (agent, trv_nat_chooser_get_mode (chooser),
                                      trv_nat_chooser_get_transport (chooser));
  trv_user_agent_set_media_options (agent, options);
  trv_user_agent_set_preferred_port (agent, preferred_port);
  _trv_application_watch_agent (self, agent);
  g_signal_connect_object (agent, "started", G_CALLBACK (on_agent_started), self, 0);
  if (!trv_user_agent_start (agent, NULL, error))
    {
      g_signal_handlers_disconnect_by_data (agent, self);
      return NULL;
    }
  return g_steal_pointer (&agent);
}

/* (Re)starts the agents of the accounts after the first, with the NAT and media settings
 * the first one's agent got. */
void
_trv_application_start_extra_accounts (TrvApplication *self)
{
  TrvExtraAccounts *extras = _trv_application_get_extras (self);
  TrvSettings *settings = _trv_application_get_settings (self);

  _trv_application_stop_extra_accounts (self);
  if (settings == NULL)
    return;
  g_auto(GStrv) ids = trv_settings_dup_account_ids (settings);
  extras->loading = g_cancellable_new ();
  for (guint i = 1; ids[0] && ids[i]; i++)
    {
      TrvExtraAccount *extra = g_new0 (TrvExtraAccount, 1);
      g_autoptr(TrvAccountConfig) config = trv_settings_get_account (settings, ids[i],
                                                                     &extra->error);
      extra->id = g_strdup (ids[i]);
      extra->address = g_strdup (config ? config->address : ids[i]);
      g_ptr_array_add (extras->list, extra);
      if (config == NULL)
        continue;
      ExtraLookup *lookup = g_new0 (ExtraLookup, 1);
      lookup->self = g_object_ref (self);
      lookup->id = g_strdup (ids[i]);
      _trv_settings_lookup_password_async (settings, "sip", ids[i], extras->loading,
                                           on_extra_password, lookup);
    }
}

void
_trv_application_stop_extra_accounts (TrvApplication *self)
{
  TrvExtraAccounts *extras = _trv_application_get_extras (self);

  g_cancellable_cancel (extras->loading);
  g_clear_object (&extras->loading);
  for (guint i = 0; i < extras->list->len; i++)
    {
      TrvExtraAccount *extra = extras->list->pdata[i];
      if (extra->agent == NULL)
        continue;
      _trv_application_retire_agent (self, g_steal_pointer (&extra->agent));
    }
  _trv_application_clear_extra_accounts (self);
}

void
_trv_application_shutdown_extra_accounts (TrvApplication *self, GAsyncReadyCallback callback,
                                          guint *pending)
{
  TrvExtraAccounts *extras = _trv_application_get_extras (self);

  g_cancellable_cancel (extras->loading);
  for (guint i = 0; i < extras->list->len; i++)
    {
      TrvExtraAccount *extra = extras->list->pdata[i];
      if (extra->agent == NULL)
        continue;
      (*pending)++;
      g_signal_handlers_disconnect_by_data (extra->agent, self);
      trv_user_agent_shutdown_async (extra->agent, NULL, callback, pending);
    }
}

gboolean
_trv_application_extra_agent_failed (TrvApplication *self, TrvUserAgent *agent,
                                     const GError *error)
{
  GPtrArray *list = _trv_application_get_extras (self)->list;
  for (guint i = 0; i < list->len; i++)
    {
      TrvExtraAccount *extra = list->pdata[i];
      if (extra->agent != agent)
        continue;
      g_clear_error (&extra->error);
      extra->error = g_error_copy (error);
      _trv_application_retire_agent (self, g_steal_pointer (&extra->agent));
      return TRUE;
    }
  return FALSE;
}

void
_trv_application_clear_extra_accounts (TrvApplication *self)
{
  g_ptr_array_set_size (_trv_application_get_extras (self)->list, 0);
}

guint
_trv_application_get_n_extra_accounts (TrvApplication *self)
{
  return _trv_application_get_extras (self)->list->len;
}

const char *
_trv_application_get_extra_address (TrvApplication *self, guint i)
{
  GPtrArray *list = _trv_application_get_extras (self)->list;
  g_return_val_if_fail (i < list->len, NULL);
  return ((TrvExtraAccount *) list->pdata[i])->address;
}

TrvUserAgent *
_trv_application_get_extra_agent (TrvApplication *self, guint i)
{
  GPtrArray *list = _trv_application_get_extras (self)->list;
  g_return_val_if_fail (i < list->len, NULL);
  return ((TrvExtraAccount *) list->pdata[i])->agent;
}

const GError *
_trv_application_get_extra_error (TrvApplication *self, guint i)
{
  GPtrArray *list = _trv_application_get_extras (self)->list;
  g_return_val_if_fail (i < list->len, NULL);
  return ((TrvExtraAccount *) list->pdata[i])->error;
}

void
_trv_application_update_background (TrvApplication *self)
{
  gboolean any = _trv_application_get_account_address (self) != NULL ||
                 _trv_application_get_n_extra_accounts (self) > 0;
  trv_background_set_reachable (_trv_application_get_background (self), any);
}

void
_trv_application_on_shutdown_done (GObject *source, GAsyncResult *result, gpointer data)
{
  guint *pending = data;
  if (TRV_IS_USER_AGENT (source))
    trv_user_agent_shutdown_finish (TRV_USER_AGENT (source), result, NULL);
  else
    trv_echo_endpoint_shutdown_finish (TRV_ECHO_ENDPOINT (source), result, NULL);
  (*pending)--;
}

static gboolean
on_wait_expired (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
_trv_application_wait_pending (guint *pending, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint guard = g_timeout_add (timeout_ms, on_wait_expired, &timed_out);
  while (*pending > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (guard);
}
