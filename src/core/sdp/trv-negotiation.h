/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-negotiation.h: the value types offer/answer produces and transport and media consume:
 * media directions, how one side is reachable for media (TrvMediaEndpoint) and the result
 * of offer/answer (TrvNegotiation). No SDP is read or written here. */
#pragma once

#include <glib.h>
#include "trv-codec.h"

G_BEGIN_DECLS

#define TRV_SDP_PTIME 20

/* The nicks are the SDP attributes ("sendrecv", ...): TRV_TYPE_DIRECTION in trv-sdp-enums.h. */
typedef enum {
  TRV_DIRECTION_SENDRECV,
  TRV_DIRECTION_SENDONLY,
  TRV_DIRECTION_RECVONLY,
  TRV_DIRECTION_INACTIVE,
} TrvDirection;

gboolean     trv_direction_can_send (TrvDirection d);
gboolean     trv_direction_can_receive (TrvDirection d);
/* The answer's direction for an offered direction given what we want:
 * offer sendonly -> at most recvonly, etc. */
TrvDirection trv_direction_answer (TrvDirection offered, TrvDirection wanted);

/* How the local side is reachable for media, supplied by the transport. */
typedef struct {
  gchar *address;          /* connection address for c= (IPv4 or IPv6 literal) */
  guint16 port;            /* RTP port for m= */
  guint16 rtcp_port;       /* RTCP port when not muxed (a=rtcp:), 0 = port + 1 */
  gboolean rtcp_mux;       /* offer/accept a=rtcp-mux */
  /* ICE (all NULL when the transport does not do ICE) */
  gchar *ice_ufrag;
  gchar *ice_pwd;
  GPtrArray *ice_candidates; /* gchar*: attribute values "candidate:1 1 UDP ..." (no "a=") */
  gboolean ice_lite;
  /* SRTP SDES (NULL: plain RTP) */
  gchar *crypto_suite;     /* "AES_CM_128_HMAC_SHA1_80" */
  gchar *crypto_key;       /* base64 inline key (30 bytes decoded) */
  gboolean crypto_optional; /* offer: SDES on RTP/AVP (best effort) instead of RTP/SAVP */
} TrvMediaEndpoint;

TrvMediaEndpoint *trv_media_endpoint_new  (void);
void              trv_media_endpoint_free (TrvMediaEndpoint *ep);
TrvMediaEndpoint *trv_media_endpoint_copy (const TrvMediaEndpoint *ep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvMediaEndpoint, trv_media_endpoint_free)

/* Result of offer/answer, always from the local point of view. */
typedef struct {
  const TrvCodec *codec;     /* chosen codec */
  guint send_pt;             /* payload type we put on packets we send (the peer's number) */
  guint recv_pt;             /* payload type we announced and expect to receive */
  gchar *send_fmtp;          /* the peer's fmtp for the codec (may be NULL) */
  gint send_dtmf_pt;         /* peer's telephone-event PT, -1 if the peer has none */
  gint recv_dtmf_pt;         /* our telephone-event PT, -1 if not negotiated */
  guint ptime;               /* ms per packet we send: the peer's a=ptime (20 when absent),
                              * capped by its a=maxptime */
  TrvDirection direction;    /* what we may do: sendrecv, sendonly (we hold), recvonly, inactive */
  TrvMediaEndpoint *remote;  /* the peer's address/ports/ICE/crypto from its SDP */
  /* SRTP (SDES): set only when both sides agreed on remote->crypto_suite. srtpenc encrypts
   * with our key, srtpdec decrypts with remote->crypto_key. */
  gchar *local_crypto_key;   /* our base64 inline key as announced, NULL = plain RTP */
} TrvNegotiation;

/* Empty negotiation: no codec, DTMF PTs -1, ptime 20, sendrecv, an empty remote endpoint. */
TrvNegotiation *trv_negotiation_new  (void);
void            trv_negotiation_free (TrvNegotiation *n);
TrvNegotiation *trv_negotiation_copy (const TrvNegotiation *n);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvNegotiation, trv_negotiation_free)

G_END_DECLS
