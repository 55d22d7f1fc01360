/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-audio-devices.h: whether this machine has sound devices, as GStreamer's device
 * providers (PulseAudio, PipeWire, ALSA: whichever plugins are installed) see them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when any audio source or sink is available (a sound server or a sound card).
 * Probes once and returns; gst_init() must have run. */
gboolean trv_audio_devices_present (void);

G_END_DECLS
