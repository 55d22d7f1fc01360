/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "trv-error.h"

#include <string.h>

/* TRV_ERROR is an extended domain: an error about a setting carries the setting's key
 * as data, so that a front end can find the field without reading the (translated)
 * message. */
typedef struct {
  gchar *config_key;
  gchar *config_reason;
  guint sip_status;             /* the SIP status behind the error; 0: none */
  gchar *uri;                   /* the server or peer that answered; NULL: none */
} TrvErrorPrivate;

static void
trv_error_private_init (TrvErrorPrivate *priv)
{
  priv->config_key = NULL;
  priv->config_reason = NULL;
  priv->sip_status = 0;
  priv->uri = NULL;
}

static void
trv_error_private_copy (const TrvErrorPrivate *src, TrvErrorPrivate *dest)
{
  dest->config_key = g_strdup (src->config_key);
  dest->config_reason = g_strdup (src->config_reason);
  dest->sip_status = src->sip_status;
  dest->uri = g_strdup (src->uri);
}

static void
trv_error_private_clear (TrvErrorPrivate *priv)
{
  g_clear_pointer (&priv->config_key, g_free);
  g_clear_pointer (&priv->config_reason, g_free);
  g_clear_pointer (&priv->uri, g_free);
}

G_DEFINE_EXTENDED_ERROR (TrvError, trv_error)

gboolean
trv_invalid_config (GError **error, const char *key, const char *format, ...)
{
  if (error == NULL)
    return FALSE;

  va_list args;
  va_start (args, format);
  g_autofree gchar *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, msg);

  if (key == NULL)
    return FALSE;
  TrvErrorPrivate *priv = trv_error_get_private (*error);
  priv->config_key = g_strdup (key);
  /* The messages read "KEY: reason"; next to the field the key is redundant. A
   * translation that words it otherwise keeps its whole message as the reason. */
  gsize len = strlen (key);
  if (strncmp (msg, key, len) == 0 && strncmp (msg + len, ": ", 2) == 0)
    priv->config_reason = g_strdup (msg + len + 2);
  else
    priv->config_reason = g_steal_pointer (&msg);
  return FALSE;
}

const char *
trv_error_get_config_key (const GError *error)
{
  if (error == NULL || error->domain != TRV_ERROR)
    return NULL;
  return trv_error_get_private (error)->config_key;
}

const char *
trv_error_get_config_reason (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);
  if (error->domain == TRV_ERROR && trv_error_get_private (error)->config_reason)
    return trv_error_get_private (error)->config_reason;
  return error->message;
}

GError *
trv_error_set_sip (GError *error, guint status, const char *uri)
{
  g_return_val_if_fail (error != NULL && error->domain == TRV_ERROR, error);
  TrvErrorPrivate *priv = trv_error_get_private (error);
  priv->sip_status = status;
  g_free (priv->uri);
  priv->uri = g_strdup (uri);
  return error;
}

guint
trv_error_get_sip_status (const GError *error)
{
  if (error == NULL || error->domain != TRV_ERROR)
    return 0;
  return trv_error_get_private (error)->sip_status;
}

const char *
trv_error_get_uri (const GError *error)
{
  if (error == NULL || error->domain != TRV_ERROR)
    return NULL;
  return trv_error_get_private (error)->uri;
}
