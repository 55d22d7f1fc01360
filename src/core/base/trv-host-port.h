/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-host-port.h: the host[:port] / [v6]:port parser used by every setting that names a server. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Splits "host[:port]" or "[v6]:port"; port defaults to default_port.
 * Returns FALSE (with a message naming `key`) on a malformed value. */
gboolean      trv_parse_host_port     (const char *value,
                                       guint16 default_port,
                                       const char *key,
                                       gchar **host,
                                       guint16 *port,
                                       GError **error);

/* The bare host of "host[:port]" or "[v6]:port" (without brackets): what SRV lookups of
 * an account's domain and the words for an "ip:port" path address want. NULL when
 * `value` is NULL or malformed. */
gchar        *trv_host_port_dup_host  (const char *value);

/* Checks an unbracketed host: an IP literal or a host name (RFC 1123). Returns FALSE
 * (TRV_ERROR_INVALID_CONFIG, naming `key`) otherwise. */
gboolean      trv_check_host          (const char *host,
                                       const char *key,
                                       GError **error);

G_END_DECLS
