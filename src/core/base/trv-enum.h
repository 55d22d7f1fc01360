/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-enum.h: enum values <-> their nicks, for the GTypes glib-mkenums generates per layer
 * (trv-<layer>-enums.h). The nicks are the words configs, GSettings, stats JSON and the
 * CLI use ("ice", "tcp", "local-hangup", ...). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The nick of @value in the enum type @type, or NULL when @value is none of its values. */
const char *trv_enum_to_nick   (GType type, gint value);
/* Looks @nick up in @type ignoring ASCII case (configs write "TCP" as well as "tcp"); FALSE,
 * with *out untouched, for NULL or an unknown word. */
gboolean    trv_enum_from_nick (GType type, const char *nick, gint *out);

G_END_DECLS
