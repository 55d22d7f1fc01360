/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-contact-keys.c: what of a caller's address can be found in an address book. */
#include "config.h"

#include "trv-contact-keys.h"

#include <string.h>

/* Digits of a phone number ("+" kept in front); NULL when it is not one. */
static char *
phone_digits (const char *s)
{
  GString *out = g_string_new (NULL);
  guint digits = 0;
  for (const char *p = s; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (out, *p);
          digits++;
        }
      else if (*p == '+' && out->len == 0)
        g_string_append_c (out, '+');
      else if (!strchr (" -./()", *p))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
    }
  if (digits < 3)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* "user@host" with the host in lower case, from any of the accepted forms; NULL if none. */
static char *
sip_user_host (const char *address, char **user_out)
{
  g_autofree gchar *s = g_strstrip (g_strdup (address));
  char *start = s;
  char *lt = strchr (s, '<');
  if (lt)
    {
      start = lt + 1;
      char *gt = strchr (start, '>');
      if (gt)
        *gt = '\0';
    }
  if (g_ascii_strncasecmp (start, "sips:", 5) == 0)
    start += 5;
  else if (g_ascii_strncasecmp (start, "sip:", 4) == 0)
    start += 4;
  else if (g_ascii_strncasecmp (start, "tel:", 4) == 0)
    start += 4;
  start[strcspn (start, ";?>")] = '\0';
  char *at = strchr (start, '@');
  if (user_out)
    *user_out = at ? g_strndup (start, at - start) : g_strdup (start);
  if (at == NULL || at == start || at[1] == '\0' || !g_utf8_validate (start, -1, NULL))
    return NULL;
  g_autofree gchar *host = g_ascii_strdown (at + 1, -1);
  *at = '\0';
  return g_strdup_printf ("%s@%s", start, host);
}

gboolean
trv_contact_keys_parse (const char *address, TrvContactKeys *keys)
{
  g_return_val_if_fail (keys != NULL, FALSE);
  memset (keys, 0, sizeof *keys);
  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return FALSE;
  g_autofree gchar *user = NULL;
  keys->sip = sip_user_host (address, &user);
  if (user && *user)
    {
      g_autofree gchar *unescaped = g_uri_unescape_string (user, NULL);
      if (unescaped)
        keys->phone = phone_digits (unescaped) ? g_strdup (unescaped) : NULL;
    }
  return keys->sip != NULL || keys->phone != NULL;
}

void
trv_contact_keys_clear (TrvContactKeys *keys)
{
  g_clear_pointer (&keys->sip, g_free);
  g_clear_pointer (&keys->phone, g_free);
}

gboolean
trv_contact_keys_sip_equal (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  g_autofree gchar *x = sip_user_host (a, NULL);
  g_autofree gchar *y = sip_user_host (b, NULL);
  return x && y && strcmp (x, y) == 0;
}

/* A number's digits without its international or trunk prefix ("+4930.." -> "30..",
 * "0030.." -> "30..", "030.." -> "30.."): good enough to tell two forms of one number
 * apart from other numbers, when the country code is not known. */
static const char *
national_part (const char *digits)
{
  if (digits[0] == '+')
    return digits + 1;
  while (*digits == '0')
    digits++;
  return digits;
}

gboolean
trv_contact_keys_phone_equal (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  g_autofree gchar *x = phone_digits (a);
  g_autofree gchar *y = phone_digits (b);
  if (x == NULL || y == NULL)
    return FALSE;
  if (strcmp (x, y) == 0)
    return TRUE;
  const char *nx = national_part (x), *ny = national_part (y);
  size_t lx = strlen (nx), ly = strlen (ny);
  const char *longer = lx >= ly ? nx : ny, *shorter = lx >= ly ? ny : nx;
  size_t ls = MIN (lx, ly);
  /* The shorter one lacks the country code the longer one has, nothing else. */
  return ls >= 6 && strcmp (longer + strlen (longer) - ls, shorter) == 0 &&
         strlen (longer) - ls <= 3;
}
