/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The media layer's edges: GStreamer elements that are missing, and the sound devices
 * GStreamer's device providers see. */
#include <gst/gst.h>
#include <locale.h>
#include <string.h>

#include "trv-audio-devices.h"
#include "trv-error.h"
#include "trv-media-session-private.h"   /* _trv_media_parse_bin */

/* A stand-in device provider with one microphone, as a sound server's would have. */
typedef struct { GstDevice parent; } TrvFakeDevice;
typedef struct { GstDeviceClass parent_class; } TrvFakeDeviceClass;
G_DEFINE_TYPE (TrvFakeDevice, trv_fake_device, GST_TYPE_DEVICE)
static void trv_fake_device_class_init (TrvFakeDeviceClass *klass) {}
static void trv_fake_device_init (TrvFakeDevice *self) {}

typedef struct { GstDeviceProvider parent; } TrvFakeProvider;
typedef struct { GstDeviceProviderClass parent_class; } TrvFakeProviderClass;
G_DEFINE_TYPE (TrvFakeProvider, trv_fake_provider, GST_TYPE_DEVICE_PROVIDER)

static GList *
fake_provider_probe (GstDeviceProvider *provider)
{
  g_autoptr(GstCaps) caps = gst_caps_new_empty_simple ("audio/x-raw");
  GstDevice *mic = g_object_new (trv_fake_device_get_type (), "display-name", "Test microphone",
                                 "device-class", "Audio/Source", "caps", caps, NULL);
  return g_list_append (NULL, gst_object_ref_sink (mic));
}

static void
trv_fake_provider_class_init (TrvFakeProviderClass *klass)
{
  GstDeviceProviderClass *dp_class = GST_DEVICE_PROVIDER_CLASS (klass);
  dp_class->probe = fake_provider_probe;
  gst_device_provider_class_set_static_metadata (dp_class, "Test audio", "Audio/Source",
                                                 "One test microphone", "Traverse tests");
}

static void trv_fake_provider_init (TrvFakeProvider *self) {}

/* Sound devices are whatever GStreamer's device providers list (no socket paths): with
 * a provider that has a microphone, there are devices. */
static void
test_audio_devices (void)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  g_assert_true (gst_device_provider_register (NULL, "trvfakeaudio", GST_RANK_PRIMARY,
                                               trv_fake_provider_get_type ()));
  g_assert_true (trv_audio_devices_present ());
}

/* The missing elements come from GstParseContext, not from GStreamer's message: with
 * GStreamer speaking German ("Kein Element »…«") they are still named, all of them. */
static void
test_missing_element_context (void)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  /* C.UTF-8: gettext ignores LANGUAGE only in the plain C locale. */
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) bin = _trv_media_parse_bin ("audiotestsrc ! trvnosuchelement",
                                                    "audio source", &error);
  g_assert_null (bin);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MEDIA);
  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "'trvnosuchelement'"));
  g_clear_error (&error);

  bin = _trv_media_parse_bin ("trvnosucha ! trvnosuchb", "encoder", &error);
  g_assert_null (bin);
  g_assert_error (error, TRV_ERROR, TRV_ERROR_MEDIA);
  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "'trvnosucha', 'trvnosuchb'"));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/media-io/missing-element-context", test_missing_element_context);
  g_test_add_func ("/media-io/audio-devices", test_audio_devices);
  return g_test_run ();
}
