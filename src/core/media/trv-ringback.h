/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ringback.h: the local ringback tone an outgoing call plays while the far end rings
 * and sends no early media: the tone and cadence of the user's region. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum {
  TRV_RINGBACK_TONE_EUROPE,          /* 425 Hz, 1 s on / 4 s off (ITU-T E.180, most of Europe) */
  TRV_RINGBACK_TONE_NORTH_AMERICA,   /* 440 + 480 Hz, 2 s on / 4 s off */
} TrvRingbackTone;

/* The tone of a locale name ("en_US.UTF-8", "de_DE@euro"): North America for the US and
 * Canada, Europe's otherwise. NULL reads LC_ALL, LC_TELEPHONE, then LANG. */
TrvRingbackTone trv_ringback_tone_for_locale (const char *locale);
/* Cadence of the tone in milliseconds. */
void            trv_ringback_tone_cadence    (TrvRingbackTone tone, guint *on_ms, guint *off_ms);

/* A bin with one source pad giving the tone in its cadence as S16LE mono at 8 kHz, from
 * time 0 of its own stream. live: paced by the clock (playback); otherwise as fast as the
 * consumer takes it (tests). */
GstElement     *trv_ringback_source_new      (TrvRingbackTone tone, gboolean live);

#define TRV_TYPE_RINGBACK (trv_ringback_get_type ())
G_DECLARE_FINAL_TYPE (TrvRingback, trv_ringback, TRV, RINGBACK, GObject)

/* sink_desc: a gst-launch description of the output (the call's), NULL: autoaudiosink. */
TrvRingback *trv_ringback_new        (TrvRingbackTone tone, const char *sink_desc);
/* Starts playing; TRV_ERROR_MEDIA when the output cannot be opened. */
gboolean     trv_ringback_start      (TrvRingback *self, GError **error);
/* Stops playing; idempotent. */
void         trv_ringback_stop       (TrvRingback *self);
/* Milliseconds of tone (both parts of the cadence) that reached the output. */
guint64      trv_ringback_get_played_ms (TrvRingback *self);

G_END_DECLS
