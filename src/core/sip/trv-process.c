/* trv-process.c: process-wide set-up shared by the front ends. */
#include "trv-process.h"

#include <sofia-sip/su_uniqueid.h>

void
trv_process_init (void)
{
  static const char *sofia_logs[] = { "SU_DEBUG", "TPORT_DEBUG", "NTA_DEBUG", "NUA_DEBUG",
                                      "NEA_DEBUG", "SRESOLV_DEBUG", "SOA_DEBUG", "STUN_DEBUG" };
  for (gsize i = 0; i < G_N_ELEMENTS (sofia_logs); i++)
    if (g_getenv (sofia_logs[i]) == NULL)
      g_setenv (sofia_logs[i], "0", TRUE);

  /* sofia-sip 1.12.11 deletes its thread key in a library destructor even when it never
   * created one, and then deletes key 0, which is GLib's: a run that never started sofia
   * (`traverse --version`, `traverse-cli probe`, a second app instance handing over a link)
   * can abort at exit when a GLib thread (e.g. a resolver) ends after that. One random
   * number creates sofia's key, so the destructor deletes its own. */
  (void) su_random ();
}
