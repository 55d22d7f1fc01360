/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application.c: owns the core objects (user agent, echo endpoint), the call
 * history and the ringtone (links: trv-application-links.c; the accounts' agents:
 * trv-application-accounts.c). One instance per session: a second `traverse sip:...`
 * hands its link to the running one. */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "trv-application-private.h"
#include "trv-problem.h"
#include "trv-echo-endpoint.h"
#include "trv-error.h"
#include "trv-ringer.h"
#include "trv-settings.h"
#include "trv-window.h"

#define AGENT_SHUTDOWN_WAIT_MS 5000

struct _TrvApplication {
  AdwApplication parent_instance;

  TrvSettings *settings;
  GCancellable *loading;
  /* Inside launch: an agent signals its first registration state before it is ours. */
  gboolean launching;
  TrvDirectPort direct;
  TrvDeferredWork deferred;
  gboolean restart_pending;     /* settings changed during a call */
  gchar *pending_link;          /* a link to call once the agent is up */
  TrvAudioSettings *audio;
  TrvAccountConfig *account;
  TrvNatConfig *nat;
  TrvMediaConfig *media;
  TrvUserAgent *agent;
  GError *agent_error;
  TrvNatChooser *nat_chooser;   /* nat.mode = auto: probes before the agent starts */
  TrvEchoEndpoint *echo;
  TrvRecentCalls *recent;
  TrvRinger *ringer;
  TrvBackground *background;    /* keeps the app running while an account is set up */
  TrvContacts *contacts;        /* the GNOME address books: names for callers */
  TrvCall *current;
  GHashTable *watched;          /* TrvCall* (unowned) -> WatchedCall, until the call ends */
  guint signal_sources[2];
  /* The accounts after the first: each registers with an agent of its own and receives
   * calls (trv-application-accounts.c); calls go out through the account chosen in the
   * window (trv-application-outgoing.c). */
  TrvExtraAccounts *extras;
  gchar *outgoing_account;      /* its address; NULL: the first account */
};

G_DEFINE_FINAL_TYPE (TrvApplication, trv_application, ADW_TYPE_APPLICATION)

enum {
  SIGNAL_AGENT_CHANGED,
  SIGNAL_REGISTRATION_CHANGED,
  SIGNAL_CALL_STARTED,
  SIGNAL_INCOMING_CALL,
  SIGNAL_CALL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const GOptionEntry option_entries[] = {
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, N_("[LINK]") },
  { NULL }
};

/* What the history needs of a call that the call itself does not keep. */
typedef struct {
  GDateTime *start;             /* wall clock when the call appeared */
  gboolean was_active;          /* it was answered at some point */
} WatchedCall;

static void
watched_call_free (gpointer data)
{
  WatchedCall *w = data;
  g_date_time_unref (w->start);
  g_free (w);
}

static void     on_call_state_changed (TrvCall *call, TrvCallState old_state,
                                       TrvApplication *self);

/* ---- the agent ---------------------------------------------------------------------- */

/* A link the app was launched with is called once the account it goes out from has
 * registered (or failed to: then the refusal names it). */
void
_trv_application_try_pending_link (TrvApplication *self)
{
  if (self->pending_link == NULL || _trv_application_outgoing_is_settling (self))
    return;
  g_autofree gchar *link = g_steal_pointer (&self->pending_link);
  g_autoptr(GError) link_error = NULL;
  if (!_trv_application_call_link (self, link, &link_error))
    g_warning ("%s", link_error->message);
}

static gboolean
on_pending_link_idle (gpointer data)
{
  _trv_application_try_pending_link (data);
  return G_SOURCE_REMOVE;
}

static void
on_agent_registration_changed (TrvUserAgent *agent, TrvApplication *self)
{
  g_signal_emit (self, signals[SIGNAL_REGISTRATION_CHANGED], 0);
  /* Not from inside the agent's signal: dial once it has finished with the response. */
  if (self->pending_link)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_pending_link_idle, g_object_ref (self),
                     g_object_unref);
}

static void
stop_alerting (TrvApplication *self)
{
  trv_ringer_stop (self->ringer);
  g_application_withdraw_notification (G_APPLICATION (self), TRV_NOTIFICATION_INCOMING);
}

void
_trv_application_watch_call (TrvApplication *self, TrvCall *call)
{
  WatchedCall *w = g_new0 (WatchedCall, 1);
  w->start = g_date_time_new_now_utc ();
  g_hash_table_replace (self->watched, call, w);
  g_signal_connect_object (call, "state-changed", G_CALLBACK (on_call_state_changed), self, 0);
}

static void
on_agent_incoming_call (TrvUserAgent *agent, TrvCall *call, TrvApplication *self)
{
  _trv_application_watch_call (self, call);
  if (self->current != NULL)
    {
      _trv_application_take_waiting (self, agent, call);
      return;
    }
  self->current = g_object_ref (call);
  _trv_application_ring (self, call);
}

void
_trv_application_ring (TrvApplication *self, TrvCall *call)
{
  trv_ringer_start (self->ringer);
  _trv_application_send_incoming_notification (self, call);
  _trv_application_update_actions (self);
  g_signal_emit (self, signals[SIGNAL_INCOMING_CALL], 0, call);
}

void
_trv_application_emit_agent_changed (TrvApplication *self)
{
  g_signal_emit (self, signals[SIGNAL_AGENT_CHANGED], 0);
}

gboolean
_trv_application_agent_failed (TrvApplication *self, TrvUserAgent *agent, const GError *error)
{
  if (agent != self->agent)
    return FALSE;
  g_clear_error (&self->agent_error);
  self->agent_error = g_error_copy (error);
  _trv_application_retire_agent (self, g_steal_pointer (&self->agent));
  return TRUE;
}

void
_trv_application_watch_agent (TrvApplication *self, TrvUserAgent *agent)
{
  g_signal_connect_object (agent, "registration-changed",
                           G_CALLBACK (on_agent_registration_changed), self, 0);
  g_signal_connect_object (agent, "incoming-call",
                           G_CALLBACK (on_agent_incoming_call), self, 0);
}

static void start_agent (TrvApplication *self);

static void
on_nat_chosen (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvApplication) self = data;
  /* Cancelled: the settings or the network changed again and a new choice runs. */
  if (trv_nat_chooser_choose_finish (TRV_NAT_CHOOSER (source), result, NULL))
    start_agent (self);
}

/* Builds and starts the agent from the loaded configs (account may be NULL). */
static void
start_agent (TrvApplication *self)
{
  g_clear_error (&self->agent_error);
  gboolean auto_mode = self->nat->mode == TRV_NAT_MODE_AUTO;
  if (auto_mode && trv_nat_chooser_get_description (self->nat_chooser) == NULL)
    {
      /* The probe takes seconds on a blocked network: it runs in the background and the
       * window says so; this runs again once it has picked the mode. */
      trv_nat_chooser_choose_async (self->nat_chooser, self->nat,
                                    self->account ? self->account->domain : NULL, NULL,
                                    on_nat_chosen, g_object_ref (self));
      _trv_application_update_actions (self);
      g_signal_emit (self, signals[SIGNAL_AGENT_CHANGED], 0);
      return;
    }
  /* Held back while the agents start: their first registration changes are signalled
   * before the other accounts exist. */
  g_autofree gchar *link = g_steal_pointer (&self->pending_link);
  self->launching = TRUE;
  self->agent = _trv_application_launch_agent (self, self->account,
                                               _trv_application_remembered_port (self),
                                               &self->agent_error);
  _trv_application_start_extra_accounts (self);
  self->launching = FALSE;
  _trv_application_note_listening (self);
  g_debug ("agent %s", self->agent ? "started" : "did not start");
  _trv_application_update_actions (self);
  g_signal_emit (self, signals[SIGNAL_AGENT_CHANGED], 0);
  self->pending_link = g_steal_pointer (&link);
  _trv_application_try_pending_link (self);
}

static void
on_settings_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvApplication) self = data;
  g_autoptr(GError) error = NULL;
  TrvAccountConfig *account = NULL;
  TrvNatConfig *nat = NULL;
  TrvMediaConfig *media = NULL;

  if (!trv_settings_load_finish (TRV_SETTINGS (source), result, &account, &nat, &media, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("cannot read the settings: %s", error->message);
    }
  g_clear_object (&self->loading);
  g_clear_pointer (&self->account, trv_account_config_free);
  g_clear_pointer (&self->nat, trv_nat_config_free);
  g_clear_pointer (&self->media, trv_media_config_free);
  g_clear_pointer (&self->audio, trv_audio_settings_free);
  self->account = account;
  self->nat = nat ? nat : trv_nat_config_new ();
  self->media = media ? media : trv_media_config_new ();
  self->audio = trv_settings_get_audio (TRV_SETTINGS (source));
  trv_ringer_set_sink (self->ringer, self->audio ? self->audio->output_device : NULL);
  start_agent (self);
}

/* Reads the settings (passwords come from the Secret Service, asynchronously) and
 * then starts the agent. Without a settings store the agent runs with defaults. */
static void
build_agent (TrvApplication *self)
{
  /* Each (re)start with nat.mode = auto probes again: the settings or the network changed. */
  trv_nat_chooser_reset (self->nat_chooser);
  if (self->settings == NULL)
    {
      g_clear_pointer (&self->nat, trv_nat_config_free);
      g_clear_pointer (&self->media, trv_media_config_free);
      self->nat = trv_nat_config_new ();
      self->media = trv_media_config_new ();
      start_agent (self);
      return;
    }
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  trv_settings_load_async (self->settings, self->loading, on_settings_loaded,
                           g_object_ref (self));
}

static void
on_settings_changed (TrvSettings *settings, TrvApplication *self)
{
  /* New settings apply to the next call: never cut a call short for them. */
  if (self->current != NULL)
    self->restart_pending = TRUE;
  else
    _trv_application_restart_agent (self);
}

void
_trv_application_restart_agent (TrvApplication *self)
{
  g_return_if_fail (TRV_IS_APPLICATION (self));
  /* A call may run on another account's agent (a Retry of the first one meanwhile): never
   * cut it short, restart once it has ended. */
  if (self->current != NULL)
    {
      self->restart_pending = TRUE;
      return;
    }
  if (self->agent)
    _trv_application_retire_agent (self, g_steal_pointer (&self->agent));
  _trv_application_stop_extra_accounts (self);
  self->restart_pending = FALSE;
  /* The old agents hold the ports until they have stopped: the new one waits, so that it
   * gets the same port (the same address for direct calls). */
  self->direct.build_waiting = self->direct.retiring > 0;
  if (self->direct.build_waiting)
    g_signal_emit (self, signals[SIGNAL_AGENT_CHANGED], 0);
  else
    build_agent (self);
}

/* The network changed (and settled): with nat.mode = auto, choose again, between calls. */
static void
on_network_changed (TrvNatChooser *chooser, TrvApplication *self)
{
  if (self->nat == NULL || self->nat->mode != TRV_NAT_MODE_AUTO)
    return;
  on_settings_changed (self->settings, self);
}

/* ---- calls ---------------------------------------------------------------------------- */

static void
remember_call (TrvApplication *self, TrvCall *call, const WatchedCall *w)
{
  g_autoptr(GError) error = NULL;
  GDateTime *start = w ? w->start : NULL;
  gboolean was_active = w && w->was_active;
  const char *uri = trv_call_get_remote_uri (call);
  gboolean echo = _trv_application_is_echo_uri (self, uri);
  g_autofree gchar *name = echo ? NULL : _trv_application_dup_caller_name (self, call);
  g_autoptr(TrvRecentCall) entry =
    trv_recent_call_new (uri, name,
                         trv_call_get_direction (call) == TRV_CALL_DIRECTION_INCOMING,
                         start ? g_date_time_to_unix (start) : g_get_real_time () / G_USEC_PER_SEC,
                         was_active ? trv_call_get_duration_s (call) : 0,
                         trv_recent_outcome_of_call (call, was_active), echo);
  if (!trv_recent_calls_add (self->recent, entry, &error))
    g_warning ("cannot save the call history: %s", error->message);
}

static void
on_call_state_changed (TrvCall *call, TrvCallState old_state, TrvApplication *self)
{
  TrvCallState state = trv_call_get_state (call);

  WatchedCall *w = g_hash_table_lookup (self->watched, call);
  if (state == TRV_CALL_STATE_ACTIVE && w)
    w->was_active = TRUE;
  if (state != TRV_CALL_STATE_ENDED)
    return;

  remember_call (self, call, w);
  g_hash_table_remove (self->watched, call);
  if (call != self->current)
    {
      _trv_application_other_ended (self, call);
      return;
    }
  stop_alerting (self);
  g_autoptr(TrvCall) ended = g_steal_pointer (&self->current);
  _trv_application_update_actions (self);
  g_signal_emit (self, signals[SIGNAL_CALL_ENDED], 0, ended);
  if (_trv_application_other_takes_over (self))
    return;
  if (self->restart_pending)
    _trv_application_restart_agent (self);
}

static gboolean
check_can_call (TrvApplication *self, GError **error)
{
  if (self->current != NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("Hang up the current call first."));
      return FALSE;
    }
  if (self->agent == NULL)
    {
      g_autoptr(TrvProblem) problem = trv_problem_new_for_start (self->agent_error);
      g_set_error_literal (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE, problem->text);
      return FALSE;
    }
  return TRUE;
}

/* `direct`: the echo endpoint, called past the account (trv_user_agent_dial_local()). */
static TrvCall *
place_call (TrvApplication *self, TrvUserAgent *agent, const char *target, gboolean direct,
            GError **error)
{
  g_autoptr(GError) local = NULL;
  TrvCall *call = direct ? trv_user_agent_dial_local (agent, target, &local)
                         : trv_user_agent_dial (agent, target, &local);
  if (call == NULL)
    {
      /* Translators: %s is the reason from the SIP engine (translated, lower case). */
      g_set_error (error, TRV_ERROR, local->code, _("Cannot call: %s"), local->message);
      return NULL;
    }
  _trv_application_watch_call (self, call);
  self->current = g_object_ref (call);
  _trv_application_update_actions (self);
  g_signal_emit (self, signals[SIGNAL_CALL_STARTED], 0, call);
  return call;
}

TrvCall *
_trv_application_dial (TrvApplication *self, const char *target, GError **error)
{
  g_return_val_if_fail (TRV_IS_APPLICATION (self), NULL);
  if (!check_can_call (self, error))
    return NULL;
  TrvUserAgent *agent = _trv_application_get_outgoing_agent (self, error);
  return agent ? place_call (self, agent, target, FALSE, error) : NULL;
}

TrvCall *
_trv_application_start_echo_test (TrvApplication *self, GError **error)
{
  g_return_val_if_fail (TRV_IS_APPLICATION (self), NULL);
  if (!check_can_call (self, error))
    return NULL;
  if (self->echo == NULL)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(TrvEchoEndpoint) echo = trv_echo_endpoint_new (self->media);
      if (!trv_echo_endpoint_start (echo, &local))
        {
          g_set_error (error, TRV_ERROR, local->code, _("Cannot start the echo test: %s"),
                       local->message);
          return NULL;
        }
      self->echo = g_steal_pointer (&echo);
    }
  return place_call (self, self->agent, trv_echo_endpoint_get_uri (self->echo), TRUE, error);
}

gboolean
_trv_application_is_echo_uri (TrvApplication *self, const char *uri)
{
  return self->echo && g_strcmp0 (uri, trv_echo_endpoint_get_uri (self->echo)) == 0;
}

gboolean
_trv_application_answer (TrvApplication *self, GError **error)
{
  g_return_val_if_fail (TRV_IS_APPLICATION (self), FALSE);
  g_autoptr(GError) local = NULL;

  if (self->current == NULL || trv_call_get_state (self->current) != TRV_CALL_STATE_INCOMING)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE, _("There is no call to answer."));
      return FALSE;
    }
  stop_alerting (self);
  if (!trv_call_answer (self->current, &local))
    {
      g_set_error (error, TRV_ERROR, local->code, _("Cannot answer: %s"), local->message);
      return FALSE;
    }
  _trv_application_update_actions (self);
  g_signal_emit (self, signals[SIGNAL_CALL_STARTED], 0, self->current);
  return TRUE;
}

void
_trv_application_decline (TrvApplication *self)
{
  g_return_if_fail (TRV_IS_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (self->current == NULL || trv_call_get_state (self->current) != TRV_CALL_STATE_INCOMING)
    return;
  stop_alerting (self);
  /* 603 Decline: the caller's phone says the call was declined, not that we are busy. */
  if (!trv_call_reject (self->current, 603, &error))
    g_warning ("cannot decline: %s", error->message);
}

void
_trv_application_set_outgoing_account (TrvApplication *self, const char *address)
{
  g_free (self->outgoing_account);
  self->outgoing_account = g_strdup (address);
}

const char *
_trv_application_get_outgoing_account (TrvApplication *self)
{
  return self->outgoing_account;
}

void
_trv_application_set_pending_link (TrvApplication *self, const char *link)
{
  g_free (self->pending_link);
  self->pending_link = g_strdup (link);
}

/* ---- getters ---------------------------------------------------------------------------- */

TrvUserAgent *
_trv_application_get_agent (TrvApplication *self)
{
  return self->agent;
}

const GError *
_trv_application_get_agent_error (TrvApplication *self)
{
  return self->agent_error;
}

gchar *
_trv_application_dup_direct_uri (TrvApplication *self)
{
  return self->agent ? trv_user_agent_dup_direct_uri (self->agent) : NULL;
}

TrvDirectPort *
_trv_application_get_direct_port (TrvApplication *self)
{
  return &self->direct;
}

const char *
_trv_application_get_account_address (TrvApplication *self)
{
  return self->account ? self->account->address : NULL;
}

TrvSettings *
_trv_application_get_settings (TrvApplication *self)
{
  return self->settings;
}

const TrvNatConfig *
_trv_application_get_nat_config (TrvApplication *self)
{
  return self->nat;
}

const TrvMediaConfig *
_trv_application_get_media_config (TrvApplication *self)
{
  return self->media;
}

const TrvAudioSettings *
_trv_application_get_audio_settings (TrvApplication *self)
{
  return self->audio;
}

TrvExtraAccounts *
_trv_application_get_extras (TrvApplication *self)
{
  return self->extras;
}

const char *
_trv_application_get_turn_server (TrvApplication *self)
{
  return self->nat ? self->nat->turn_server : NULL;
}

TrvBackground *
_trv_application_get_background (TrvApplication *self)
{
  return self->background;
}

TrvContacts *
_trv_application_get_contacts (TrvApplication *self)
{
  return self->contacts;
}

TrvRecentCalls *
_trv_application_get_recent_calls (TrvApplication *self)
{
  return self->recent;
}

gboolean
_trv_application_is_starting (TrvApplication *self)
{
  return self->loading != NULL || self->launching || self->direct.build_waiting ||
         trv_nat_chooser_is_choosing (self->nat_chooser);
}

TrvNatChooser *
_trv_application_get_nat_chooser (TrvApplication *self)
{
  return self->nat && self->nat->mode == TRV_NAT_MODE_AUTO ? self->nat_chooser : NULL;
}

TrvNatChooser *
_trv_application_peek_nat_chooser (TrvApplication *self)
{
  return self->nat_chooser;
}

TrvDeferredWork *
_trv_application_get_deferred (TrvApplication *self)
{
  return &self->deferred;
}

TrvCall *
_trv_application_get_current_call (TrvApplication *self)
{
  return self->current;
}

TrvCall *
_trv_application_replace_current (TrvApplication *self, TrvCall *call)
{
  TrvCall *previous = self->current;
  self->current = call ? g_object_ref (call) : NULL;
  return previous;
}

/* ---- GApplication ---------------------------------------------------------------------- */

static void
trv_application_activate (GApplication *app)
{
  _trv_application_present_window (TRV_APPLICATION (app));
}

static void
trv_application_startup (GApplication *app)
{
  TrvApplication *self = TRV_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (trv_application_parent_class)->startup (app);

  g_set_application_name (_("Traverse"));
  gtk_window_set_default_icon_name (TRV_APPLICATION_ID);
  _trv_application_add_actions (self);

  self->recent = trv_recent_calls_new (NULL);
  if (!trv_recent_calls_load (self->recent, &error))
    g_warning ("cannot read the call history: %s", error->message);
  g_clear_error (&error);
  self->ringer = trv_ringer_new ();
  self->background = trv_background_new (app);
  self->contacts = trv_contacts_new ();
  g_signal_connect (self, "agent-changed", G_CALLBACK (_trv_application_update_background), NULL);
  self->nat_chooser = trv_nat_chooser_new (NULL);
  g_signal_connect_object (self->nat_chooser, "network-changed", G_CALLBACK (on_network_changed),
                           self, 0);
  self->settings = trv_settings_new (&error);
  if (self->settings == NULL)
    g_warning ("settings unavailable, using defaults: %s", error->message);
  else
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed),
                             self, 0);
  self->signal_sources[0] = g_unix_signal_add (SIGTERM, _trv_application_on_quit_signal, self);
  self->signal_sources[1] = g_unix_signal_add (SIGINT, _trv_application_on_quit_signal, self);
  _trv_application_defer_work (self);
  build_agent (self);
}

static void
trv_application_shutdown (GApplication *app)
{
  TrvApplication *self = TRV_APPLICATION (app);
  guint pending = 0;

  stop_alerting (self);
  _trv_application_end_deferred_work (self);
  self->direct.build_waiting = FALSE;   /* no new agent on the way out */
  trv_nat_chooser_reset (self->nat_chooser);
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    g_clear_handle_id (&self->signal_sources[i], g_source_remove);
  /* Hang up and unregister before the process goes: the main loop has stopped, so
   * iterate the context here until both agents are down (each bounds its own wait). */
  if (self->agent)
    {
      pending++;
      trv_user_agent_shutdown_async (self->agent, NULL, _trv_application_on_shutdown_done,
                                     &pending);
    }
  if (self->echo)
    {
      pending++;
      trv_echo_endpoint_shutdown_async (self->echo, _trv_application_on_shutdown_done,
                                        &pending);
    }
  _trv_application_shutdown_extra_accounts (self, _trv_application_on_shutdown_done, &pending);
  _trv_application_wait_pending (&pending, AGENT_SHUTDOWN_WAIT_MS);

  g_clear_object (&self->current);
  g_clear_object (&self->agent);
  g_clear_object (&self->echo);
  _trv_application_clear_extra_accounts (self);
  G_APPLICATION_CLASS (trv_application_parent_class)->shutdown (app);
}

static void
trv_application_dispose (GObject *object)
{
  TrvApplication *self = TRV_APPLICATION (object);
  g_clear_object (&self->current);
  g_clear_object (&self->agent);
  g_clear_object (&self->echo);
  g_clear_object (&self->recent);
  g_clear_object (&self->ringer);
  g_clear_object (&self->background);
  g_clear_object (&self->contacts);
  g_clear_object (&self->nat_chooser);
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->extras, _trv_extra_accounts_free);
  G_OBJECT_CLASS (trv_application_parent_class)->dispose (object);
}

static void
trv_application_finalize (GObject *object)
{
  TrvApplication *self = TRV_APPLICATION (object);
  g_clear_error (&self->agent_error);
  g_free (self->pending_link);
  g_free (self->outgoing_account);
  g_hash_table_unref (self->watched);
  g_clear_pointer (&self->account, trv_account_config_free);
  g_clear_pointer (&self->nat, trv_nat_config_free);
  g_clear_pointer (&self->media, trv_media_config_free);
  g_clear_pointer (&self->audio, trv_audio_settings_free);
  G_OBJECT_CLASS (trv_application_parent_class)->finalize (object);
}

static void
trv_application_class_init (TrvApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = trv_application_dispose;
  object_class->finalize = trv_application_finalize;

  app_class->startup = trv_application_startup;
  app_class->shutdown = trv_application_shutdown;
  app_class->activate = trv_application_activate;
  app_class->open = _trv_application_open;
  app_class->command_line = _trv_application_command_line;
  app_class->handle_local_options = _trv_application_handle_local_options;

  signals[SIGNAL_AGENT_CHANGED] =
    g_signal_new ("agent-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_REGISTRATION_CHANGED] =
    g_signal_new ("registration-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CALL_STARTED] =
    g_signal_new ("call-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TRV_TYPE_CALL);
  signals[SIGNAL_INCOMING_CALL] =
    g_signal_new ("incoming-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TRV_TYPE_CALL);
  signals[SIGNAL_CALL_ENDED] =
    g_signal_new ("call-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TRV_TYPE_CALL);
  _trv_application_waiting_class_init (object_class);
}

static void
trv_application_init (TrvApplication *self)
{
  self->extras = _trv_extra_accounts_new ();
  self->watched = g_hash_table_new_full (NULL, NULL, NULL, watched_call_free);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Internet phone calls that get through NAT.\n"
                                              "LINK is a sip:, sips: or tel: address to call."));
}

TrvApplication *
trv_application_new (void)
{
  return g_object_new (TRV_TYPE_APPLICATION,
                       "application-id", TRV_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/traverse/Traverse",
                       NULL);
}
