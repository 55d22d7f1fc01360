/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-recent-call.c: one entry of the call history (immutable). */
#include "config.h"

#include "trv-recent-call.h"

struct _TrvRecentCall {
  GObject parent_instance;
  gchar *uri;
  gchar *name;
  gboolean incoming;
  gint64 time;
  double duration;
  TrvRecentOutcome outcome;
  gboolean echo_test;
};

G_DEFINE_FINAL_TYPE (TrvRecentCall, trv_recent_call, G_TYPE_OBJECT)

TrvRecentCall *
trv_recent_call_new (const char *uri, const char *name, gboolean incoming, gint64 time,
                     double duration_s, TrvRecentOutcome outcome, gboolean echo_test)
{
  g_return_val_if_fail (uri != NULL, NULL);
  TrvRecentCall *self = g_object_new (TRV_TYPE_RECENT_CALL, NULL);
  self->uri = g_strdup (uri);
  self->name = name && *name ? g_strdup (name) : NULL;
  self->incoming = incoming;
  self->time = time;
  self->duration = MAX (duration_s, 0.0);
  self->outcome = outcome;
  self->echo_test = echo_test;
  return self;
}

const char *trv_recent_call_get_uri (TrvRecentCall *self) { return self->uri; }
const char *trv_recent_call_get_name (TrvRecentCall *self) { return self->name; }
gboolean trv_recent_call_get_incoming (TrvRecentCall *self) { return self->incoming; }
gint64 trv_recent_call_get_time (TrvRecentCall *self) { return self->time; }
double trv_recent_call_get_duration (TrvRecentCall *self) { return self->duration; }
TrvRecentOutcome trv_recent_call_get_outcome (TrvRecentCall *self) { return self->outcome; }
gboolean trv_recent_call_get_echo_test (TrvRecentCall *self) { return self->echo_test; }

static void
trv_recent_call_finalize (GObject *object)
{
  TrvRecentCall *self = TRV_RECENT_CALL (object);
  g_free (self->uri);
  g_free (self->name);
  G_OBJECT_CLASS (trv_recent_call_parent_class)->finalize (object);
}

static void
trv_recent_call_class_init (TrvRecentCallClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trv_recent_call_finalize;
}

static void
trv_recent_call_init (TrvRecentCall *self)
{
}

TrvRecentOutcome
trv_recent_outcome_of_call (TrvCall *call, gboolean was_active)
{
  gboolean incoming = trv_call_get_direction (call) == TRV_CALL_DIRECTION_INCOMING;
  if (was_active)
    return TRV_RECENT_OUTCOME_ANSWERED;
  switch (trv_call_get_end_reason (call))
    {
    case TRV_CALL_END_DECLINED:
      return TRV_RECENT_OUTCOME_DECLINED;
    case TRV_CALL_END_CANCELLED:
      return incoming ? TRV_RECENT_OUTCOME_MISSED : TRV_RECENT_OUTCOME_CANCELLED;
    case TRV_CALL_END_REJECTED:
      return TRV_RECENT_OUTCOME_REJECTED;
    default:
      return incoming ? TRV_RECENT_OUTCOME_MISSED : TRV_RECENT_OUTCOME_FAILED;
    }
}
