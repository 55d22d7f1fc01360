/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-public.c: below "Your address for direct calls", the address people outside
 * this network reach, when it is known: a configured public address, or the public
 * address the last network test (nat.mode = auto, or Test in Preferences) saw; and, behind a symmetric NAT, that
 * there is none. The core decides from those data (trv_user_agent_get_public_reach). */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-window-private.h"

static void
on_copy_public_clicked (GtkButton *button, TrvWindow *self)
{
  const char *uri = g_object_get_data (G_OBJECT (self->public_row), "trv-uri");
  if (uri == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), uri);
  _trv_window_announce (self, _("Address copied"));
}

/* Built on first use, in the direct address's list, right after it. */
static AdwActionRow *
public_row (TrvWindow *self)
{
  if (self->public_row)
    return self->public_row;
  GtkWidget *row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("From the internet"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             g_object_new (GTK_TYPE_IMAGE, "icon-name", "web-browser-symbolic",
                                           "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                           NULL));
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_tooltip_text (copy, _("Copy the address for calls from the internet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy internet address"), -1);
  g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_public_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
  g_object_set_data (G_OBJECT (row), "trv-copy", copy);

  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self->direct_row));
  gtk_list_box_insert (GTK_LIST_BOX (list), row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->direct_row)) + 1);
  self->public_row = ADW_ACTION_ROW (row);
  return self->public_row;
}

void
_trv_window_update_public_address (TrvWindow *self)
{
  TrvUserAgent *agent = _trv_application_get_agent (self->application);
  /* Automatic mode's last probe, or the last Test in Preferences, whatever the mode. */
  TrvNatChooser *chooser = _trv_application_peek_nat_chooser (self->application);
  const TrvNatReport *report = chooser ? trv_nat_chooser_get_report (chooser) : NULL;
  g_autofree gchar *uri = NULL;
  g_autofree gchar *text = NULL;
  TrvPublicReach reach = agent ? trv_user_agent_get_public_reach (agent, report, &uri)
                               : TRV_PUBLIC_REACH_UNKNOWN;

  switch (reach)
    {
    case TRV_PUBLIC_REACH_CONFIGURED:
      text = g_strdup (uri);
      break;
    case TRV_PUBLIC_REACH_MAPPED:
      /* Translators: %s is a SIP address, %u its port. */
      text = g_strdup_printf (_("%s\nCalls from the internet arrive only if your router "
                                "forwards port %u to this computer."), uri,
                              trv_user_agent_get_local_port (agent));
      break;
    case TRV_PUBLIC_REACH_SYMMETRIC:
      text = g_strdup (_("Your router gives calls no fixed address on the internet, so "
                         "people outside your network cannot call you directly. Calls "
                         "through your account still work."));
      break;
    case TRV_PUBLIC_REACH_SAME:
      text = g_strdup (_("The address above works from the internet too."));
      break;
    case TRV_PUBLIC_REACH_UNKNOWN:
    default:
      break;
    }
  if (text == NULL && self->public_row == NULL)
    return;
  AdwActionRow *row = public_row (self);
  gtk_widget_set_visible (GTK_WIDGET (row), text != NULL);
  adw_action_row_set_subtitle (row, text ? text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text ? text : "", -1);
  g_object_set_data_full (G_OBJECT (row), "trv-uri", g_steal_pointer (&uri), g_free);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "trv-copy"),
                          g_object_get_data (G_OBJECT (row), "trv-uri") != NULL);
}

void
_trv_window_watch_public_address (TrvWindow *self)
{
  TrvNatChooser *chooser = _trv_application_peek_nat_chooser (self->application);
  if (chooser)
    g_signal_connect_object (chooser, "report-changed",
                             G_CALLBACK (_trv_window_update_public_address), self,
                             G_CONNECT_SWAPPED);
}
