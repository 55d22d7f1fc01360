/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-process.c: process-wide set-up shared by the front ends. */
#include "trv-process.h"

#include <sofia-sip/su_log.h>
#include <sofia-sip/su_uniqueid.h>

#include "trv-log.h"

#define SOFIA_LOG_DOMAIN "Traverse-Sofia"
/* SU_DEBUG_3: warnings and progress. 5 adds every signalling action and 9 function traces,
 * too much to keep on by default (SOFIA_DEBUG or NUA_DEBUG, TPORT_DEBUG... choose more). */
#define SOFIA_DEFAULT_LEVEL 3

/* sofia-sip 1.12.11 exports these module logs without declaring them in its headers. */
extern su_log_t iptsec_log[], nea_log[], nta_log[], nth_client_log[], nth_server_log[],
                nua_log[], soa_log[], sresolv_log[], stun_log[], tport_log[];

/* Any thread sofia logs from: one su_llog() call (a line, or a piece of one) becomes one
 * debug message, without the passwords. */
static void
sofia_logger (void *stream, char const *fmt, va_list ap)
{
  if (!trv_log_wants_debug (SOFIA_LOG_DOMAIN))
    return;
  gchar *text = trv_log_scrub (g_strdup_vprintf (fmt, ap));
  g_strchomp (text);
  if (*text != '\0')
    g_log (SOFIA_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "%s", text);
  g_free (text);
}

void
trv_process_init (void)
{
  trv_log_writer_install ();
  su_log_t *logs[] = { su_log_default, iptsec_log, nea_log, nta_log, nth_client_log,
                       nth_server_log, nua_log, soa_log, sresolv_log, stun_log, tport_log };
  for (gsize i = 0; i < G_N_ELEMENTS (logs); i++)
    su_log_redirect (logs[i], sofia_logger, NULL);
  /* A module whose own variable (NUA_DEBUG...) is unset follows the default log's level. */
  if (g_getenv ("SOFIA_DEBUG") == NULL)
    su_log_set_level (su_log_default, SOFIA_DEFAULT_LEVEL);

  /* sofia-sip 1.12.11 deletes its thread key in a library destructor even when it never
   * created one, and then deletes key 0, which is GLib's: a run that never started sofia
   * (`traverse --version`, `traverse-cli probe`, a second app instance handing over a link)
   * can abort at exit when a GLib thread (e.g. a resolver) ends after that. One random
   * number creates sofia's key, so the destructor deletes its own. */
  (void) su_random ();
}
