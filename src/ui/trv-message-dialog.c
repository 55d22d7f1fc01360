/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-message-dialog.c: what every AdwMessageDialog of the app needs. */
#include "config.h"

#include "trv-message-dialog.h"

void
trv_message_dialog_name_responses (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_BUTTON (c) && gtk_button_get_use_underline (GTK_BUTTON (c))
          && gtk_button_get_label (GTK_BUTTON (c)))
        {
          GtkWidget *label = gtk_label_new_with_mnemonic (gtk_button_get_label (GTK_BUTTON (c)));
          gtk_button_set_child (GTK_BUTTON (c), label);
          gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          gtk_label_get_text (GTK_LABEL (label)), -1);
        }
      else
        trv_message_dialog_name_responses (c);
    }
}
