/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-log.c: password scrubbing and the in-memory log record. */
#include "config.h"

#include "trv-log.h"

#include <string.h>

#define SCRUBBED "***"

static GMutex secrets_lock;
static GPtrArray *secrets;           /* gchar*, under secrets_lock */

static GMutex record_lock;
static GQueue record = G_QUEUE_INIT; /* gchar* lines, under record_lock */
static gint record_max;              /* atomic; 0: not recording */

void
trv_log_add_secret (const char *secret)
{
  if (secret == NULL || *secret == '\0')
    return;
  g_mutex_lock (&secrets_lock);
  if (secrets == NULL)
    secrets = g_ptr_array_new_with_free_func (g_free);
  if (!g_ptr_array_find_with_equal_func (secrets, secret, g_str_equal, NULL))
    g_ptr_array_add (secrets, g_strdup (secret));
  g_mutex_unlock (&secrets_lock);
}

/* sofia-sip's iptsec at level 5 prints "auth_digest_a1() has A1 = MD5(user:realm:password)"
 * and the hashes derived from it: keep the words before the arguments only. */
static const char *const digest_lines[] = { "A1 = MD5(", "A1' = MD5(", "auth_response: " };

gchar *
trv_log_scrub (gchar *text)
{
  if (text == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (digest_lines); i++)
    {
      char *at = strstr (text, digest_lines[i]);
      if (at)
        {
          gchar *cut = g_strdup_printf ("%.*s" SCRUBBED,
                                        (int) (at - text + strlen (digest_lines[i])), text);
          g_free (text);
          text = cut;
        }
    }
  g_mutex_lock (&secrets_lock);
  for (guint i = 0; secrets && i < secrets->len; i++)
    {
      const char *secret = secrets->pdata[i];
      if (strstr (text, secret) == NULL)
        continue;
      g_auto(GStrv) parts = g_strsplit (text, secret, -1);
      gchar *joined = g_strjoinv (SCRUBBED, parts);
      g_free (text);
      text = joined;
    }
  g_mutex_unlock (&secrets_lock);
  return text;
}

gboolean
trv_log_wants_debug (const char *log_domain)
{
  return g_atomic_int_get (&record_max) > 0 ||
         !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, log_domain);
}

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "ERROR";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "CRITICAL";
  if (level & G_LOG_LEVEL_WARNING)
    return "WARNING";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "Message";
  if (level & G_LOG_LEVEL_INFO)
    return "INFO";
  return "DEBUG";
}

static void
record_line (GLogLevelFlags level, const char *domain, const char *message)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree gchar *clock = g_date_time_format (now, "%H:%M:%S");
  gchar *line = g_strdup_printf ("%s.%03d %s-%s: %s", clock,
                                 g_date_time_get_microsecond (now) / 1000,
                                 domain ? domain : "default", level_name (level), message);
  g_mutex_lock (&record_lock);
  g_queue_push_tail (&record, line);
  while (record.length > (guint) g_atomic_int_get (&record_max))
    g_free (g_queue_pop_head (&record));
  g_mutex_unlock (&record_lock);
}

/* Every message of the process (ours, libnice's, GStreamer's...) passes here: libnice's
 * debug output, for one, names the TURN password it was given. */
static GLogWriterOutput
scrub_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *domain = NULL;
  gssize message_at = -1;
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message_at = i;
    }
  gboolean recording = g_atomic_int_get (&record_max) > 0;
  if (message_at < 0 || (!recording && g_log_writer_default_would_drop (level, domain)))
    return g_log_writer_default (level, fields, n_fields, data);

  const GLogField *in = &fields[message_at];
  g_autofree gchar *message = trv_log_scrub (in->length < 0 ? g_strdup (in->value)
                                                            : g_strndup (in->value, in->length));
  if (recording)
    record_line (level, domain, message);
  GLogField *out = g_newa (GLogField, n_fields);
  memcpy (out, fields, n_fields * sizeof (GLogField));
  out[message_at].value = message;
  out[message_at].length = -1;
  return g_log_writer_default (level, out, n_fields, data);
}

void
trv_log_writer_install (void)
{
  static gsize installed;
  if (g_once_init_enter (&installed))
    {
      g_log_set_writer_func (scrub_writer, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

void
trv_log_record_start (guint max_lines)
{
  g_return_if_fail (max_lines > 0);
  trv_log_writer_install ();
  g_atomic_int_set (&record_max, max_lines);
}

gchar *
trv_log_record_get_text (void)
{
  GString *text = g_string_new (NULL);
  g_mutex_lock (&record_lock);
  for (GList *l = record.head; l; l = l->next)
    {
      g_string_append (text, l->data);
      g_string_append_c (text, '\n');
    }
  g_mutex_unlock (&record_lock);
  return g_string_free (text, FALSE);
}
