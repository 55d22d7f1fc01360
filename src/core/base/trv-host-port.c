/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-host-port.c: the host[:port] / [v6]:port parser, with messages that name the key. */
#include "config.h"

#include "trv-host-port.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

#include "trv-error.h"

static gboolean
is_dotted_numbers (const char *s)
{
  /* A name made only of digits and dots is meant as an IPv4 address: "256.1.1.1"
   * and "10.1" must not pass as host names. */
  for (; *s; s++)
    if (!g_ascii_isdigit (*s) && *s != '.')
      return FALSE;
  return TRUE;
}

/* Host name syntax (RFC 1123 labels; '_' tolerated for internal names). Returns a
 * reason on failure, NULL when fine. */
static const char *
host_name_problem (const char *name)
{
  g_autofree gchar *ascii = g_hostname_to_ascii (name);
  if (ascii == NULL)
    /* Translators: completes "KEY: 'NAME' ..." (the host name is the subject). */
    return _("is not a valid host name");
  gsize len = strlen (ascii);
  if (len > 0 && ascii[len - 1] == '.')
    ascii[--len] = '\0';
  if (len == 0)
    return _("is not a valid host name");
  if (len > 253)
    return _("is longer than 253 characters");
  g_auto(GStrv) labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i]; i++)
    {
      gsize l = strlen (labels[i]);
      if (l == 0)
        return _("has an empty label (two dots in a row or a leading dot)");
      if (l > 63)
        return _("has a label longer than 63 characters");
      if (labels[i][0] == '-' || labels[i][l - 1] == '-')
        return _("has a label that starts or ends with '-'");
      for (const char *c = labels[i]; *c; c++)
        if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
          return _("contains a character not allowed in a host name");
    }
  return NULL;
}

gboolean
trv_check_host (const char *host, const char *key, GError **error)
{
  if (!g_utf8_validate (host, -1, NULL))
    {
      trv_invalid_config (error, key, _("%s: the value is not valid UTF-8 text"), key);
      return FALSE;
    }
  if (host[0] == '\0')
    {
      trv_invalid_config (error, key, _("%s: empty host name"), key);
      return FALSE;
    }
  if (g_hostname_is_ip_address (host))
    return TRUE;
  if (strchr (host, ':'))
    {
      trv_invalid_config (error, key,
                          _("%s: '%s' is not a valid IPv6 address"), key, host);
      return FALSE;
    }
  if (is_dotted_numbers (host))
    {
      trv_invalid_config (error, key,
                          _("%s: '%s' is not a valid IPv4 address"), key, host);
      return FALSE;
    }
  const char *problem = host_name_problem (host);
  if (problem)
    {
      trv_invalid_config (error, key, "%s: '%s' %s", key, host, problem);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_port (const char *text, const char *value, const char *key, guint16 *port, GError **error)
{
  guint64 n = 0;
  if (text[0] == '\0')
    {
      trv_invalid_config (error, key,
                          _("%s: '%s' has no port after ':'"), key, value);
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &n, NULL))
    {
      trv_invalid_config (error, key,
                          _("%s: port '%s' is not a number"), key, text);
      return FALSE;
    }
  if (n < 1 || n > 65535)
    {
      trv_invalid_config (error, key,
                          _("%s: port %s is out of range (1..65535)"), key, text);
      return FALSE;
    }
  *port = (guint16) n;
  return TRUE;
}

gboolean
trv_parse_host_port (const char *value,
                     guint16 default_port,
                     const char *key,
                     gchar **host,
                     guint16 *port,
                     GError **error)
{
  g_return_val_if_fail (host != NULL && port != NULL, FALSE);
  if (key == NULL)
    key = "address";
  *host = NULL;
  if (value == NULL || value[0] == '\0')
    {
      trv_invalid_config (error, key, _("%s: empty host name"), key);
      return FALSE;
    }
  for (const char *c = value; *c; c++)
    if (g_ascii_isspace (*c) || g_ascii_iscntrl (*c))
      {
        trv_invalid_config (error, key,
                            _("%s: '%s' contains white space or control characters"), key, value);
        return FALSE;
      }
  /* g_hostname_to_ascii() (GLib 2.74) reads past the end of invalid UTF-8. */
  if (!g_utf8_validate (value, -1, NULL))
    {
      trv_invalid_config (error, key, _("%s: the value is not valid UTF-8 text"), key);
      return FALSE;
    }

  g_autofree gchar *h = NULL;
  guint16 p = default_port;
  if (value[0] == '[')
    {
      /* "[v6]" or "[v6]:port" */
      const char *close = strchr (value, ']');
      if (close == NULL)
        {
          trv_invalid_config (error, key,
                              _("%s: '%s' has '[' without a closing ']'"), key, value);
          return FALSE;
        }
      h = g_strndup (value + 1, close - value - 1);
      if (h[0] == '\0')
        {
          trv_invalid_config (error, key, _("%s: empty host name"), key);
          return FALSE;
        }
      if (!strchr (h, ':') || !g_hostname_is_ip_address (h))
        {
          trv_invalid_config (error, key,
                              _("%s: '%s' inside [] is not an IPv6 address"), key, h);
          return FALSE;
        }
      if (close[1] == ':')
        {
          if (!parse_port (close + 2, value, key, &p, error))
            return FALSE;
        }
      else if (close[1] != '\0')
        {
          trv_invalid_config (error, key,
                              _("%s: unexpected '%s' after ']' (use [address]:port)"), key,
                              close + 1);
          return FALSE;
        }
    }
  else
    {
      const char *colon = strchr (value, ':');
      if (colon && strchr (colon + 1, ':'))
        {
          /* Several colons without brackets: a bare IPv6 literal, no port. */
          if (!g_hostname_is_ip_address (value))
            {
              trv_invalid_config (error, key,
                                  _("%s: '%s' is not a valid IPv6 address (write [address]:port "
                                    "to give a port)"), key, value);
              return FALSE;
            }
          h = g_strdup (value);
        }
      else if (colon)
        {
          h = g_strndup (value, colon - value);
          if (!trv_check_host (h, key, error) || !parse_port (colon + 1, value, key, &p, error))
            return FALSE;
        }
      else
        {
          h = g_strdup (value);
          if (!trv_check_host (h, key, error))
            return FALSE;
        }
    }
  *host = g_steal_pointer (&h);
  *port = p;
  return TRUE;
}

gchar *
trv_host_port_dup_host (const char *value)
{
  gchar *host = NULL;
  guint16 port;
  if (value == NULL || !trv_parse_host_port (value, 1, NULL, &host, &port, NULL))
    return NULL;
  return host;
}
