/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-main-context.h: handing work from GStreamer/worker threads to a main context. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `fn (data)` once from `context`'s loop, never in the calling thread.
 * g_main_context_invoke() runs the function in place when no thread owns the context at
 * that moment (a test iterating it between steps, a front end whose loop has returned),
 * i.e. on a streaming thread, where main-context code must not run. */
void trv_main_context_defer (GMainContext *context, GSourceFunc fn, gpointer data,
                             GDestroyNotify notify);

G_END_DECLS
