/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-actions.c: application actions (app.*). The incoming-call actions
 * are also what the desktop notification's buttons activate. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-application-private.h"
#include "trv-log.h"
#include "trv-preferences-window.h"
#include "trv-window.h"

static void
app_present (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  _trv_application_present_window (TRV_APPLICATION (user_data));
}

gboolean
_trv_application_on_quit_signal (gpointer data)
{
  /* SIGTERM/SIGINT (logout, kill, tests): leave like app.quit, hanging up and
   * unregistering on the way out. */
  g_action_group_activate_action (G_ACTION_GROUP (data), "quit", NULL);
  return G_SOURCE_CONTINUE;
}

static void
app_answer_call (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TrvApplication *self = TRV_APPLICATION (user_data);
  g_autoptr(GError) error = NULL;

  /* From a notification the window may be hidden behind others: bring it up. */
  TrvWindow *window = _trv_application_present_window (self);
  if (!_trv_application_answer (self, &error))
    trv_window_show_message (window, error->message);
}

static void
app_decline_call (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  _trv_application_decline (TRV_APPLICATION (user_data));
}

/* One Preferences window: a second Ctrl+, raises the open one. */
static TrvPreferencesWindow *
present_preferences (TrvApplication *self)
{
  GtkWindow *parent = GTK_WINDOW (_trv_application_get_main_window (self));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (TRV_IS_PREFERENCES_WINDOW (l->data))
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return l->data;
      }
  GtkWindow *preferences = GTK_WINDOW (trv_preferences_window_new (parent));
  /* A transient window does not join the application by itself: without this the loop
   * above never finds it, and the application's shortcuts do nothing in it. */
  gtk_window_set_application (preferences, GTK_APPLICATION (self));
  gtk_window_present (preferences);
  return TRV_PREFERENCES_WINDOW (preferences);
}

static void
app_preferences (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  present_preferences (TRV_APPLICATION (user_data));
}

/* A problem's "Edit Account": the editor of the account (by address) it is about. */
static void
app_edit_account (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TrvPreferencesWindow *preferences = present_preferences (TRV_APPLICATION (user_data));
  trv_preferences_window_edit_account (preferences, g_variant_get_string (parameter, NULL));
}

/* A problem's "Network Settings". */
static void
app_network_settings (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  trv_preferences_window_show_network (present_preferences (TRV_APPLICATION (user_data)));
}

static void
app_about (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TrvApplication *self = TRV_APPLICATION (user_data);
  static const char *developers[] = { "The Traverse developers", NULL };
  GtkWindow *parent = GTK_WINDOW (_trv_application_get_main_window (self));
  /* Troubleshooting: the recent log (main.c keeps it, without passwords) for a bug report. */
  g_autofree gchar *log = trv_log_record_get_text ();
  g_autofree gchar *debug_info = g_strdup_printf ("Traverse %s\nGTK %u.%u.%u, libadwaita %u.%u.%u\n\n%s",
                                                  PACKAGE_VERSION, gtk_get_major_version (),
                                                  gtk_get_minor_version (), gtk_get_micro_version (),
                                                  adw_get_major_version (), adw_get_minor_version (),
                                                  adw_get_micro_version (), log);

  GtkWidget *about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                   "transient-for", parent,
                                   "modal", TRUE,
                                   "application-icon", TRV_APPLICATION_ID,
                                   "application-name", _("Traverse"),
                                   "developer-name", "The Traverse developers",
                                   "version", PACKAGE_VERSION,
                                   "comments", _("Internet phone calls that get through firewalls and NAT."),
                                   "website", "https://github.com/traverse-softphone/traverse",
                                   "issue-url", "https://github.com/traverse-softphone/traverse/issues",
                                   "license-type", GTK_LICENSE_GPL_3_0,
                                   "developers", developers,
                                   /* Translators: your names, one per line. */
                                   "translator-credits", _("translator-credits"),
                                   "debug-info", debug_info,
                                   "debug-info-filename", "traverse-debug-log.txt",
                                   NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
app_quit (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing the windows lets the application shut down (hanging up any call). */
  for (GList *l = windows; l;)
    {
      GList *next = l->next;
      gtk_window_destroy (GTK_WINDOW (l->data));
      l = next;
    }
  g_application_quit (app);
}

static const GActionEntry app_actions[] = {
  { "present", app_present },
  { "answer-call", app_answer_call },
  { "decline-call", app_decline_call },
  { "preferences", app_preferences },
  { "edit-account", app_edit_account, "s" },
  { "network-settings", app_network_settings },
  { "about", app_about },
  { "quit", app_quit },
};

void
_trv_application_update_actions (TrvApplication *self)
{
  TrvCall *call = _trv_application_get_current_call (self);
  gboolean ringing = call && trv_call_get_state (call) == TRV_CALL_STATE_INCOMING;
  GAction *answer = g_action_map_lookup_action (G_ACTION_MAP (self), "answer-call");
  GAction *decline = g_action_map_lookup_action (G_ACTION_MAP (self), "decline-call");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (answer), ringing);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (decline), ringing);
  _trv_application_update_waiting_actions (self);
  _trv_application_update_transfer_actions (self);
}

void
_trv_application_add_actions (TrvApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  /* GtkWindow's own action: the main window closes while Traverse keeps running. */
  static const char *close_accels[] = { "<Control>w", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  _trv_application_add_waiting_actions (self);
  _trv_application_add_transfer_actions (self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  _trv_application_update_actions (self);
}
