/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-codec-row.c: one codec of the Preferences' codec list (see the header). */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-codec-row.h"

struct _TrvCodecRow {
  AdwActionRow parent_instance;

  gchar *codec;
  guint index;
  GtkWidget *up;
  GtkWidget *down;
  GtkWidget *use;
};

G_DEFINE_FINAL_TYPE (TrvCodecRow, trv_codec_row, ADW_TYPE_ACTION_ROW)

enum { SIGNAL_MOVE, SIGNAL_TOGGLED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_up_clicked (GtkButton *button, TrvCodecRow *self)
{
  g_signal_emit (self, signals[SIGNAL_MOVE], 0, -1);
}

static void
on_down_clicked (GtkButton *button, TrvCodecRow *self)
{
  g_signal_emit (self, signals[SIGNAL_MOVE], 0, +1);
}

static void
on_use_active (GtkSwitch *sw, GParamSpec *pspec, TrvCodecRow *self)
{
  g_signal_emit (self, signals[SIGNAL_TOGGLED], 0, gtk_switch_get_active (sw));
}

static GtkWidget *
move_button (const char *icon, const char *label, gboolean sensitive)
{
  GtkWidget *b = gtk_button_new_from_icon_name (icon);
  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (b, "flat");
  gtk_widget_set_tooltip_text (b, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_sensitive (b, sensitive);
  return b;
}

GtkWidget *
trv_codec_row_new (const char *codec, guint index, guint n_codecs, gboolean enabled)
{
  g_return_val_if_fail (codec != NULL, NULL);
  TrvCodecRow *self = g_object_new (TRV_TYPE_CODEC_ROW, NULL);
  self->codec = g_strdup (codec);
  self->index = index;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), codec);
  g_autofree gchar *up = g_strdup_printf (_("Move %s up"), codec);
  g_autofree gchar *down = g_strdup_printf (_("Move %s down"), codec);
  g_autofree gchar *use = g_strdup_printf (_("Use %s"), codec);
  self->up = move_button ("go-up-symbolic", up, index > 0);
  self->down = move_button ("go-down-symbolic", down, index + 1 < n_codecs);
  g_signal_connect (self->up, "clicked", G_CALLBACK (on_up_clicked), self);
  g_signal_connect (self->down, "clicked", G_CALLBACK (on_down_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->up);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->down);
  self->use = gtk_switch_new ();
  gtk_widget_set_valign (self->use, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (self->use), enabled);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->use), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  use, -1);
  g_signal_connect (self->use, "notify::active", G_CALLBACK (on_use_active), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->use);
  return GTK_WIDGET (self);
}

const char *
trv_codec_row_get_codec (TrvCodecRow *self)
{
  g_return_val_if_fail (TRV_IS_CODEC_ROW (self), NULL);
  return self->codec;
}

guint
trv_codec_row_get_index (TrvCodecRow *self)
{
  g_return_val_if_fail (TRV_IS_CODEC_ROW (self), 0);
  return self->index;
}

TrvCodecRowControl
trv_codec_row_find_control (TrvCodecRow *self, GtkWidget *focus)
{
  g_return_val_if_fail (TRV_IS_CODEC_ROW (self), TRV_CODEC_ROW_CONTROL_NONE);
  const struct { GtkWidget *widget; TrvCodecRowControl control; } controls[] = {
    { self->up, TRV_CODEC_ROW_CONTROL_UP },
    { self->down, TRV_CODEC_ROW_CONTROL_DOWN },
    { self->use, TRV_CODEC_ROW_CONTROL_USE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    if (focus == controls[i].widget || gtk_widget_is_ancestor (focus, controls[i].widget))
      return controls[i].control;
  return TRV_CODEC_ROW_CONTROL_NONE;
}

void
trv_codec_row_focus (TrvCodecRow *self, TrvCodecRowControl control)
{
  g_return_if_fail (TRV_IS_CODEC_ROW (self));
  GtkWidget *target = control == TRV_CODEC_ROW_CONTROL_UP ? self->up
                      : control == TRV_CODEC_ROW_CONTROL_DOWN ? self->down
                      : control == TRV_CODEC_ROW_CONTROL_USE ? self->use
                      : NULL;
  /* A codec moved to the top or bottom: its button in that direction is off. */
  if (target && !gtk_widget_get_sensitive (target))
    target = target == self->up ? self->down : self->up;
  gtk_widget_grab_focus (target ? target : GTK_WIDGET (self));
}

static void
trv_codec_row_finalize (GObject *object)
{
  TrvCodecRow *self = TRV_CODEC_ROW (object);
  g_free (self->codec);
  G_OBJECT_CLASS (trv_codec_row_parent_class)->finalize (object);
}

static void
trv_codec_row_class_init (TrvCodecRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trv_codec_row_finalize;
  signals[SIGNAL_MOVE] =
    g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_TOGGLED] =
    g_signal_new ("toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
trv_codec_row_init (TrvCodecRow *self)
{
}
