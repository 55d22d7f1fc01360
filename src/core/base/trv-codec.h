/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-codec.h: the audio codecs Traverse speaks and their GStreamer elements. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;         /* SDP encoding name as we write it: "opus", "G722", "PCMU", "PCMA" */
  guint clock_rate;         /* RTP clock rate as in a=rtpmap (G722: 8000, opus: 48000) */
  guint channels;           /* a=rtpmap channels (opus: 2), 1 = omitted */
  gint static_pt;           /* static payload type, or -1 for dynamic */
  gint default_pt;          /* payload type we offer */
  const char *fmtp;         /* fmtp we offer, or NULL */
  guint ptime;              /* a=ptime we ask for (ms) when this codec leads the m= line */
  guint sample_rate;        /* raw audio rate into the encoder / out of the decoder */
  const char *encoder;      /* gst-launch style description, e.g. "opusenc" */
  const char *payloader;    /* e.g. "rtpopuspay" */
  const char *depayloader;  /* e.g. "rtpopusdepay" */
  const char *decoder;      /* e.g. "opusdec" */
  /* Shallowest jitter buffer (ms); 0: one packet (ptime). Only a decoder that conceals a
   * late packet (PLC) can afford less than a packet: there a late packet is a concealed
   * frame, elsewhere a gap of silence. */
  guint jitter_floor_ms;
} TrvCodec;

#define TRV_DTMF_CODEC_NAME "telephone-event"
/* RFC 4733 events 0-15 in event-number order. */
#define TRV_DTMF_DIGITS "0123456789*#ABCD"

/* The RFC 4733 event number of a DTMF digit (A-D in either case), or -1. */
gint  trv_dtmf_event_of (gchar digit);
/* The digit of RFC 4733 event 0-15, or '\0' for any other number. */
gchar trv_dtmf_digit_of (gint event);

/* All supported codecs, default preference order, NULL-terminated. */
const TrvCodec *const *trv_codec_all (void);
/* Case-insensitive lookup by name ("opus", "g722", "pcmu", ...). */
const TrvCodec *trv_codec_lookup (const char *name);
/* Lookup by a=rtpmap encoding name and clock rate (case-insensitive). */
const TrvCodec *trv_codec_lookup_rtpmap (const char *encoding, guint clock_rate);
/* Lookup of a static payload type (0 PCMU, 8 PCMA, 9 G722) without rtpmap. */
const TrvCodec *trv_codec_lookup_static (guint pt);
/* "opus, G722, PCMU, PCMA" for error messages; free with g_free. */
gchar *trv_codec_names_joined (void);

G_END_DECLS
