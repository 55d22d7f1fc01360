/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-media-config.c: validated audio/media settings. */
#include "config.h"

#include "trv-media-config.h"

#include "trv-codec.h"
#include "trv-error.h"
#include <glib/gi18n-lib.h>

#define TRV_MIN_JITTER_MS 10
#define TRV_MAX_JITTER_MS 1000

G_DEFINE_BOXED_TYPE (TrvMediaConfig, trv_media_config, trv_media_config_copy, trv_media_config_free)

TrvMediaConfig *
trv_media_config_new (void)
{
  TrvMediaConfig *self = g_new0 (TrvMediaConfig, 1);
  /* The codec table's order is the default preference. */
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  for (const TrvCodec *const *c = trv_codec_all (); *c; c++)
    g_strv_builder_add (names, (*c)->name);
  self->codecs = g_strv_builder_end (names);
  self->jitter_ms = TRV_DEFAULT_JITTER_MS;
  self->echo_cancel = TRUE;
  self->inactivity_timeout_s = TRV_DEFAULT_INACTIVITY_TIMEOUT_S;
  return self;
}

TrvMediaConfig *
trv_media_config_copy (const TrvMediaConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  TrvMediaConfig *copy = g_new0 (TrvMediaConfig, 1);
  copy->codecs = g_strdupv (self->codecs);
  copy->jitter_ms = self->jitter_ms;
  copy->echo_cancel = self->echo_cancel;
  copy->inactivity_timeout_s = self->inactivity_timeout_s;
  return copy;
}

void
trv_media_config_free (TrvMediaConfig *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->codecs);
  g_free (self);
}

gboolean
trv_media_config_validate (TrvMediaConfig *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->codecs == NULL || self->codecs[0] == NULL)
    {
      g_autofree gchar *known = trv_codec_names_joined ();
      trv_invalid_config (error, "media.codecs",
                          _("media.codecs: empty list; name at least one of %s"), known);
      return FALSE;
    }
  /* Names are matched case-insensitively and stored as the codec table spells them,
   * so later comparisons can be exact. */
  g_autoptr(GStrvBuilder) canonical = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; self->codecs[i]; i++)
    {
      const char *name = self->codecs[i];
      const TrvCodec *codec = name[0] ? trv_codec_lookup (name) : NULL;
      if (codec == NULL)
        {
          g_autofree gchar *known = trv_codec_names_joined ();
          if (name[0] == '\0')
            trv_invalid_config (error, "media.codecs",
                                _("media.codecs: empty codec name in the list (known: %s)"), known);
          else
            trv_invalid_config (error, "media.codecs",
                                _("media.codecs: unknown codec '%s' (known: %s)"), name, known);
          return FALSE;
        }
      if (!g_hash_table_add (seen, (gpointer) codec))
        {
          trv_invalid_config (error, "media.codecs",
                              _("media.codecs: '%s' is listed more than once"), name);
          return FALSE;
        }
      g_strv_builder_add (canonical, codec->name);
    }
  g_strfreev (self->codecs);
  self->codecs = g_strv_builder_end (canonical);

  if (self->jitter_ms < TRV_MIN_JITTER_MS || self->jitter_ms > TRV_MAX_JITTER_MS)
    {
      trv_invalid_config (error, "media.jitter-ms",
                          _("media.jitter-ms: %u is out of range (%d..%d ms)"),
                          self->jitter_ms, TRV_MIN_JITTER_MS, TRV_MAX_JITTER_MS);
      return FALSE;
    }
  /* Below a few seconds a short network hiccup would end calls. */
  if (self->inactivity_timeout_s != 0 &&
      (self->inactivity_timeout_s < TRV_MIN_INACTIVITY_TIMEOUT_S ||
       self->inactivity_timeout_s > TRV_MAX_INACTIVITY_TIMEOUT_S))
    {
      trv_invalid_config (error, "media.inactivity-timeout",
                          _("media.inactivity-timeout: %u is out of range (0 = never, or %d..%d s)"),
                          self->inactivity_timeout_s, TRV_MIN_INACTIVITY_TIMEOUT_S,
                          TRV_MAX_INACTIVITY_TIMEOUT_S);
      return FALSE;
    }
  return TRUE;
}
