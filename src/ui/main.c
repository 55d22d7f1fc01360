/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: starts the Traverse desktop app. */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <locale.h>

/* A long call's debug story, a few hundred kB at most. */
#define TRV_LOG_RECORD_LINES 2000

#include "trv-application.h"
#include "trv-log.h"
#include "trv-process.h"

static gpointer
gst_init_thread (gpointer data)
{
  gst_init (NULL, NULL);
  g_debug ("GStreamer initialized");
  return NULL;
}

int
main (int argc, char *argv[])
{
  trv_process_init ();
  /* The About window's Troubleshooting section offers these lines for a bug report. */
  trv_log_record_start (TRV_LOG_RECORD_LINES);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* A first run (or a GStreamer update) rebuilds the plugin registry, about a second; the
   * window does not wait for it. Whatever uses GStreamer calls gst_init() first, which
   * returns at once or waits for this thread (gst_init_check holds a lock). */
  g_thread_unref (g_thread_new ("trv-gst-init", gst_init_thread, NULL));

  g_autoptr(TrvApplication) app = trv_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
