/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-sip-uri.c: reading parts of SIP URIs with sofia-sip's URL parser. */
#include "config.h"

#include "trv-sip-uri.h"
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/url.h>

gchar *
trv_sip_uri_dup_user (const char *uri)
{
  if (uri == NULL)
    return NULL;
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = url_make (home, uri);
  gchar *user = url && url->url_user && url->url_user[0] ? g_strdup (url->url_user) : NULL;
  su_home_deinit (home);
  return user;
}
