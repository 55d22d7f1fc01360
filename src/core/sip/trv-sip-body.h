/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-sip-body.h: what a request's body and Accept header say about SDP, and the
 * Warning header that carries a human reason with a refusal. */
#pragma once

#include "trv-sofia.h"

G_BEGIN_DECLS

/* The SDP in a request: the body when it is application/sdp, or the first
 * application/sdp part of a multipart body. TRUE with *sdp = NULL when there is no body;
 * FALSE when there is a body but no SDP in it (the request gets 415). */
gboolean trv_sip_body_sdp (const sip_t *sip, gchar **sdp);

/* Whether the request's Accept header (if any) lets us answer with SDP. */
gboolean trv_sip_accepts_sdp (const sip_t *sip);

/* RFC 3261 20.43 warn-codes Traverse sends: 305 "Incompatible media format" (no codec in
 * common, which the caller then names), 399 for anything else. */
#define TRV_SIP_WARNING_INCOMPATIBLE_MEDIA 305
#define TRV_SIP_WARNING_MISC 399

/* A Warning header value with `code` and `text` made safe to quote. */
gchar *trv_sip_warning (guint code, const char *text);

G_END_DECLS
