/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-voicemail.c: the first account's voice messages (RFC 3842, as its server
 * reports them) under the account, and "Call Voicemail", which calls the voicemail box the
 * account's voicemail setting names, or else the server (Message-Account). Hidden while
 * neither the server nor the setting said anything. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-connection-text.h"
#include "trv-window-private.h"

static void
update_voicemail (TrvWindow *self)
{
  TrvUserAgent *agent = self->voicemail_agent;
  gint new_count = agent ? trv_user_agent_get_voicemail_new (agent) : -1;
  gint old_count = agent ? trv_user_agent_get_voicemail_old (agent) : -1;
  const char *box = agent ? trv_user_agent_get_voicemail_box (agent) : NULL;
  /* A configured number alone shows the row too: the box can be called, counts unknown. */
  gtk_widget_set_visible (GTK_WIDGET (self->voicemail_row), new_count >= 0 || box != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->voicemail_button), box != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.call-voicemail", box != NULL);
  if (new_count < 0 && box == NULL)
    return;
  g_autofree gchar *text = new_count < 0 ? g_strdup (_("Messages not reported by the server"))
                                         : trv_voicemail_summary (new_count, old_count);
  adw_action_row_set_subtitle (self->voicemail_row, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->voicemail_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  gtk_image_set_from_icon_name (self->voicemail_icon, new_count > 0 ? "mail-unread-symbolic"
                                                                   : "mail-read-symbolic");
  g_debug ("voicemail: %d new, %d old, box %s", new_count, old_count, box ? box : "unknown");
}

static void
on_voicemail_notify (TrvUserAgent *agent, GParamSpec *pspec, TrvWindow *self)
{
  update_voicemail (self);
}

void
_trv_window_unwatch_voicemail (TrvWindow *self)
{
  if (self->voicemail_agent == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->voicemail_agent, self);
  g_object_remove_weak_pointer (G_OBJECT (self->voicemail_agent),
                                (gpointer *) &self->voicemail_agent);
  self->voicemail_agent = NULL;
}

void
_trv_window_watch_voicemail (TrvWindow *self)
{
  TrvUserAgent *agent = _trv_application_get_agent (self->application);
  if (agent != self->voicemail_agent)
    {
      _trv_window_unwatch_voicemail (self);
      if (agent)
        {
          self->voicemail_agent = agent;
          g_object_add_weak_pointer (G_OBJECT (agent), (gpointer *) &self->voicemail_agent);
          g_signal_connect (agent, "notify::voicemail-new", G_CALLBACK (on_voicemail_notify),
                            self);
          g_signal_connect (agent, "notify::voicemail-old", G_CALLBACK (on_voicemail_notify),
                            self);
          g_signal_connect (agent, "notify::voicemail-account",
                            G_CALLBACK (on_voicemail_notify), self);
        }
    }
  update_voicemail (self);
}

static void
win_call_voicemail (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TrvWindow *self = TRV_WINDOW (widget);
  const char *box = self->voicemail_agent
                    ? trv_user_agent_get_voicemail_box (self->voicemail_agent) : NULL;
  g_autoptr(GError) error = NULL;
  if (box && _trv_application_dial (self->application, box, &error) == NULL)
    trv_window_show_message (self, error->message);
}

void
_trv_window_class_voicemail_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.call-voicemail", NULL, win_call_voicemail);
}
