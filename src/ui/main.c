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
  gst_init (NULL, NULL);

  g_autoptr(TrvApplication) app = trv_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
