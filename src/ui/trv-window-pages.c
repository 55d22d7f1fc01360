/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-pages.c: the call and incoming-call pages, built on first use. Most starts
 * never show them, and built with the window they were a third of its widgets, each
 * styled and measured before the first frame. */
#include "config.h"

#include "trv-window-private.h"

static void
on_call_view_notice (TrvCallView *view, const char *text, TrvWindow *self)
{
  _trv_window_announce (self, text);
}

void
_trv_window_ensure_call_page (TrvWindow *self)
{
  if (self->call_view != NULL)
    return;
  g_debug ("main window: building the call page");
  /* Other calls in rows above the call view (trv-window-waiting.c). */
  self->waiting_row = TRV_CALL_WAITING_ROW (trv_call_waiting_row_new ());
  self->held_row = TRV_CALL_WAITING_ROW (trv_call_waiting_row_new ());
  self->call_view = TRV_CALL_VIEW (trv_call_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->call_view), TRUE);
  g_signal_connect (self->call_view, "notice", G_CALLBACK (on_call_view_notice), self);
  gtk_box_append (self->call_page, GTK_WIDGET (self->waiting_row));
  gtk_box_append (self->call_page, GTK_WIDGET (self->held_row));
  gtk_box_append (self->call_page, GTK_WIDGET (self->call_view));
}

void
_trv_window_ensure_incoming_page (TrvWindow *self)
{
  if (self->incoming_view != NULL)
    return;
  g_debug ("main window: building the incoming-call page");
  self->incoming_view = TRV_INCOMING_VIEW (trv_incoming_view_new ());
  adw_bin_set_child (self->incoming_page, GTK_WIDGET (self->incoming_view));
}
