/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-account-row.c: one further account's row in the main window (see the header). */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-account-row.h"
#include "trv-connection-text.h"

struct _TrvAccountRow {
  AdwActionRow parent_instance;

  guint index;
  GtkWidget *icon;
  GtkWidget *retry;
  gint last_state;              /* registration state last shown; -1: none */
  gchar *subtitle;              /* the registration in words, without the voice messages */
  TrvUserAgent *agent;          /* weak: whose voice messages are shown */
};

G_DEFINE_FINAL_TYPE (TrvAccountRow, trv_account_row, ADW_TYPE_ACTION_ROW)

enum { SIGNAL_RETRY, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_retry_clicked (GtkButton *button, TrvAccountRow *self)
{
  g_signal_emit (self, signals[SIGNAL_RETRY], 0);
}

/* The registration in words and, where a server said, the voice messages. */
static void
update_subtitle (TrvAccountRow *self)
{
  g_autofree gchar *voicemail =
    self->agent ? trv_voicemail_summary (trv_user_agent_get_voicemail_new (self->agent),
                                         trv_user_agent_get_voicemail_old (self->agent))
                : NULL;
  /* Translators: an account's registration, then its voice messages ("2 new messages"). */
  g_autofree gchar *text = voicemail ? g_strdup_printf (_("%s\nVoicemail: %s"),
                                                        self->subtitle, voicemail)
                                     : g_strdup (self->subtitle ? self->subtitle : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
on_voicemail_notify (TrvUserAgent *agent, GParamSpec *pspec, TrvAccountRow *self)
{
  update_subtitle (self);
}

static void
watch_agent (TrvAccountRow *self, TrvUserAgent *agent)
{
  if (agent == self->agent)
    return;
  if (self->agent)
    {
      g_signal_handlers_disconnect_by_data (self->agent, self);
      g_object_remove_weak_pointer (G_OBJECT (self->agent), (gpointer *) &self->agent);
    }
  self->agent = agent;
  if (agent == NULL)
    return;
  g_object_add_weak_pointer (G_OBJECT (agent), (gpointer *) &self->agent);
  g_signal_connect (agent, "notify::voicemail-new", G_CALLBACK (on_voicemail_notify), self);
  g_signal_connect (agent, "notify::voicemail-old", G_CALLBACK (on_voicemail_notify), self);
}

GtkWidget *
trv_account_row_new (guint index)
{
  TrvAccountRow *self = g_object_new (TRV_TYPE_ACCOUNT_ROW, NULL);
  self->index = index;
  return GTK_WIDGET (self);
}

guint
trv_account_row_get_index (TrvAccountRow *self)
{
  g_return_val_if_fail (TRV_IS_ACCOUNT_ROW (self), 0);
  return self->index;
}

void
trv_account_row_show (TrvAccountRow *self, const char *address, const char *subtitle,
                      const char *icon_name, gboolean can_retry, TrvUserAgent *agent)
{
  g_return_if_fail (TRV_IS_ACCOUNT_ROW (self));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), address);
  g_free (self->subtitle);
  self->subtitle = g_strdup (subtitle);
  watch_agent (self, agent);
  update_subtitle (self);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), icon_name);
  /* Translators: %s is a SIP address. */
  g_autofree gchar *retry_label = g_strdup_printf (_("Retry registering %s"), address);
  gtk_widget_set_tooltip_text (self->retry, retry_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  retry_label, -1);
  gtk_widget_set_visible (self->retry, can_retry);
}

gboolean
trv_account_row_set_state (TrvAccountRow *self, gint state)
{
  g_return_val_if_fail (TRV_IS_ACCOUNT_ROW (self), FALSE);
  gboolean changed = state != self->last_state;
  self->last_state = state;
  return changed;
}

static void
trv_account_row_dispose (GObject *object)
{
  TrvAccountRow *self = TRV_ACCOUNT_ROW (object);
  watch_agent (self, NULL);
  G_OBJECT_CLASS (trv_account_row_parent_class)->dispose (object);
}

static void
trv_account_row_finalize (GObject *object)
{
  g_free (TRV_ACCOUNT_ROW (object)->subtitle);
  G_OBJECT_CLASS (trv_account_row_parent_class)->finalize (object);
}

static void
trv_account_row_class_init (TrvAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = trv_account_row_dispose;
  object_class->finalize = trv_account_row_finalize;
  signals[SIGNAL_RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
trv_account_row_init (TrvAccountRow *self)
{
  self->last_state = -1;
  self->icon = g_object_new (GTK_TYPE_IMAGE,
                             "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  self->retry = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);
  gtk_widget_set_valign (self->retry, GTK_ALIGN_CENTER);
  g_signal_connect (self->retry, "clicked", G_CALLBACK (on_retry_clicked), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), self->icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->retry);
}
