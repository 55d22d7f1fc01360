/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-recent-calls.h: the call history, newest first, kept in a key file under
 * g_get_user_data_dir()/traverse/ so it survives restarts. */
#pragma once

#include <gio/gio.h>

#include "trv-recent-call.h"

G_BEGIN_DECLS

/* The nicks ("answered", ...) are the history file's words: TRV_TYPE_RECENT_OUTCOME in
 * trv-ui-enums.h. */
#define TRV_RECENT_CALLS_MAX 100

#define TRV_TYPE_RECENT_CALLS (trv_recent_calls_get_type ())
G_DECLARE_FINAL_TYPE (TrvRecentCalls, trv_recent_calls, TRV, RECENT_CALLS, GObject)

/* A GListModel of TrvRecentCall, newest first. `path` NULL: the default file. */
TrvRecentCalls *trv_recent_calls_new  (const char *path);
/* Reads the file; a missing file is an empty history, a damaged one an error
 * (the history then starts empty and the file is left alone until the next add). */
gboolean        trv_recent_calls_load (TrvRecentCalls *self, GError **error);
/* Prepends and saves (atomically); keeps at most TRV_RECENT_CALLS_MAX entries. */
gboolean        trv_recent_calls_add  (TrvRecentCalls *self, TrvRecentCall *call, GError **error);
const char     *trv_recent_calls_get_path (TrvRecentCalls *self);

G_END_DECLS
