/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-message-summary.c: RFC 3842's message-summary body, read strictly:
 *   Messages-Waiting: yes|no
 *   [Message-Account: URI]
 *   *(CLASS: new/old [(urgent-new/urgent-old)])
 *   [CRLF *(extension-header)]
 * where CLASS is one of RFC 3458's message-context-classes. The body comes from the
 * network, so nothing is trusted: its length, characters and every number are checked. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "trv-message-summary.h"
#include "trv-error.h"

static const char *const context_classes[] = {
  "voice-message", "fax-message", "pager-message", "multimedia-message", "text-message",
  "none",
};

void
trv_message_summary_clear (TrvMessageSummary *summary)
{
  g_clear_pointer (&summary->account, g_free);
  summary->waiting = FALSE;
  summary->voice_new = summary->voice_old = -1;
  summary->voice_new_urgent = summary->voice_old_urgent = -1;
}

static void
skip_ws (const char **p)
{
  while (**p == ' ' || **p == '\t')
    (*p)++;
}

/* A header line "Name: value": the name (an RFC 3261 token) and the trimmed value. */
static gboolean
split_header (const char *line, gchar **name, const char **value)
{
  const char *p = line;
  while (*p && (g_ascii_isalnum (*p) || strchr ("-.!%*_+`'~", *p)))
    p++;
  if (p == line)
    return FALSE;
  const char *end = p;
  skip_ws (&p);
  if (*p != ':')
    return FALSE;
  p++;
  skip_ws (&p);
  *name = g_strndup (line, end - line);
  *value = p;
  return TRUE;
}

/* 1*6DIGIT at *p, advancing it. */
static gboolean
read_count (const char **p, gint *out)
{
  gint n = 0, digits = 0;
  while (g_ascii_isdigit (**p))
    {
      if (++digits > 6)
        return FALSE;
      n = n * 10 + (**p - '0');
      (*p)++;
    }
  *out = n;
  return digits > 0 && n <= TRV_MESSAGE_SUMMARY_MAX_COUNT;
}

/* "new/old" with an optional " (urgent-new/urgent-old)"; nothing may follow. */
static gboolean
read_counts (const char *value, gint counts[4])
{
  const char *p = value;
  counts[2] = counts[3] = -1;
  if (!read_count (&p, &counts[0]))
    return FALSE;
  skip_ws (&p);
  if (*p++ != '/')
    return FALSE;
  skip_ws (&p);
  if (!read_count (&p, &counts[1]))
    return FALSE;
  skip_ws (&p);
  if (*p == '(')
    {
      p++;
      skip_ws (&p);
      if (!read_count (&p, &counts[2]))
        return FALSE;
      skip_ws (&p);
      if (*p++ != '/')
        return FALSE;
      skip_ws (&p);
      if (!read_count (&p, &counts[3]))
        return FALSE;
      skip_ws (&p);
      if (*p++ != ')')
        return FALSE;
      skip_ws (&p);
    }
  return *p == '\0';
}

/* A sip:, sips: or tel: URI without spaces (angle brackets allowed around it). */
static gchar *
read_account (const char *value)
{
  g_autofree gchar *uri = g_strdup (value);
  gsize len = strlen (uri);
  if (len >= 2 && uri[0] == '<' && uri[len - 1] == '>')
    {
      memmove (uri, uri + 1, len - 2);
      uri[len - 2] = '\0';
    }
  if (!g_str_has_prefix (uri, "sip:") && !g_str_has_prefix (uri, "sips:") &&
      !g_str_has_prefix (uri, "tel:"))
    return NULL;
  for (const char *c = uri; *c; c++)
    if (*c == ' ' || *c == '\t' || *c == '<' || *c == '>' || *c == '"')
      return NULL;
  if (strchr (uri, ':')[1] == '\0')
    return NULL;
  return g_steal_pointer (&uri);
}

static gboolean
fail (GError **error, guint line, const char *what)
{
  g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED,
               /* Translators: a NOTIFY's message-summary body (RFC 3842) is malformed. */
               _("bad message-summary, line %u: %s"), line, what);
  return FALSE;
}

/* One line of the summary part (before any blank line); `seen` holds what came before. */
static gboolean
read_summary_line (TrvMessageSummary *s, const char *line, guint number, guint *seen,
                   GError **error)
{
  g_autofree gchar *name = NULL;
  const char *value = NULL;
  if (!split_header (line, &name, &value))
    return fail (error, number, _("not a header line"));
  if (number == 1)
    {
      if (g_ascii_strcasecmp (name, "Messages-Waiting") != 0)
        return fail (error, number, _("Messages-Waiting must come first"));
      if (g_ascii_strcasecmp (value, "yes") != 0 && g_ascii_strcasecmp (value, "no") != 0)
        return fail (error, number, _("Messages-Waiting is neither yes nor no"));
      s->waiting = g_ascii_strcasecmp (value, "yes") == 0;
      return TRUE;
    }
  if (g_ascii_strcasecmp (name, "Message-Account") == 0)
    {
      if (s->account || *seen)
        return fail (error, number, _("Message-Account twice or after the counts"));
      s->account = read_account (value);
      if (s->account == NULL)
        return fail (error, number, _("Message-Account is not a SIP or tel URI"));
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (context_classes); i++)
    {
      if (g_ascii_strcasecmp (name, context_classes[i]) != 0)
        continue;
      gint counts[4];
      if (*seen & (1u << i))
        return fail (error, number, _("a message class twice"));
      *seen |= 1u << i;
      if (!read_counts (value, counts))
        return fail (error, number, _("the counts are not new/old (urgent new/urgent old)"));
      if (i == 0)
        {
          s->voice_new = counts[0];
          s->voice_old = counts[1];
          s->voice_new_urgent = counts[2];
          s->voice_old_urgent = counts[3];
        }
      return TRUE;
    }
  return fail (error, number, _("unknown message class"));
}

gboolean
trv_message_summary_parse (const char *body, gsize length, TrvMessageSummary *summary,
                           GError **error)
{
  g_return_val_if_fail (summary != NULL, FALSE);
  memset (summary, 0, sizeof *summary);
  trv_message_summary_clear (summary);
  if (body == NULL || length == 0)
    return fail (error, 1, _("the body is empty"));
  if (length > TRV_MESSAGE_SUMMARY_MAX_LENGTH)
    return fail (error, 1, _("the body is too long"));
  for (gsize i = 0; i < length; i++)
    if ((guchar) body[i] < 0x20 && body[i] != '\r' && body[i] != '\n' && body[i] != '\t')
      return fail (error, 1, _("control characters in the body"));

  g_autofree gchar *text = g_strndup (body, length);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean extensions = FALSE;
  guint seen = 0;
  for (guint i = 0; lines[i]; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        line[--len] = '\0';
      gboolean ok;
      if (len == 0)
        {
          /* The blank line before the optional extension headers (or the end). */
          if (i == 0)
            ok = fail (error, 1, _("Messages-Waiting must come first"));
          else
            {
              extensions = TRUE;
              continue;
            }
        }
      else if (extensions)
        {
          g_autofree gchar *name = NULL;
          const char *value = NULL;
          ok = split_header (line, &name, &value) || fail (error, i + 1, _("not a header line"));
        }
      else
        ok = read_summary_line (summary, line, i + 1, &seen, error);
      if (!ok)
        {
          trv_message_summary_clear (summary);
          return FALSE;
        }
    }
  return TRUE;
}
