/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-incoming-view.h: a ringing call in the window, with Answer and Decline. */
#pragma once

#include <gtk/gtk.h>

#include "trv-call.h"

G_BEGIN_DECLS

#define TRV_TYPE_INCOMING_VIEW (trv_incoming_view_get_type ())
G_DECLARE_FINAL_TYPE (TrvIncomingView, trv_incoming_view, TRV, INCOMING_VIEW, GtkWidget)

GtkWidget *trv_incoming_view_new      (void);
/* `name`: the caller's name (an address book's, else the call's), NULL if unknown. */
void       trv_incoming_view_set_call (TrvIncomingView *self, TrvCall *call,
                                       const char *name);
/* Moves keyboard focus to the Answer button. */
void       trv_incoming_view_focus_answer (TrvIncomingView *self);

G_END_DECLS
