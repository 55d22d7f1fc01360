/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-main-context.c: see the header. */
#include "config.h"

#include "trv-main-context.h"

void
trv_main_context_defer (GMainContext *context, GSourceFunc fn, gpointer data,
                        GDestroyNotify notify)
{
  GSource *idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, fn, data, notify);
  g_source_set_static_name (idle, "[traverse] deferred to main context");
  g_source_attach (idle, context);
  g_source_unref (idle);
}
