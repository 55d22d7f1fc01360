/* main.c: starts the Traverse desktop app. */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <locale.h>
#include <sofia-sip/su_uniqueid.h>

#include "trv-application.h"

int
main (int argc, char *argv[])
{
  /* sofia-sip 1.12.11 deletes its thread key in a library destructor even when it never
   * created one, and then deletes key 0, which is GLib's: a run that never touched
   * sofia (`traverse --version`, a second instance handing over a link) aborts at exit.
   * One random number creates sofia's key, so the destructor deletes its own. */
  (void) su_random ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (g_getenv ("SU_DEBUG") == NULL)
    g_setenv ("SU_DEBUG", "0", TRUE);
  gst_init (NULL, NULL);

  g_autoptr(TrvApplication) app = trv_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
