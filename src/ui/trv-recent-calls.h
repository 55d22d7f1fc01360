/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-recent-calls.h: the call history, newest first, kept in a key file under
 * g_get_user_data_dir()/traverse/ so it survives restarts. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The nicks ("answered", ...) are the history file's words: TRV_TYPE_RECENT_OUTCOME in
 * trv-ui-enums.h. */
typedef enum {
  TRV_RECENT_OUTCOME_ANSWERED,   /* the call was connected */
  TRV_RECENT_OUTCOME_MISSED,     /* incoming, the caller gave up before we answered */
  TRV_RECENT_OUTCOME_DECLINED,   /* incoming, we declined */
  TRV_RECENT_OUTCOME_CANCELLED,  /* outgoing, we hung up before an answer */
  TRV_RECENT_OUTCOME_REJECTED,   /* outgoing, the other side refused (busy, declined) */
  TRV_RECENT_OUTCOME_FAILED,     /* outgoing, the call could not be set up */
} TrvRecentOutcome;

#define TRV_TYPE_RECENT_CALL (trv_recent_call_get_type ())
G_DECLARE_FINAL_TYPE (TrvRecentCall, trv_recent_call, TRV, RECENT_CALL, GObject)

/* uri: whom to call back; name may be NULL; time in seconds since the epoch (UTC). */
TrvRecentCall   *trv_recent_call_new          (const char *uri,
                                               const char *name,
                                               gboolean incoming,
                                               gint64 time,
                                               double duration_s,
                                               TrvRecentOutcome outcome,
                                               gboolean echo_test);
const char      *trv_recent_call_get_uri      (TrvRecentCall *self);
const char      *trv_recent_call_get_name     (TrvRecentCall *self);
gboolean         trv_recent_call_get_incoming (TrvRecentCall *self);
gint64           trv_recent_call_get_time     (TrvRecentCall *self);
double           trv_recent_call_get_duration (TrvRecentCall *self);
TrvRecentOutcome trv_recent_call_get_outcome  (TrvRecentCall *self);
gboolean         trv_recent_call_get_echo_test (TrvRecentCall *self);

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
