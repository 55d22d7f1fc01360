/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-message-dialog.h: what every AdwMessageDialog of the app needs. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 names a button with a mnemonic label "_Remove Remove" (the raw label and the
 * label widget's text). AdwMessageDialog 1.2 builds its response buttons that way: call
 * this after adding the responses, and each gets a mnemonic label child and its label's
 * text, without the underscore, as its name. */
void trv_message_dialog_name_responses (GtkWidget *dialog);

G_END_DECLS
