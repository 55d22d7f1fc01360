/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-recent-call.h: one entry of the call history: whom, when, how long, how it ended. */
#pragma once

#include <glib-object.h>
#include "trv-call.h"

G_BEGIN_DECLS

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
/* How a call that has ended goes into the history (was_active: it was answered). */
TrvRecentOutcome trv_recent_outcome_of_call  (TrvCall *call, gboolean was_active);
gboolean         trv_recent_call_get_echo_test (TrvRecentCall *self);

G_END_DECLS
