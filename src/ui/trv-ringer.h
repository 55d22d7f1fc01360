/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ringer.h: the ringtone for incoming calls (a GStreamer tone with a ring cadence). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TRV_TYPE_RINGER (trv_ringer_get_type ())
G_DECLARE_FINAL_TYPE (TrvRinger, trv_ringer, TRV, RINGER, GObject)

TrvRinger *trv_ringer_new (void);
/* gst-launch description of the output (the call's speaker setting); NULL: the
 * TRAVERSE_AUDIOSINK override if set, else autoaudiosink. Applies from the next ring. */
void       trv_ringer_set_sink (TrvRinger *self, const char *sink_desc);
/* Starts ringing; a missing audio device is logged once and otherwise ignored: the
 * incoming view and the notification still show the call. */
void       trv_ringer_start (TrvRinger *self);
void       trv_ringer_stop  (TrvRinger *self);
gboolean   trv_ringer_is_ringing (TrvRinger *self);
/* The tone's level, 0 to 1 (1 by default): call waiting rings softly. */
void       trv_ringer_set_level (TrvRinger *self, double level);
double     trv_ringer_get_level (TrvRinger *self);

G_END_DECLS
