/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-srtp.h: SRTP with SDES key exchange (RFC 4568): keys, suite choice and what the
 * account's policy allows in an offer or answer. */
#pragma once

#include <glib.h>

#include "trv-account-config.h"
#include "trv-negotiation.h"

G_BEGIN_DECLS

#define TRV_SRTP_SUITE_80 "AES_CM_128_HMAC_SHA1_80"
#define TRV_SRTP_SUITE_32 "AES_CM_128_HMAC_SHA1_32"
#define TRV_SRTP_KEY_LEN 30    /* 16-byte master key + 14-byte salt */

/* What the account allows, fixed for the life of a call. */
typedef struct {
  TrvSrtpPolicy policy;
  gboolean secure_signalling;  /* the SDP travels over TLS */
  gboolean allow_insecure;     /* account.srtp-over-insecure: keys over plain signalling too */
} TrvSrtpSettings;

/* TRUE for the suites Traverse speaks (case-sensitive, as in SDP). */
gboolean trv_srtp_suite_supported (const char *suite);
/* 30 random bytes as base64: a fresh master key + salt for one call. */
gchar   *trv_srtp_generate_key (void);
/* Parses an a=crypto value "TAG SUITE inline:KEY[|lifetime][|MKI:len] [params]".
 * Fails (TRV_ERROR_MALFORMED_SDP) on bad syntax or a key of the wrong length for a
 * supported suite; unknown suites parse (so the caller can skip them). */
gboolean trv_srtp_parse_crypto (const char *value, guint *tag, gchar **suite, gchar **key,
                                GError **error);

/* Whether keys may be put into SDP under these settings. */
gboolean trv_srtp_keys_allowed (const TrvSrtpSettings *s);

/* Offer side: sets ep->crypto_suite/crypto_key (and crypto_optional for 'optional')
 * when the policy and the signalling allow. A mandatory policy that cannot send keys is
 * TRV_ERROR_INVALID_CONFIG naming the setting to change. */
gboolean trv_srtp_prepare_offer (const TrvSrtpSettings *s, const char *key,
                                 TrvMediaEndpoint *ep, GError **error);
/* Answer side: reads the remote offer's a=crypto lines and sets ep's suite/key to the
 * first suite we support. A mandatory policy with an offer without (usable) crypto is
 * TRV_ERROR_SRTP_UNSUPPORTED: "the peer does not support encrypted media (SRTP), ...". */
gboolean trv_srtp_prepare_answer (const TrvSrtpSettings *s, const char *key,
                                  const char *remote_offer, TrvMediaEndpoint *ep,
                                  GError **error);
/* The error for a mandatory-SRTP call the peer refused or answered without crypto. */
GError  *trv_srtp_peer_unsupported_error (const char *detail);

G_END_DECLS
