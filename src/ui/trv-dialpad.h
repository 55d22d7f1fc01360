/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-dialpad.h: a phone keypad (0-9 * #) for dialling and for DTMF during a call. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TRV_TYPE_DIALPAD (trv_dialpad_get_type ())
G_DECLARE_FINAL_TYPE (TrvDialpad, trv_dialpad, TRV, DIALPAD, GtkWidget)

GtkWidget *trv_dialpad_new (void);

/* Signal "digit-activated" (const char *digit): a key was pressed. */

G_END_DECLS
