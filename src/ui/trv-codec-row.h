/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-codec-row.h: one codec in the Preferences' codec list: its name, Move up / Move down
 * buttons and a switch to use it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A control of the row, to keep the keyboard focus on it across a rebuilt list. */
typedef enum {
  TRV_CODEC_ROW_CONTROL_NONE,
  TRV_CODEC_ROW_CONTROL_UP,
  TRV_CODEC_ROW_CONTROL_DOWN,
  TRV_CODEC_ROW_CONTROL_USE,
} TrvCodecRowControl;

#define TRV_TYPE_CODEC_ROW (trv_codec_row_get_type ())
G_DECLARE_FINAL_TYPE (TrvCodecRow, trv_codec_row, TRV, CODEC_ROW, AdwActionRow)

/* @index of @n_codecs: the first has no Move up, the last no Move down. */
GtkWidget         *trv_codec_row_new       (const char *codec, guint index, guint n_codecs,
                                            gboolean enabled);
const char        *trv_codec_row_get_codec (TrvCodecRow *self);
guint              trv_codec_row_get_index (TrvCodecRow *self);
/* Which control @focus is (or is inside of). */
TrvCodecRowControl trv_codec_row_find_control (TrvCodecRow *self, GtkWidget *focus);
/* Focuses @control; a move button that is off hands over to the other one, NONE focuses
 * the row. */
void               trv_codec_row_focus     (TrvCodecRow *self, TrvCodecRowControl control);

/* Signals:
 *  "move"    (gint delta)       Move up (-1) or down (+1) was clicked
 *  "toggled" (gboolean active)  the switch was flipped */

G_END_DECLS
