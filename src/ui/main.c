/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: starts the Traverse desktop app. */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <gtk/gtk.h>
#include <locale.h>

/* A long call's debug story, a few hundred kB at most. */
#define TRV_LOG_RECORD_LINES 2000

#include "trv-application.h"
#include "trv-log.h"
#include "trv-media-preload.h"
#include "trv-nice-library.h"
#include "trv-process.h"

static gpointer
gst_init_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;

  trv_media_preload_wait ();
  gst_init (NULL, NULL);
  g_debug ("GStreamer initialized");
  /* libnice too, so that the first call or network test does not wait for it. */
  if (!trv_nice_library_load (&error))
    g_warning ("%s", error->message);
  return NULL;
}

static gboolean
has_gpu (void)
{
  g_autoptr(GDir) dri = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;
  while (dri && (name = g_dir_read_name (dri)))
    if (g_str_has_prefix (name, "renderD") || g_str_has_prefix (name, "card"))
      return TRUE;
  return g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS);
}

/* The variable that switches GL off, by GTK version (GDK_DEBUG's key moved in 4.14 and
 * again in 4.16, where the Flatpak's runtime is). */
static const char *
gl_switch (const char **value)
{
  if (gtk_get_minor_version () >= 16)
    {
      *value = "gl,vulkan";
      return "GDK_DISABLE";
    }
  *value = gtk_get_minor_version () >= 14 ? "gl-disable,vulkan-disable" : "gl-disable";
  return "GDK_DEBUG";
}

/* Without a GPU, GL is Mesa's llvmpipe: loading it costs ~50 MiB of resident memory and a
 * tenth of a second at every start, and it draws this UI no faster than cairo. GTK 4.8
 * opens GL on X11 at start even for the cairo renderer (to choose its visual), so GL is
 * switched off, not only left unused; with GSK_RENDERER=cairo it is never used either.
 * A user's own GDK_DEBUG/GDK_DISABLE, or another GSK_RENDERER, wins. Returns the variables
 * set, to be unset once GTK has read them, or NULL. */
static GStrv
choose_renderer (void)
{
  const char *value;
  const char *name = gl_switch (&value);
  const char *renderer = g_getenv ("GSK_RENDERER");

  if (g_getenv ("GDK_DEBUG") || g_getenv ("GDK_DISABLE"))
    return NULL;
  if (renderer && g_strcmp0 (renderer, "cairo") != 0)
    return NULL;
  if (renderer == NULL && has_gpu ())
    return NULL;
  g_debug ("%s: drawing with cairo, GL off (%s=%s)",
           renderer ? "GSK_RENDERER=cairo" : "no GPU device", name, value);
  g_setenv (name, value, TRUE);
  if (renderer)
    return g_strdupv ((char *[]) { (char *) name, NULL });
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return g_strdupv ((char *[]) { (char *) name, "GSK_RENDERER", NULL });
}

/* GDK read GDK_DEBUG/GDK_DISABLE when the display opened, and GSK_RENDERER when the main
 * window chose its renderer at realize: then the programs we start (a browser for a link,
 * the Contacts app) choose for themselves. Other windows of ours fall back to cairo, GL
 * being off for the display. */
static void
forget_renderer_choice (GtkWidget *window, gpointer data)
{
  GStrv names = data;
  g_signal_handlers_disconnect_by_func (window, forget_renderer_choice, data);
  for (guint i = 0; names[i]; i++)
    g_unsetenv (names[i]);
}

static void
on_first_window (GtkApplication *app, GtkWindow *window, gpointer data)
{
  g_signal_handlers_disconnect_by_func (app, on_first_window, data);
  g_signal_connect_after (window, "realize", G_CALLBACK (forget_renderer_choice), data);
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
  g_auto(GStrv) renderer_vars = choose_renderer ();

  /* A first run (or a GStreamer update) rebuilds the plugin registry, about a second, and
   * loading it competes with the window for the CPU: GStreamer is initialized on a thread
   * once the window has drawn (the application releases the hold). Whatever uses it calls
   * gst_init() first, which returns at once, waits for this thread or does the work.
   * The thread then opens libnice (src/core/nat/trv-nice-library.h). */
  trv_media_preload_hold ();
  g_thread_unref (g_thread_new ("trv-gst-init", gst_init_thread, NULL));

  g_autoptr(TrvApplication) app = trv_application_new ();
  if (renderer_vars)
    g_signal_connect (app, "window-added", G_CALLBACK (on_first_window), renderer_vars);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
