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
  /* sofia-sip logs to stderr per module; a desktop app reports in its window instead. */
  const char *sofia_logs[] = { "SU_DEBUG", "NUA_DEBUG", "NTA_DEBUG", "TPORT_DEBUG" };
  for (gsize i = 0; i < G_N_ELEMENTS (sofia_logs); i++)
    if (g_getenv (sofia_logs[i]) == NULL)
      g_setenv (sofia_logs[i], "0", TRUE);
  gst_init (NULL, NULL);

  g_autoptr(TrvApplication) app = trv_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
