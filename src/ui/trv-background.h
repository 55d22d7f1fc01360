/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-background.h: Traverse as a phone that stays reachable. While an account is set up
 * the application holds itself, so closing the window leaves it running and registered;
 * and it can start at login (an autostart entry, or the Background portal in a Flatpak). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TRV_TYPE_BACKGROUND (trv_background_get_type ())
G_DECLARE_FINAL_TYPE (TrvBackground, trv_background, TRV, BACKGROUND, GObject)

TrvBackground *trv_background_new            (GApplication *application);
/* TRUE while an account is set up: the application then keeps running without a window. */
void           trv_background_set_reachable  (TrvBackground *self,
                                              gboolean reachable);
gboolean       trv_background_get_reachable  (TrvBackground *self);

/* Start at login with `traverse --gapplication-service` (no window; registered), or no
 * longer. Outside a Flatpak this writes or removes
 * $XDG_CONFIG_HOME/autostart/APP_ID.desktop; inside one it asks the Background portal,
 * whose refusal is TRV_ERROR_NOT_AVAILABLE with a message for the user. `parent_handle`
 * is the portal's window identifier ("" when unknown). */
void           trv_background_set_autostart_async  (TrvBackground *self,
                                                    gboolean enable,
                                                    const char *parent_handle,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
gboolean       trv_background_set_autostart_finish (TrvBackground *self,
                                                    GAsyncResult *result,
                                                    GError **error);
/* The autostart entry's path outside a Flatpak (for tests and the debug log). */
char          *trv_background_dup_autostart_path   (TrvBackground *self);

G_END_DECLS
