/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-preferences-window.h: the Preferences window (accounts, network, audio). Reads and
 * writes through TrvSettings; the application hears its "changed" signal and uses the
 * new settings for the next call. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TRV_TYPE_PREFERENCES_WINDOW (trv_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TrvPreferencesWindow, trv_preferences_window, TRV, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

TrvPreferencesWindow *trv_preferences_window_new (GtkWindow *parent);
/* Opens the editor of the account with that address (on the Accounts page). */
void                  trv_preferences_window_edit_account (TrvPreferencesWindow *self,
                                                           const char *address);
/* Shows the Network page. */
void                  trv_preferences_window_show_network (TrvPreferencesWindow *self);

G_END_DECLS
