/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-transfer-dialog.h: asks where to transfer the current call, and how. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A dialog over @parent's window asking for the target of a transfer of the call with
 * @party; Transfer or Consult First activate app.transfer-call (target, consult). */
void trv_transfer_dialog_present (GtkWidget *parent, const char *party);

G_END_DECLS
