/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window.h: the main window: account state, dialling, recent calls, and the
 * call and incoming-call views. */
#pragma once

#include <adwaita.h>

#include "trv-application.h"

G_BEGIN_DECLS

#define TRV_TYPE_WINDOW (trv_window_get_type ())
G_DECLARE_FINAL_TYPE (TrvWindow, trv_window, TRV, WINDOW, AdwApplicationWindow)

TrvWindow *trv_window_new          (TrvApplication *application);
/* Shows a message as a toast and announces it to screen readers. */
void       trv_window_show_message (TrvWindow *self, const char *message);

G_END_DECLS
