/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-offer-answer.h: the only place SDP is built or read (GstSDPMessage).
 * Pure functions: local capabilities + transport description -> SDP text;
 * remote SDP -> negotiated parameters or a precise error. */
#pragma once

#include <glib.h>
#include "trv-media-config.h"
#include "trv-negotiation.h"

G_BEGIN_DECLS

/* Builds an offer with one audio m= line: every configured codec in order plus
 * telephone-event/8000 (0-16). `version` is the o= session version (increment on re-offer). */
gchar *trv_offer_answer_create_offer (const TrvMediaConfig *media,
                                      const TrvMediaEndpoint *local,
                                      TrvDirection direction,
                                      guint64 session_id,
                                      guint64 version);

/* Answers a remote offer: picks the first codec in *our* preference order that the
 * offer contains (matched by encoding name + clock rate, dynamic PTs honoured,
 * unknown codecs skipped). Errors: TRV_ERROR_MALFORMED_SDP (unparsable, no audio m=,
 * no connection address, port 0 with no ICE...), TRV_ERROR_NO_COMMON_CODEC,
 * TRV_ERROR_NOT_AVAILABLE (DTLS-SRTP profiles, or SRTP required but no matching SDES suite). */
gchar *trv_offer_answer_create_answer (const char *remote_offer,
                                       const TrvMediaConfig *media,
                                       const TrvMediaEndpoint *local,
                                       TrvDirection wanted,
                                       guint64 session_id,
                                       guint64 version,
                                       TrvNegotiation **negotiation,
                                       GError **error);

/* Reads the answer to our offer. Same errors as above, except for a=crypto: when we
 * offered keys, a bad a=crypto line in the answer, or (RTP/SAVP offer) none matching ours,
 * is TRV_ERROR_SRTP_UNSUPPORTED. */
TrvNegotiation *trv_offer_answer_parse_answer (const char *local_offer,
                                               const char *remote_answer,
                                               GError **error);

/* The audio connection address (c=) of an SDP offer, NULL when it has none readable. */
gchar *trv_offer_answer_dup_media_address (const char *sdp);

G_END_DECLS
