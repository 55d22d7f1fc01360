#include "trv-error.h"

G_DEFINE_QUARK (trv-error-quark, trv_error)

gboolean
trv_invalid_config (GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree gchar *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TRV_ERROR, TRV_ERROR_INVALID_CONFIG, msg);
  return FALSE;
}
