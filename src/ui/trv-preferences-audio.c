/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-preferences-audio.c: the Audio page of the Preferences window: microphone and
 * speaker (from GstDeviceMonitor), echo cancellation and the codec order. Each change is
 * checked and stored at once (nothing here spans several fields); a refused change is
 * undone on screen with the reason in a toast. */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "trv-codec.h"
#include "trv-error.h"
#include "trv-codec-row.h"
#include "trv-preferences-window-private.h"

#define CODECS_HINT N_("Offered to the other side in this order; switch off the ones not to use.")

static void rebuild_codecs (TrvPreferencesWindow *self);

/* ---- devices -------------------------------------------------------------------------- */

static gchar *
quote_value (const char *value)
{
  GString *s = g_string_new ("\"");
  for (const char *p = value; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

/* "pulsesrc device=\"alsa_input.usb-...\"": what the media session builds for this device. */
static gchar *
device_description (GstDevice *device)
{
  g_autoptr(GstElement) element = gst_device_create_element (device, NULL);
  if (element == NULL)
    return NULL;
  gst_object_ref_sink (element);
  GstElementFactory *factory = gst_element_get_factory (element);
  if (factory == NULL)
    return NULL;
  const char *name = gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory));
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "device"))
    {
      g_autofree gchar *dev = NULL;
      g_object_get (element, "device", &dev, NULL);
      if (dev && dev[0])
        {
          g_autofree gchar *quoted = quote_value (dev);
          return g_strdup_printf ("%s device=%s", name, quoted);
        }
    }
  return g_strdup (name);
}

/* Fills a combo with "System default" + the devices of `klass`; selects `current`. */
static GStrv
fill_devices (AdwComboRow *row, GList *devices, const char *klass, const char *current)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) descs = g_strv_builder_new ();
  guint selected = 0, n = 0;

  gtk_string_list_append (names, _("System default"));
  g_strv_builder_add (descs, "");
  n++;
  for (GList *l = devices; l; l = l->next)
    {
      GstDevice *dev = l->data;
      if (!gst_device_has_classes (dev, klass))
        continue;
      g_autofree gchar *desc = device_description (dev);
      g_autofree gchar *label = gst_device_get_display_name (dev);
      if (desc == NULL)
        continue;
      if (g_strcmp0 (desc, current) == 0)
        selected = n;
      gtk_string_list_append (names, label);
      g_strv_builder_add (descs, desc);
      n++;
    }
  if (current && current[0] && selected == 0)
    {
      /* Keep a device that is unplugged right now instead of silently forgetting it. */
      g_autofree gchar *label = g_strdup_printf (_("%s (not connected)"), current);
      gtk_string_list_append (names, label);
      g_strv_builder_add (descs, current);
      selected = n;
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (row, selected);
  g_object_unref (names);
  return g_strv_builder_end (descs);
}

static void
load_devices (TrvPreferencesWindow *self, const TrvAudioSettings *audio)
{
  gst_init (NULL, NULL); /* started on a thread by main.c: wait for it */
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Audio/Source", NULL);
  gst_device_monitor_add_filter (monitor, "Audio/Sink", NULL);
  GList *devices = gst_device_monitor_get_devices (monitor);

  g_strfreev (self->input_descs);
  g_strfreev (self->output_descs);
  self->input_descs = fill_devices (self->input_row, devices, "Audio/Source",
                                    audio->input_device);
  self->output_descs = fill_devices (self->output_row, devices, "Audio/Sink",
                                     audio->output_device);
  g_list_free_full (devices, gst_object_unref);
}

/* ---- storing ------------------------------------------------------------------------- */

static const char *
selected_desc (AdwComboRow *row, GStrv descs)
{
  guint i = adw_combo_row_get_selected (row);
  if (descs == NULL || i >= g_strv_length (descs) || descs[i][0] == '\0')
    return NULL;
  return descs[i];
}

static void
load_page (TrvPreferencesWindow *self)
{
  g_autoptr(TrvAudioSettings) audio = trv_settings_get_audio (self->settings);
  g_autoptr(TrvMediaConfig) media = trv_settings_get_media (self->settings);

  self->loading = TRUE;
  load_devices (self, audio);
  gtk_switch_set_active (self->echo_switch, audio->echo_cancellation);

  /* Stored (enabled) codecs first in their order, then the others switched off. */
  g_ptr_array_set_size (self->codec_order, 0);
  g_hash_table_remove_all (self->codec_enabled);
  for (char **c = media->codecs; *c; c++)
    {
      g_ptr_array_add (self->codec_order, g_strdup (*c));
      g_hash_table_insert (self->codec_enabled, g_strdup (*c), GINT_TO_POINTER (TRUE));
    }
  for (const TrvCodec *const *c = trv_codec_all (); *c; c++)
    if (!g_hash_table_contains (self->codec_enabled, (*c)->name))
      {
        g_ptr_array_add (self->codec_order, g_strdup ((*c)->name));
        g_hash_table_insert (self->codec_enabled, g_strdup ((*c)->name), GINT_TO_POINTER (FALSE));
      }
  rebuild_codecs (self);
  self->loading = FALSE;
}

static void
save_page (TrvPreferencesWindow *self)
{
  g_autoptr(TrvMediaConfig) media = trv_settings_get_media (self->settings);
  g_autoptr(TrvAudioSettings) audio = trv_audio_settings_new ();
  g_autoptr(GStrvBuilder) codecs = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->codec_order->len; i++)
    {
      const char *name = self->codec_order->pdata[i];
      if (GPOINTER_TO_INT (g_hash_table_lookup (self->codec_enabled, name)))
        g_strv_builder_add (codecs, name);
    }
  g_strfreev (media->codecs);
  media->codecs = g_strv_builder_end (codecs);
  audio->input_device = g_strdup (selected_desc (self->input_row, self->input_descs));
  audio->output_device = g_strdup (selected_desc (self->output_row, self->output_descs));
  audio->echo_cancellation = gtk_switch_get_active (self->echo_switch);

  if (!trv_settings_save_media (self->settings, media, audio, &error))
    {
      g_autofree gchar *text = g_strdup_printf (_("Not saved: %s"),
                                                trv_error_get_config_reason (error));
      load_page (self);   /* show what is stored, not the refused change */
      /* Inline, where the change was made (a toast here swallowed the next Escape). */
      adw_preferences_group_set_description (self->codecs_group, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->codecs_list),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
      return;
    }
  adw_preferences_group_set_description (self->codecs_group, _(CODECS_HINT));
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->codecs_list),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
on_audio_changed (TrvPreferencesWindow *self)
{
  if (!self->loading && self->settings && self->codec_order)
    save_page (self);
}

/* ---- codec list ------------------------------------------------------------------------ */

static void
on_codec_move (TrvCodecRow *row, gint delta, TrvPreferencesWindow *self)
{
  guint from = trv_codec_row_get_index (row);
  guint to = from + delta;
  if (to >= self->codec_order->len)
    return;
  gpointer tmp = self->codec_order->pdata[from];
  self->codec_order->pdata[from] = self->codec_order->pdata[to];
  self->codec_order->pdata[to] = tmp;
  rebuild_codecs (self);
  save_page (self);
}

static void
on_codec_toggled (TrvCodecRow *row, gboolean active, TrvPreferencesWindow *self)
{
  if (self->loading)
    return;
  g_hash_table_insert (self->codec_enabled, g_strdup (trv_codec_row_get_codec (row)),
                       GINT_TO_POINTER (active));
  save_page (self);
}

/* Which control of which codec row has the keyboard focus, so that a rebuilt list puts it
 * back: a destroyed focus widget would leave the keyboard user nowhere (and let the next
 * Escape go astray). */
static gboolean
focused_codec_control (TrvPreferencesWindow *self, gchar **codec, TrvCodecRowControl *control)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self->codecs_list));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->codecs_list)))
    return FALSE;
  GtkWidget *row = gtk_widget_get_ancestor (focus, TRV_TYPE_CODEC_ROW);
  if (row == NULL)
    return FALSE;
  *codec = g_strdup (trv_codec_row_get_codec (TRV_CODEC_ROW (row)));
  *control = trv_codec_row_find_control (TRV_CODEC_ROW (row), focus);
  return TRUE;
}

static void
restore_codec_focus (TrvPreferencesWindow *self, const char *codec, TrvCodecRowControl control)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->codecs_list)); row;
       row = gtk_widget_get_next_sibling (row))
    if (TRV_IS_CODEC_ROW (row) &&
        g_strcmp0 (trv_codec_row_get_codec (TRV_CODEC_ROW (row)), codec) == 0)
      {
        trv_codec_row_focus (TRV_CODEC_ROW (row), control);
        return;
      }
}

static void
rebuild_codecs (TrvPreferencesWindow *self)
{
  GtkWidget *child;
  gboolean was_loading = self->loading;
  g_autofree gchar *focus_codec = NULL;
  TrvCodecRowControl focus_control = TRV_CODEC_ROW_CONTROL_NONE;
  gboolean had_focus = focused_codec_control (self, &focus_codec, &focus_control);

  self->loading = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->codecs_list))))
    gtk_list_box_remove (self->codecs_list, child);
  for (guint i = 0; i < self->codec_order->len; i++)
    {
      const char *name = self->codec_order->pdata[i];
      gboolean enabled = GPOINTER_TO_INT (g_hash_table_lookup (self->codec_enabled, name));
      GtkWidget *row = trv_codec_row_new (name, i, self->codec_order->len, enabled);
      g_signal_connect_object (row, "move", G_CALLBACK (on_codec_move), self, 0);
      g_signal_connect_object (row, "toggled", G_CALLBACK (on_codec_toggled), self, 0);
      gtk_list_box_append (self->codecs_list, row);
    }
  if (had_focus)
    restore_codec_focus (self, focus_codec, focus_control);
  self->loading = was_loading;
}

/* ---- setup ----------------------------------------------------------------------------- */

void
_trv_preferences_window_audio_init (TrvPreferencesWindow *self)
{
  self->codec_order = g_ptr_array_new_with_free_func (g_free);
  self->codec_enabled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  load_page (self);
}

void
_trv_preferences_window_audio_dispose (TrvPreferencesWindow *self)
{
  g_clear_pointer (&self->input_descs, g_strfreev);
  g_clear_pointer (&self->output_descs, g_strfreev);
  g_clear_pointer (&self->codec_order, g_ptr_array_unref);
  g_clear_pointer (&self->codec_enabled, g_hash_table_unref);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TrvPreferencesWindow, name)

void
_trv_preferences_window_audio_class_init (GtkWidgetClass *widget_class)
{
  BIND (input_row);
  BIND (output_row);
  BIND (echo_switch);
  BIND (codecs_list);
  BIND (codecs_group);
  gtk_widget_class_bind_template_callback (widget_class, on_audio_changed);
}

#undef BIND
