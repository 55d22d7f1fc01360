/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-sip-uri.h: parts of the SIP URIs the core hands out (remote party, contact), read
 * with sofia-sip's URL parser, so front ends never take a URI apart themselves. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The user part of a URI ("sip:bob@example.org;user=phone" -> "bob"); NULL when the URI
 * has none ("sip:example.org") or does not parse. */
gchar *trv_sip_uri_dup_user (const char *uri);

G_END_DECLS
