/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-audio-devices.c: sound devices through GstDeviceMonitor, so that whatever the
 * system (or the Flatpak sandbox) offers is found the way the pipeline will find it. */
#include "config.h"

#include "trv-audio-devices.h"

#include <gst/gst.h>

gboolean
trv_audio_devices_present (void)
{
  /* The desktop initializes GStreamer on a thread (src/ui/main.c): wait for it. */
  gst_init (NULL, NULL);
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Audio/Source", NULL);
  gst_device_monitor_add_filter (monitor, "Audio/Sink", NULL);
  /* Not started: each provider is probed once for its current devices. */
  GList *devices = gst_device_monitor_get_devices (monitor);
  guint n = g_list_length (devices);
  g_list_free_full (devices, gst_object_unref);
  g_debug ("%u audio device(s) found", n);
  return n > 0;
}
