/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-waiting-row.h: the call beside the current one, above the call view: a waiting
 * call with Answer, End & Answer and Decline, or a held call with how long it has been
 * held and Switch. */
#pragma once

#include <gtk/gtk.h>

#include "trv-call.h"

G_BEGIN_DECLS

#define TRV_TYPE_CALL_WAITING_ROW (trv_call_waiting_row_get_type ())
G_DECLARE_FINAL_TYPE (TrvCallWaitingRow, trv_call_waiting_row, TRV, CALL_WAITING_ROW, GtkBox)

GtkWidget *trv_call_waiting_row_new      (void);
/* @call: the other call (ringing or held), NULL hides the row. `name`: the caller's name,
 * NULL if unknown. */
void       trv_call_waiting_row_set_call (TrvCallWaitingRow *self, TrvCall *call,
                                          const char *name);
/* "M:SS" for a number of seconds (H:MM:SS from an hour). */
gchar     *trv_call_waiting_format_held  (gint64 seconds);

G_END_DECLS
