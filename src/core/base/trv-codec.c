/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-codec.c: the audio codecs Traverse speaks and their GStreamer elements. */
#include "trv-codec.h"

#include <string.h>

/* FEC at 10 % expected loss costs little bitrate and repairs single lost packets; we ask the
 * peer for the same with useinbandfec=1. The decoder needs PLC on for FEC to be used.
 * Decoding FEC holds every packet back by one ptime (to repair a loss from the next
 * packet), so the media session turns use-inband-fec on only once the call loses packets
 * (_trv_media_session_adapt); a clean call does not pay that delay. */
static const TrvCodec codec_opus = {
  .name = "opus", .clock_rate = 48000, .channels = 2, .static_pt = -1, .default_pt = 111,
  .fmtp = "minptime=10;useinbandfec=1", .sample_rate = 48000,
  /* 10 ms packets: a packet leaves 10 ms after its first sample was captured instead of
   * 20 (mouth-to-ear), at twice the packet rate (~20 kbit/s more IP/UDP/RTP headers, and
   * per-packet CPU). Opus codes 10 ms frames natively (RFC 7587 minptime=10 above). */
  .ptime = 10,
  .encoder = "opusenc audio-type=voice inband-fec=true packet-loss-percentage=10",
  .payloader = "rtpopuspay", .depayloader = "rtpopusdepay",
  .decoder = "opusdec use-inband-fec=false plc=true",
  /* 5 ms over the first packet's arrival: 5-50x the jitter of a clean path. A jittery
   * path deepens the buffer from its measured jitter at each RTCP report (~1 s), and a
   * late packet deepens it by 20 ms at once; until then Opus PLC conceals it. */
  .jitter_floor_ms = 5,
};

/* RFC 3551: G.722 samples at 16 kHz but its RTP clock is 8000 for historic reasons. */
static const TrvCodec codec_g722 = {
  .name = "G722", .clock_rate = 8000, .channels = 1, .static_pt = 9, .default_pt = 9,
  .fmtp = NULL, .ptime = 20, .sample_rate = 16000,
  .encoder = "avenc_g722", .payloader = "rtpg722pay",
  .depayloader = "rtpg722depay", .decoder = "avdec_g722",
};

static const TrvCodec codec_pcmu = {
  .name = "PCMU", .clock_rate = 8000, .channels = 1, .static_pt = 0, .default_pt = 0,
  .fmtp = NULL, .ptime = 20, .sample_rate = 8000,
  .encoder = "mulawenc", .payloader = "rtppcmupay",
  .depayloader = "rtppcmudepay", .decoder = "mulawdec",
};

static const TrvCodec codec_pcma = {
  .name = "PCMA", .clock_rate = 8000, .channels = 1, .static_pt = 8, .default_pt = 8,
  .fmtp = NULL, .ptime = 20, .sample_rate = 8000,
  .encoder = "alawenc", .payloader = "rtppcmapay",
  .depayloader = "rtppcmadepay", .decoder = "alawdec",
};

static const TrvCodec *const all_codecs[] = {
  &codec_opus, &codec_g722, &codec_pcmu, &codec_pcma, NULL,
};

const TrvCodec *const *
trv_codec_all (void)
{
  return all_codecs;
}

const TrvCodec *
trv_codec_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; all_codecs[i] != NULL; i++)
    if (g_ascii_strcasecmp (all_codecs[i]->name, name) == 0)
      return all_codecs[i];
  return NULL;
}

const TrvCodec *
trv_codec_lookup_rtpmap (const char *encoding, guint clock_rate)
{
  if (encoding == NULL)
    return NULL;
  for (guint i = 0; all_codecs[i] != NULL; i++)
    if (g_ascii_strcasecmp (all_codecs[i]->name, encoding) == 0
        && all_codecs[i]->clock_rate == clock_rate)
      return all_codecs[i];
  return NULL;
}

const TrvCodec *
trv_codec_lookup_static (guint pt)
{
  for (guint i = 0; all_codecs[i] != NULL; i++)
    if (all_codecs[i]->static_pt >= 0 && (guint) all_codecs[i]->static_pt == pt)
      return all_codecs[i];
  return NULL;
}

gchar *
trv_codec_names_joined (void)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; all_codecs[i] != NULL; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", all_codecs[i]->name);
  return g_string_free (s, FALSE);
}

gint
trv_dtmf_event_of (gchar digit)
{
  const char *p = digit ? strchr (TRV_DTMF_DIGITS, g_ascii_toupper (digit)) : NULL;
  return p ? (gint) (p - TRV_DTMF_DIGITS) : -1;
}

gchar
trv_dtmf_digit_of (gint event)
{
  return event >= 0 && event < (gint) strlen (TRV_DTMF_DIGITS) ? TRV_DTMF_DIGITS[event] : '\0';
}
