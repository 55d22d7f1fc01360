/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-actions.c: the window's actions (win.*): dial, echo test, retry. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-window-private.h"

static void
report (TrvWindow *self, const GError *error)
{
  trv_window_show_message (self, error->message);
}

static void
win_dial (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TrvWindow *self = TRV_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree gchar *target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->dial_entry))));

  if (*target == '\0')
    {
      trv_window_show_message (self, _("Type a number or a sip: address first."));
      gtk_widget_grab_focus (GTK_WIDGET (self->dial_entry));
      return;
    }
  if (_trv_application_dial (self->application, target, &error) == NULL)
    report (self, error);
}

static void
win_echo_test (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TrvWindow *self = TRV_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (_trv_application_start_echo_test (self->application, &error) == NULL)
    report (self, error);
}

static void
win_retry_registration (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TrvWindow *self = TRV_WINDOW (widget);
  TrvUserAgent *agent = _trv_application_get_agent (self->application);

  /* An agent that could not start is rebuilt; a running one retries at once
   * instead of waiting for its backoff timer. */
  if (agent == NULL)
    _trv_application_restart_agent (self->application);
  else
    trv_user_agent_retry_registration (agent);
}

static void
win_focus_dial (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TrvWindow *self = TRV_WINDOW (widget);
  _trv_window_show_home (self);
  _trv_window_show_view (self, "dial");
  gtk_widget_grab_focus (GTK_WIDGET (self->dial_entry));
}

static void
win_back (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  /* After a call ended, Escape leaves its last words on screen at once; during a
   * call or while ringing there is nothing to go back to (_trv_window_show_home). */
  _trv_window_show_home (TRV_WINDOW (widget));
}

void
_trv_window_call_back (TrvWindow *self, TrvRecentCall *entry)
{
  g_autoptr(GError) error = NULL;
  TrvCall *call;

  if (trv_recent_call_get_echo_test (entry))
    call = _trv_application_start_echo_test (self->application, &error);
  else
    call = _trv_application_dial (self->application, trv_recent_call_get_uri (entry), &error);
  if (call == NULL)
    report (self, error);
}

static void
win_copy_direct_address (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TrvWindow *self = TRV_WINDOW (widget);
  g_autofree gchar *uri = _trv_application_dup_direct_uri (self->application);

  if (uri == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), uri);
  _trv_window_announce (self, _("Address copied"));
}

void
_trv_window_update_actions (TrvWindow *self)
{
  gboolean idle = _trv_application_get_current_call (self->application) == NULL;
  gboolean ready = _trv_application_get_agent (self->application) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.dial", idle && ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.echo-test", idle && ready);
}

/* Built on first use: at GTK's own place (gtk/help-overlay.ui) GtkApplication would build
 * it with the window, a tenth of the window's widgets before its first frame. */
static void
win_show_shortcuts (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TrvWindow *self = TRV_WINDOW (widget);
  if (self->shortcuts == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/traverse/Traverse/trv-shortcuts-window.ui");
      self->shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      g_object_add_weak_pointer (G_OBJECT (self->shortcuts), (gpointer *) &self->shortcuts);
      gtk_window_set_transient_for (self->shortcuts, GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (self->shortcuts, TRUE);
      gtk_window_set_hide_on_close (self->shortcuts, TRUE);
    }
  gtk_window_present (self->shortcuts);
}

void
_trv_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.dial", NULL, win_dial);
  gtk_widget_class_install_action (widget_class, "win.echo-test", NULL, win_echo_test);
  gtk_widget_class_install_action (widget_class, "win.retry-registration", NULL,
                                   win_retry_registration);
  gtk_widget_class_install_action (widget_class, "win.focus-dial", NULL, win_focus_dial);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, win_back);
  gtk_widget_class_install_action (widget_class, "win.copy-direct-address", NULL,
                                   win_copy_direct_address);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   win_show_shortcuts);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.echo-test", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-dial", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-help-overlay", NULL);
}
