/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-call-view.h: one call on screen: who, how long, controls, and how it is connected. */
#pragma once

#include <gtk/gtk.h>

#include "trv-call.h"

G_BEGIN_DECLS

#define TRV_TYPE_CALL_VIEW (trv_call_view_get_type ())
G_DECLARE_FINAL_TYPE (TrvCallView, trv_call_view, TRV, CALL_VIEW, GtkWidget)

GtkWidget *trv_call_view_new      (void);
/* title: what to show instead of the remote party (e.g. "Echo test"), or NULL.
 * turn_server: the configured TURN server, named when the call is relayed. */
void       trv_call_view_set_call (TrvCallView *self,
                                   TrvCall *call,
                                   const char *title,
                                   const char *turn_server);
TrvCall   *trv_call_view_get_call (TrvCallView *self);
/* Keyboard focus to Hang Up, the one control that works in every state. */
void       trv_call_view_focus_default (TrvCallView *self);

/* Signal "notice" (const char *text): something the user should hear about the call
 * now (no sound arriving), for the window to announce. */

/* Plain words for the state and, once ended, why ("The other side hung up."). */
gchar     *trv_call_describe_state (TrvCall *call);

G_END_DECLS
