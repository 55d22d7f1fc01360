/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-deferred.c: start-up work that waits until the window has drawn. Reading
 * the address books starts evolution-data-server's services, and GStreamer loads its
 * registry and the first call's plugins; on a two-core machine either would compete with
 * the window for the CPU, and neither is needed for it; nor is remembering the port for
 * direct calls, whose first write starts dconf's service. */
#include "config.h"

#include "trv-application-private.h"
#include "trv-media-preload.h"

/* Without a window to draw (`--gapplication-service`, started at login) or one that never
 * draws (minimized), the work starts after this anyway. */
#define DEFERRED_FALLBACK_MS 2000
/* How long after the window's first frame. */
#define DEFERRED_AFTER_FRAME_MS 250

static void
start_now (TrvApplication *self)
{
  TrvDeferredWork *work = _trv_application_get_deferred (self);
  if (work->done)
    return;
  work->done = TRUE;
  g_clear_handle_id (&work->fallback, g_source_remove);
  g_debug ("start-up: loading GStreamer and the address books");
  trv_media_preload_release ();
  trv_contacts_load (_trv_application_get_contacts (self));
  _trv_application_note_listening (self);
}

/* The fallback timeout and the idle after the first frame (start_now() removes the
 * fallback, also from inside it). */
static gboolean
on_start_now (gpointer data)
{
  start_now (data);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock, TrvApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, self);
  /* Not inside the paint, and not at once: the threads it starts (GStreamer's registry,
   * the address-book reader) would take both cores of a small machine from the display
   * server and the accessibility registry while they take in the new window. */
  g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, DEFERRED_AFTER_FRAME_MS, on_start_now,
                      g_object_ref (self), g_object_unref);
}

void
_trv_application_defer_work (TrvApplication *self)
{
  TrvDeferredWork *work = _trv_application_get_deferred (self);
  work->fallback = g_timeout_add_full (G_PRIORITY_DEFAULT, DEFERRED_FALLBACK_MS, on_start_now,
                                       g_object_ref (self), g_object_unref);
}

void
_trv_application_defer_work_until_drawn (TrvApplication *self, GtkWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (_trv_application_get_deferred (self)->done || clock == NULL)
    return;
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, self);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_after_paint), self, 0);
}

void
_trv_application_end_deferred_work (TrvApplication *self)
{
  TrvDeferredWork *work = _trv_application_get_deferred (self);
  gboolean was_done = work->done;
  work->done = TRUE;
  g_clear_handle_id (&work->fallback, g_source_remove);
  /* A preload thread waiting for the release is joined when its agent goes. */
  trv_media_preload_release ();
  if (!was_done)
    _trv_application_note_listening (self);   /* the port, for the next start */
}
