/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-account-row.c: one further account's row in the main window (see the header). */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-account-row.h"

struct _TrvAccountRow {
  AdwActionRow parent_instance;

  guint index;
  GtkWidget *icon;
  GtkWidget *retry;
  gint last_state;              /* registration state last shown; -1: none */
};

G_DEFINE_FINAL_TYPE (TrvAccountRow, trv_account_row, ADW_TYPE_ACTION_ROW)

enum { SIGNAL_RETRY, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_retry_clicked (GtkButton *button, TrvAccountRow *self)
{
  g_signal_emit (self, signals[SIGNAL_RETRY], 0);
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
                      const char *icon_name, gboolean can_retry)
{
  g_return_if_fail (TRV_IS_ACCOUNT_ROW (self));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), address);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  subtitle, -1);
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
trv_account_row_class_init (TrvAccountRowClass *klass)
{
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
