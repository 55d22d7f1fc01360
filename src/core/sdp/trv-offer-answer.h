/* trv-offer-answer.h: the only place SDP is built or read (GstSDPMessage).
 * Pure functions: local capabilities + transport description -> SDP text;
 * remote SDP -> negotiated parameters or a precise error. */
#pragma once

#include <glib.h>
#include "trv-codec.h"
#include "trv-media-config.h"

G_BEGIN_DECLS

typedef enum {
  TRV_DIRECTION_SENDRECV,
  TRV_DIRECTION_SENDONLY,
  TRV_DIRECTION_RECVONLY,
  TRV_DIRECTION_INACTIVE,
} TrvDirection;

const char  *trv_direction_to_string (TrvDirection d);   /* "sendrecv", ... */
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

G_END_DECLS
