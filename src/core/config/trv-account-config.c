/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-account-config.c: one SIP account's validated, immutable settings. */
#include "config.h"

#include "trv-account-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-error.h"
#include "trv-nat-config.h"
#include "trv-host-port.h"
#include "trv-enum.h"
#include "trv-config-enums.h"

G_DEFINE_BOXED_TYPE (TrvAccountConfig, trv_account_config,
                     trv_account_config_copy, trv_account_config_free)

TrvAccountConfig *
trv_account_config_new (void)
{
  TrvAccountConfig *self = g_new0 (TrvAccountConfig, 1);
  self->transport = TRV_SIP_TRANSPORT_UDP;
  self->do_register = TRUE;
  self->local_port = 0;
  self->srtp = TRV_SRTP_OPTIONAL;
  self->srtp_over_insecure = FALSE;
  self->allow_direct_calls = FALSE;
  return self;
}

TrvAccountConfig *
trv_account_config_copy (const TrvAccountConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  TrvAccountConfig *copy = g_new0 (TrvAccountConfig, 1);
  copy->address = g_strdup (self->address);
  copy->user = g_strdup (self->user);
  copy->domain = g_strdup (self->domain);
  copy->display_name = g_strdup (self->display_name);
  copy->voicemail = g_strdup (self->voicemail);
  copy->password = g_strdup (self->password);
  copy->registrar = g_strdup (self->registrar);
  copy->proxy = g_strdup (self->proxy);
  copy->transport = self->transport;
  copy->do_register = self->do_register;
  copy->ca_file = g_strdup (self->ca_file);
  copy->local_port = self->local_port;
  copy->srtp = self->srtp;
  copy->srtp_over_insecure = self->srtp_over_insecure;
  copy->allow_direct_calls = self->allow_direct_calls;
  return copy;
}

void
trv_account_config_free (TrvAccountConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->address);
  g_free (self->user);
  g_free (self->domain);
  g_free (self->display_name);
  g_free (self->voicemail);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->registrar);
  g_free (self->proxy);
  g_free (self->ca_file);
  g_free (self);
}

/* --- validation ------------------------------------------------------------------ */

/* RFC 3261 user part: unreserved, escaped and user-unreserved characters. */
static gboolean
is_user_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("-_.!~*'()%&=+$,;?/", c) != NULL;
}

/* Splits "[sip[s]:]user@host[:port]" into its parts; fills user, domain and the
 * normalised address ("sip:" added when the scheme is missing). */
static gboolean
parse_address (TrvAccountConfig *self, gboolean *is_sips, GError **error)
{
  const char *key = "account.address";
  const char *value = self->address;
  if (value == NULL || value[0] == '\0')
    return trv_invalid_config (error, key,
                               _("%s: missing; give the SIP address, e.g. "
                                 "sip:alice@example.org"), key);

  const char *rest;
  *is_sips = FALSE;
  if (g_ascii_strncasecmp (value, "sip:", 4) == 0)
    rest = value + 4;
  else if (g_ascii_strncasecmp (value, "sips:", 5) == 0)
    {
      rest = value + 5;
      *is_sips = TRUE;
    }
  else
    {
      const char *colon = strchr (value, ':');
      const char *at = strchr (value, '@');
      /* "alice@example.org" is accepted as sip:; "tel:..." or "http://" is not. */
      if (colon && (at == NULL || colon < at))
        return trv_invalid_config (error, key,
                                   _("%s: '%s' must be a sip: or sips: URI, e.g. "
                                     "sip:alice@example.org"), key, value);
      rest = value;
    }

  const char *at = strchr (rest, '@');
  if (at == NULL)
    return trv_invalid_config (error, key,
                               _("%s: '%s' has no user part; write user@host, e.g. "
                                 "sip:alice@example.org"), key, value);
  if (at == rest)
    return trv_invalid_config (error, key, _("%s: '%s' has an empty user part"), key, value);
  if (strchr (at + 1, '@'))
    return trv_invalid_config (error, key, _("%s: '%s' contains more than one '@'"), key, value);

  g_autofree gchar *user = g_strndup (rest, at - rest);
  if (strchr (user, ':'))
    return trv_invalid_config (error, key,
                               _("%s: do not put the password in the address; use "
                                 "account.password or account.password-file"), key);
  for (const char *c = user; *c; c++)
    if (!is_user_char (*c))
      return trv_invalid_config (error, key,
                                 _("%s: the user part '%s' contains '%c', which a SIP URI does "
                                   "not allow there"), key, user, *c);

  const char *hostport = at + 1;
  if (hostport[0] == '\0')
    return trv_invalid_config (error, key, _("%s: '%s' has no host after '@'"), key, value);
  if (strpbrk (hostport, ";?>"))
    return trv_invalid_config (error, key,
                               _("%s: '%s': URI parameters and headers are not supported here "
                                 "(the transport is account.transport)"), key, value);
  g_autofree gchar *host = NULL;
  guint16 port;
  if (!trv_parse_host_port (hostport, 5060, key, &host, &port, error))
    return FALSE;

  /* The domain keeps an explicit port (and IPv6 brackets): calls to "bob" and the
   * default registrar then reach the same host and port as the address. */
  g_autofree gchar *address = g_strdup_printf ("%s:%s@%s", *is_sips ? "sips" : "sip",
                                               user, hostport);
  g_free (self->domain);
  self->domain = g_strdup (hostport);   /* before the address it points into is freed */
  g_free (self->address);
  self->address = g_steal_pointer (&address);
  g_free (self->user);
  self->user = g_steal_pointer (&user);
  return TRUE;
}

/* registrar/proxy: host[:port], optionally written as a sip:/sips: URI. */
static gboolean
check_server (const char *value, const char *key, GError **error)
{
  if (value == NULL)
    return TRUE;
  const char *hp = value;
  if (g_ascii_strncasecmp (hp, "sips:", 5) == 0)
    hp += 5;
  else if (g_ascii_strncasecmp (hp, "sip:", 4) == 0)
    hp += 4;
  if (strpbrk (hp, ";?@"))
    return trv_invalid_config (error, key,
                               _("%s: '%s' must be host[:port] (no user part or URI parameters; "
                                 "the transport is account.transport)"), key, value);
  g_autofree gchar *host = NULL;
  guint16 port;
  return trv_parse_host_port (hp, 5060, key, &host, &port, error);
}

static gboolean
check_ca_file (const char *path, GError **error)
{
  const char *key = "account.ca-file";
  if (path[0] == '\0')
    return trv_invalid_config (error, key,
                               _("%s: empty value (leave the key out to use only the "
                                 "system CAs)"), key);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return trv_invalid_config (error, key, _("%s: '%s' does not exist"), key, path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return trv_invalid_config (error, key, _("%s: '%s' is not a regular file"), key, path);
  g_autofree gchar *pem = NULL;
  g_autoptr(GError) local = NULL;
  if (!g_file_get_contents (path, &pem, NULL, &local))
    return trv_invalid_config (error, key, _("%s: cannot read '%s' (%s)"), key, path,
                               g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_ACCES)
                               ? _("permission denied") : local->message);
  if (strstr (pem, "-----BEGIN CERTIFICATE-----") == NULL)
    return trv_invalid_config (error, key,
                               _("%s: '%s' holds no PEM certificate (-----BEGIN CERTIFICATE-----)"),
                               key, path);
  return TRUE;
}

static gboolean
has_control_char (const char *s)
{
  for (; *s; s++)
    if (g_ascii_iscntrl (*s))
      return TRUE;
  return FALSE;
}

gboolean
trv_account_config_validate (TrvAccountConfig *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  gboolean is_sips = FALSE;
  if (!parse_address (self, &is_sips, error))
    return FALSE;

  if (trv_enum_to_nick (TRV_TYPE_SIP_TRANSPORT, self->transport) == NULL)
    return trv_invalid_config (error, "account.transport",
                               _("account.transport: unknown transport %d (use udp, tcp or tls)"),
                               self->transport);
  if (is_sips && self->transport != TRV_SIP_TRANSPORT_TLS)
    return trv_invalid_config (error, "account.transport",
                               _("account.transport: a sips: address needs transport=tls (it is %s)"),
                               trv_enum_to_nick (TRV_TYPE_SIP_TRANSPORT, self->transport));

  if (self->display_name &&
      (self->display_name[0] == '\0' || has_control_char (self->display_name) ||
       strpbrk (self->display_name, "\"\\")))
    return trv_invalid_config (error, "account.display-name",
                               _("account.display-name: must be non-empty text without quotes, "
                                 "backslashes or line breaks"));

  /* Dialled as written, like the dial field: a number or a URI, but one token. */
  if (self->voicemail &&
      (self->voicemail[0] == '\0' || has_control_char (self->voicemail) ||
       strpbrk (self->voicemail, " \"<>") || strlen (self->voicemail) > 256))
    return trv_invalid_config (error, "account.voicemail",
                               _("account.voicemail: give a number (e.g. *97) or a SIP address "
                                 "without spaces, quotes or angle brackets"));

  if (self->password)
    {
      if (self->password[0] == '\0')
        return trv_invalid_config (error, "account.password",
                                   _("account.password: empty (leave the key out for no "
                                     "authentication)"));
      if (has_control_char (self->password))
        return trv_invalid_config (error, "account.password",
                                   _("account.password: contains a control character (line break "
                                     "or tab)"));
    }

  if (!check_server (self->registrar, "account.registrar", error) ||
      !check_server (self->proxy, "account.proxy", error))
    return FALSE;

  /* Mandatory SRTP whose keys may not travel over this signalling could never place or
   * take a call: say so when the account is loaded, not at the first call. */
  if (self->srtp == TRV_SRTP_MANDATORY && self->transport != TRV_SIP_TRANSPORT_TLS &&
      !self->srtp_over_insecure)
    return trv_invalid_config (
      error, "account.srtp",
      _("account.srtp: encrypted media (SRTP) is mandatory, but its keys would "
        "travel over unencrypted signalling; use account.transport = tls, or set "
        "account.srtp-over-insecure = true to accept that risk"));

  /* Checked even for udp/tcp: a missing file is a mistake whatever the transport. */
  if (self->ca_file && !check_ca_file (self->ca_file, error))
    return FALSE;
  return TRUE;
}
