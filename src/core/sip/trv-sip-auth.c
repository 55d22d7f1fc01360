/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-sip-auth.c: digest authentication for the agent's REGISTER and the calls' INVITEs. */
#include "config.h"

#include "trv-sip-auth.h"
#include "trv-error.h"
#include <glib/gi18n-lib.h>

gboolean
trv_sip_auth_respond (const TrvAccountConfig *account, nua_handle_t *nh, const sip_t *sip,
                      guint *attempts, GError **error)
{
  const msg_auth_t *challenge = NULL;
  if (sip)
    challenge = sip->sip_www_authenticate ? (const msg_auth_t *) sip->sip_www_authenticate
                                          : (const msg_auth_t *) sip->sip_proxy_authenticate;
  const char *realm = challenge ? msg_params_find (challenge->au_params, "realm=") : NULL;
  if (realm == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_AUTH_FAILED,
                   _("the server asked for authentication without a realm"));
      return FALSE;
    }
  if (account == NULL || account->password == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_UNKNOWN_REALM,
                   /* Translators: the second %s is "the account has no password" or
                      "no account is configured". */
                   _("the server asks for credentials for realm %s, but %s"),
                   realm, account ? _("the account has no password")
                                  : _("no account is configured"));
      return FALSE;
    }
  if (*attempts >= 1)
    {
      /* A second challenge after we answered one: the password is wrong. */
      g_set_error (error, TRV_ERROR, TRV_ERROR_AUTH_FAILED,
                   _("authentication failed for realm %s (wrong password?)"), realm);
      return FALSE;
    }
  (*attempts)++;
  g_debug ("answering the digest challenge for realm %s", realm);
  /* realm keeps its quotes, as sofia expects: Digest:"realm":user:pass */
  g_autofree gchar *auth = g_strdup_printf ("%s:%s:%s:%s", challenge->au_scheme, realm,
                                            account->user, account->password);
  nua_authenticate (nh, NUTAG_AUTH (auth), TAG_END ());
  return TRUE;
}
