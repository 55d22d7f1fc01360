/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-sdp-audio.h: private to offer/answer: the audio m= section of an SDP, read and checked. */
#pragma once

#include <gst/sdp/sdp.h>
#include "trv-negotiation.h"

G_BEGIN_DECLS

#define TRV_SDP_DTMF_CLOCK 8000

/* One payload type of the audio m= line. */
typedef struct {
  guint pt;
  const TrvCodec *codec;    /* NULL: not a codec we know */
  gchar *label;             /* "opus/48000" or "payload type 97" for messages */
  gchar *fmtp;
} TrvSdpFormat;

typedef struct {
  guint index;              /* of the audio m= line within the message */
  const GstSDPMedia *media;
  GArray *formats;          /* TrvSdpFormat, in m= order, telephone-event excluded */
  gint dtmf_pt;             /* telephone-event/8000, -1 = none */
  TrvDirection direction;
  guint ptime;              /* a=ptime, TRV_SDP_PTIME when absent or unreadable */
  guint maxptime;           /* a=maxptime, 0 when absent or unreadable */
  GPtrArray *crypto;        /* gchar*: a=crypto values */
  TrvMediaEndpoint *ep;
} TrvSdpAudio;

void trv_sdp_audio_clear (TrvSdpAudio *a);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrvSdpAudio, trv_sdp_audio_clear)

/* Syntax check + GstSDPMessage parse; `what` ("offer", "answer") names the SDP in errors.
 * Errors: TRV_ERROR_MALFORMED_SDP. */
GstSDPMessage *trv_sdp_parse (const char *text, const char *what, GError **error);
/* Reads the first m=audio section: formats, DTMF, address, ICE, RTCP, crypto lines,
 * direction, ptime. Errors: TRV_ERROR_MALFORMED_SDP with a precise message. */
gboolean trv_sdp_audio_read (const GstSDPMessage *msg, const char *what, TrvSdpAudio *a,
                             GError **error);
/* "opus/48000, payload type 3, telephone-event" for error messages; free with g_free. */
gchar *trv_sdp_audio_describe (const TrvSdpAudio *a);
const TrvSdpFormat *trv_sdp_audio_find_codec (const TrvSdpAudio *a, const TrvCodec *codec);
/* "1 AES_CM_128_HMAC_SHA1_80 inline:KEY|2^20|1:32" -> tag, suite, base64 key (checked length). */
gboolean trv_sdp_parse_crypto (const char *value, guint *tag, gchar **suite, gchar **key);

G_END_DECLS
