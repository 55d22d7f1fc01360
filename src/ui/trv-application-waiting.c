/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-waiting.c: call waiting on the desktop. A call that comes while one is
 * up rings softly beside it (the waiting call); Answer holds the current call, End &
 * Answer hangs it up, Decline turns the caller away. The held call waits beside the
 * current one, and Switch swaps them. When the current call ends the held (else the
 * waiting) call takes its place. The core does the SIP (trv-user-agent-waiting.c). */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-application-private.h"
#include "trv-error.h"
#include "trv-ringer.h"

#define WAITING_KEY "trv-call-waiting"
/* The soft ring: a quarter of the ringtone's level. */
#define SOFT_RING_LEVEL 0.25

typedef struct {
  TrvCall *waiting;             /* ringing beside the current call */
  TrvCall *held;                /* put on hold for the current call */
  TrvUserAgent *agent;          /* the agent these calls belong to */
  TrvRinger *ringer;            /* the soft ring */
} Waiting;

static guint changed_signal;

static void
waiting_free (gpointer data)
{
  Waiting *w = data;
  if (w->ringer)
    trv_ringer_stop (w->ringer);
  g_clear_object (&w->ringer);
  g_clear_object (&w->waiting);
  g_clear_object (&w->held);
  g_clear_object (&w->agent);
  g_free (w);
}

static Waiting *
get_waiting (TrvApplication *self)
{
  Waiting *w = g_object_get_data (G_OBJECT (self), WAITING_KEY);
  if (w == NULL)
    {
      w = g_new0 (Waiting, 1);
      g_object_set_data_full (G_OBJECT (self), WAITING_KEY, w, waiting_free);
    }
  return w;
}

TrvCall *
_trv_application_get_waiting_call (TrvApplication *self)
{
  return get_waiting (self)->waiting;
}

TrvCall *
_trv_application_get_held_call (TrvApplication *self)
{
  return get_waiting (self)->held;
}

static void
changed (TrvApplication *self)
{
  Waiting *w = get_waiting (self);
  g_debug ("calls beside the current one: waiting %s, held %s",
           w->waiting ? trv_call_get_remote_uri (w->waiting) : "none",
           w->held ? trv_call_get_remote_uri (w->held) : "none");
  _trv_application_update_actions (self);
  g_signal_emit (self, changed_signal, 0);
}

static void
stop_soft_ring (TrvApplication *self, Waiting *w)
{
  if (w->ringer)
    trv_ringer_stop (w->ringer);
  g_application_withdraw_notification (G_APPLICATION (self), TRV_NOTIFICATION_INCOMING);
}

static void
send_waiting_notification (TrvApplication *self, TrvCall *call)
{
  _trv_application_send_call_notification (self, call, _("Call waiting"), "app.answer-waiting",
                                           "app.decline-waiting");
}

void
_trv_application_take_waiting (TrvApplication *self, TrvUserAgent *agent, TrvCall *call)
{
  Waiting *w = get_waiting (self);
  TrvCall *current = _trv_application_get_current_call (self);
  /* One call may ring beside the current one, on the same agent (it holds and answers
   * them): any other caller hears busy and the history shows it. */
  if (w->waiting != NULL || !trv_call_get_waiting (call) ||
      g_list_find (trv_user_agent_get_calls (agent), current) == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_debug ("call %s: busy (no room for another call)", trv_call_get_remote_uri (call));
      if (!trv_call_reject (call, 486, &error))
        g_warning ("cannot reject a second call: %s", error->message);
      return;
    }
  g_set_object (&w->agent, agent);
  if (w->ringer == NULL)
    {
      const TrvAudioSettings *audio = _trv_application_get_audio_settings (self);
      w->ringer = trv_ringer_new ();
      trv_ringer_set_sink (w->ringer, audio ? audio->output_device : NULL);
      trv_ringer_set_level (w->ringer, SOFT_RING_LEVEL);
    }
  trv_ringer_start (w->ringer);
  send_waiting_notification (self, call);
  g_set_object (&w->waiting, call);
  changed (self);
}

/* A call that is not the current one ended (a waiting caller gave up or was declined, a
 * held one hung up, or the call End & Answer ended). */
void
_trv_application_other_ended (TrvApplication *self, TrvCall *call)
{
  Waiting *w = get_waiting (self);
  if (call == w->waiting)
    {
      stop_soft_ring (self, w);
      g_clear_object (&w->waiting);
    }
  else if (call == w->held)
    g_clear_object (&w->held);
  else
    return;
  changed (self);
}

/* The current call has ended: the held call takes its place (still held), else the
 * waiting one, which then rings as an ordinary incoming call. TRUE when one did. */
gboolean
_trv_application_other_takes_over (TrvApplication *self)
{
  Waiting *w = get_waiting (self);
  gboolean ringing = w->held == NULL;
  TrvCall **slot = ringing ? &w->waiting : &w->held;
  g_autoptr(TrvCall) call = g_steal_pointer (slot);
  if (call == NULL)
    return FALSE;
  g_debug ("call %s: takes the place of the ended call", trv_call_get_remote_uri (call));
  if (ringing)
    stop_soft_ring (self, w);
  g_autoptr(TrvCall) ended = _trv_application_replace_current (self, call);
  changed (self);
  if (ringing)
    _trv_application_ring (self, call);
  else
    g_signal_emit_by_name (self, "call-started", call);
  return TRUE;
}

static gboolean
fail_answer (GError **error, const GError *local)
{
  /* Translators: %s is the reason from the SIP engine (translated, lower case). */
  g_set_error (error, TRV_ERROR, local->code, _("Cannot answer: %s"), local->message);
  return FALSE;
}

/* `end_current`: End & Answer (else the current call is held, when no call is held
 * yet: two calls up at most). */
gboolean
_trv_application_answer_waiting (TrvApplication *self, gboolean end_current, GError **error)
{
  Waiting *w = get_waiting (self);
  g_autoptr(GError) local = NULL;
  if (w->waiting == NULL || trv_call_get_state (w->waiting) != TRV_CALL_STATE_INCOMING ||
      (!end_current && w->held != NULL))
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE, _("There is no call to answer."));
      return FALSE;
    }
  g_autoptr(TrvCall) call = g_object_ref (w->waiting);
  /* Holding fails while a hold or resume is under way: then nothing has changed. */
  if (!end_current && !trv_user_agent_hold_and_answer (w->agent, call, &local))
    return fail_answer (error, local);
  g_clear_object (&w->waiting);
  stop_soft_ring (self, w);
  /* The current call is replaced first: the one End & Answer ends is then not the
   * current call ending. */
  g_autoptr(TrvCall) previous = _trv_application_replace_current (self, call);
  if (!end_current)
    g_set_object (&w->held, previous);
  changed (self);
  g_signal_emit_by_name (self, "call-started", call);
  if (end_current && !trv_user_agent_end_and_answer (w->agent, call, &local))
    return fail_answer (error, local);
  g_debug ("call %s: answered (%s)", trv_call_get_remote_uri (call),
           end_current ? "the other ended" : "the other held");
  return TRUE;
}

void
_trv_application_decline_waiting (TrvApplication *self)
{
  Waiting *w = get_waiting (self);
  g_autoptr(GError) error = NULL;
  if (w->waiting == NULL || trv_call_get_state (w->waiting) != TRV_CALL_STATE_INCOMING)
    return;
  stop_soft_ring (self, w);
  /* 603 Decline, like the incoming view's Decline. */
  if (!trv_call_reject (w->waiting, 603, &error))
    g_warning ("cannot decline: %s", error->message);
}

gboolean
_trv_application_switch_calls (TrvApplication *self, GError **error)
{
  Waiting *w = get_waiting (self);
  g_autoptr(GError) local = NULL;
  if (w->held == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE, _("There is no call on hold."));
      return FALSE;
    }
  if (!trv_user_agent_switch_to (w->agent, w->held, &local))
    {
      /* Translators: %s is the reason from the SIP engine (translated, lower case). */
      g_set_error (error, TRV_ERROR, local->code, _("Cannot switch calls: %s"), local->message);
      return FALSE;
    }
  g_autoptr(TrvCall) call = g_steal_pointer (&w->held);
  w->held = _trv_application_replace_current (self, call);
  changed (self);
  g_signal_emit_by_name (self, "call-started", call);
  return TRUE;
}

void
_trv_application_set_held_call (TrvApplication *self, TrvUserAgent *agent, TrvCall *call)
{
  Waiting *w = get_waiting (self);
  g_set_object (&w->agent, agent);
  g_set_object (&w->held, call);
  changed (self);
}

/* ---- actions (the call view's waiting row and the notification) ------------------------- */

static void
report (TrvApplication *self, const GError *error)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (TRV_IS_WINDOW (window))
    trv_window_show_message (TRV_WINDOW (window), error->message);
  else
    g_warning ("%s", error->message);
}

static void
app_answer_waiting (GSimpleAction *action, GVariant *param, gpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!_trv_application_answer_waiting (data, FALSE, &error))
    report (data, error);
}

static void
app_end_and_answer (GSimpleAction *action, GVariant *param, gpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!_trv_application_answer_waiting (data, TRUE, &error))
    report (data, error);
}

static void
app_decline_waiting (GSimpleAction *action, GVariant *param, gpointer data)
{
  _trv_application_decline_waiting (data);
}

static void
app_switch_call (GSimpleAction *action, GVariant *param, gpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!_trv_application_switch_calls (data, &error))
    report (data, error);
}

static const GActionEntry waiting_actions[] = {
  { "answer-waiting", app_answer_waiting },
  { "end-and-answer", app_end_and_answer },
  { "decline-waiting", app_decline_waiting },
  { "switch-call", app_switch_call },
};

void
_trv_application_add_waiting_actions (TrvApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), waiting_actions,
                                   G_N_ELEMENTS (waiting_actions), self);
}

void
_trv_application_update_waiting_actions (TrvApplication *self)
{
  Waiting *w = get_waiting (self);
  gboolean ringing = w->waiting && trv_call_get_state (w->waiting) == TRV_CALL_STATE_INCOMING;
  struct { const char *name; gboolean enabled; } states[] = {
    { "answer-waiting", ringing && w->held == NULL },
    { "end-and-answer", ringing },
    { "decline-waiting", ringing },
    { "switch-call", w->held != NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    g_simple_action_set_enabled (
      G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), states[i].name)),
      states[i].enabled);
}

void
_trv_application_waiting_class_init (GObjectClass *klass)
{
  changed_signal = g_signal_new ("other-calls-changed", G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}
