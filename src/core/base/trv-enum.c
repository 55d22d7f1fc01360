/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-enum.c: enum values <-> nicks through GEnumClass (see trv-enum.h). */
#include "config.h"

#include "trv-enum.h"

const char *
trv_enum_to_nick (GType type, gint value)
{
  g_return_val_if_fail (G_TYPE_IS_ENUM (type), NULL);
  /* Static types are never unloaded: the nick outlives the class reference. */
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  return v ? v->value_nick : NULL;
}

gboolean
trv_enum_from_nick (GType type, const char *nick, gint *out)
{
  g_return_val_if_fail (G_TYPE_IS_ENUM (type), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  if (nick == NULL)
    return FALSE;
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  /* g_enum_get_value_by_nick() compares case-sensitively. */
  for (guint i = 0; i < klass->n_values; i++)
    if (g_ascii_strcasecmp (nick, klass->values[i].value_nick) == 0)
      {
        *out = klass->values[i].value;
        return TRUE;
      }
  return FALSE;
}
