/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-transfer-dialog.c: the Transfer dialog: a target (number or address) and the choice
 * between handing the call over at once and calling the target first. What either does is
 * the application's (app.transfer-call). */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "trv-message-dialog.h"
#include "trv-transfer-dialog.h"

static const char *
target_of (AdwMessageDialog *dialog)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  return gtk_editable_get_text (entry);
}

static void
on_target_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  g_autofree gchar *target = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  gboolean any = *target != '\0';
  adw_message_dialog_set_response_enabled (dialog, "transfer", any);
  adw_message_dialog_set_response_enabled (dialog, "consult", any);
}

static void
on_response (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  gboolean consult = g_strcmp0 (response, "consult") == 0;
  if (!consult && g_strcmp0 (response, "transfer") != 0)
    return;
  g_autofree gchar *target = g_strstrip (g_strdup (target_of (dialog)));
  if (*target == '\0')
    return;
  GApplication *app = g_application_get_default ();
  if (app != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (app), "transfer-call",
                                    g_variant_new ("(sb)", target, consult));
}

void
trv_transfer_dialog_present (GtkWidget *parent, const char *party)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Transfer Call"), NULL);
  AdwMessageDialog *md = ADW_MESSAGE_DIALOG (dialog);
  /* The heading as the window's title too: window lists and screen readers name it. */
  gtk_window_set_title (GTK_WINDOW (dialog), _("Transfer Call"));
  /* Translators: %s is the name or SIP address of the person on the call. */
  adw_message_dialog_format_body (md, _("Who should take over the call with %s? Consult "
                                        "First calls them while %s waits on hold."),
                                  party, party);
  GtkWidget *entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Number or address"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Transfer to"), -1);
  adw_message_dialog_set_extra_child (md, entry);
  adw_message_dialog_add_responses (md, "cancel", _("_Cancel"),
                                    "consult", _("C_onsult First"),
                                    "transfer", _("_Transfer"), NULL);
  adw_message_dialog_set_response_appearance (md, "transfer", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (md, "transfer");
  adw_message_dialog_set_close_response (md, "cancel");
  trv_message_dialog_name_responses (dialog);
  g_signal_connect (entry, "changed", G_CALLBACK (on_target_changed), md);
  on_target_changed (GTK_EDITABLE (entry), md);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}
