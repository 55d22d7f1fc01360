/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-recent.c: the recent calls list of the main window: one row per call (the
 * contact's name as it is now, the kind of call, when, how long), activating it calls back. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-connection-text.h"
#include "trv-window-private.h"

static gchar *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    return g_date_time_format (time, "%H:%M");
  return g_date_time_format (time, "%x %H:%M");
}

static const char *
describe_outcome (TrvRecentCall *entry)
{
  gboolean incoming = trv_recent_call_get_incoming (entry);
  switch (trv_recent_call_get_outcome (entry))
    {
    case TRV_RECENT_OUTCOME_ANSWERED:
      return incoming ? _("Incoming call") : _("Outgoing call");
    case TRV_RECENT_OUTCOME_MISSED:
      return _("Missed call");
    case TRV_RECENT_OUTCOME_DECLINED:
      return _("Declined call");
    case TRV_RECENT_OUTCOME_CANCELLED:
      return _("Cancelled call");
    case TRV_RECENT_OUTCOME_REJECTED:
      return _("Call not accepted");
    case TRV_RECENT_OUTCOME_FAILED:
    default:
      return _("Failed call");
    }
}

static const char *
outcome_icon (TrvRecentCall *entry)
{
  switch (trv_recent_call_get_outcome (entry))
    {
    case TRV_RECENT_OUTCOME_ANSWERED:
      return trv_recent_call_get_incoming (entry) ? "call-incoming-symbolic"
                                                  : "call-outgoing-symbolic";
    case TRV_RECENT_OUTCOME_MISSED:
    case TRV_RECENT_OUTCOME_DECLINED:
      return "call-missed-symbolic";
    default:
      return "dialog-warning-symbolic";
    }
}

/* The list is bound to the history (gtk_list_box_bind_model): a row's index is its entry's
 * position there. @widget is the row or a widget inside it. */
static void
call_back_entry_of (TrvWindow *self, GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);
  gint index = row ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) : -1;
  GListModel *history = G_LIST_MODEL (_trv_application_get_recent_calls (self->application));
  g_autoptr(TrvRecentCall) entry = index >= 0 ? g_list_model_get_item (history, index) : NULL;
  if (entry)
    _trv_window_call_back (self, entry);
}

static void
on_recent_row_activated (AdwActionRow *row, TrvWindow *self)
{
  call_back_entry_of (self, GTK_WIDGET (row));
}

static void
on_recent_call_button_clicked (GtkButton *button, TrvWindow *self)
{
  call_back_entry_of (self, GTK_WIDGET (button));
}

static GtkWidget *
create_recent_row (gpointer item, gpointer user_data)
{
  TrvWindow *self = user_data;
  TrvRecentCall *entry = item;
  /* The address book's name as it is now (a contact renamed or added since the call),
   * else the name kept with the call. */
  g_autofree gchar *contact =
    _trv_application_dup_contact_name (self->application, trv_recent_call_get_uri (entry));
  const char *name = contact ? contact : trv_recent_call_get_name (entry);
  const char *who = trv_recent_call_get_echo_test (entry) ? _("Echo test")
                    : name ? name : trv_recent_call_get_uri (entry);
  g_autofree gchar *when = format_time (trv_recent_call_get_time (entry));
  g_autofree gchar *duration = trv_connection_format_duration (trv_recent_call_get_duration (entry));
  gboolean answered = trv_recent_call_get_outcome (entry) == TRV_RECENT_OUTCOME_ANSWERED;
  /* Translators: "Outgoing call, 14:05, 1:23" = kind of call, time, duration. */
  g_autofree gchar *subtitle = answered
    ? g_strdup_printf (_("%s, %s, %s"), describe_outcome (entry), when, duration)
    : g_strdup_printf (_("%s, %s"), describe_outcome (entry), when);

  GtkWidget *row = adw_action_row_new ();
  /* Names and addresses come from the network: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), who);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, trv_recent_call_get_uri (entry));
  GtkWidget *icon = gtk_image_new_from_icon_name (outcome_icon (entry));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  describe_outcome (entry), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  GtkWidget *button = gtk_button_new_from_icon_name ("call-start-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: %s is a name or SIP address. */
  g_autofree gchar *call_label = g_strdup_printf (_("Call %s"), who);
  gtk_widget_set_tooltip_text (button, call_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  call_label, -1);
  g_signal_connect (button, "clicked", G_CALLBACK (on_recent_call_button_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect (row, "activated", G_CALLBACK (on_recent_row_activated), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  subtitle, -1);
  return row;
}

/* The list, or the empty state without any call. */
static void
show_recent_or_empty (TrvWindow *self)
{
  GListModel *history = G_LIST_MODEL (_trv_application_get_recent_calls (self->application));
  gboolean empty = g_list_model_get_n_items (history) == 0;

  /* Hidden, not merely covered: what is not on screen is not read out either. */
  gtk_widget_set_visible (self->recent_scroller, !empty);
  gtk_widget_set_visible (self->recent_empty, empty);
}

/* Rows are built again when the address books change: names follow the contacts. */
void
_trv_window_bind_recent_calls (TrvWindow *self)
{
  GListModel *history = G_LIST_MODEL (_trv_application_get_recent_calls (self->application));

  gtk_list_box_bind_model (self->recent_list, history, create_recent_row, self, NULL);
  g_signal_handlers_disconnect_by_func (history, show_recent_or_empty, self);
  g_signal_connect_object (history, "items-changed", G_CALLBACK (show_recent_or_empty), self,
                           G_CONNECT_SWAPPED);
  show_recent_or_empty (self);
}
