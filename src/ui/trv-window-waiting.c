/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-waiting.c: the calls beside the current one (call waiting) in the window:
 * rows above the call view, and what is announced about them. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-window-private.h"

/* Call waiting: a call ringing beside the current one (announced) and a held one, each
 * in a row above the call view. */
void
_trv_window_other_calls_changed (TrvWindow *self)
{
  TrvApplication *application = self->application;
  TrvCall *held = _trv_application_get_held_call (application);
  TrvCall *waiting = _trv_application_get_waiting_call (application);
  if (held == NULL && waiting == NULL && self->call_view == NULL)
    return;   /* no rows to empty: the page was never built */
  _trv_window_ensure_call_page (self);
  g_autofree gchar *held_name = held ? _trv_application_dup_caller_name (application, held)
                                     : NULL;
  g_autofree gchar *name = waiting ? _trv_application_dup_caller_name (application, waiting)
                                   : NULL;
  trv_call_waiting_row_set_call (self->held_row, held, held_name);
  if (held != NULL && held != self->shown_held)
    {
      /* Translators: %s is a name or SIP address. */
      g_autofree gchar *text = g_strdup_printf (_("%s is on hold"),
                                                held_name ? held_name : trv_call_get_remote_uri (held));
      _trv_window_announce (self, text);
    }
  g_set_object (&self->shown_held, held);
  if (waiting == self->shown_waiting)
    return;
  g_set_object (&self->shown_waiting, waiting);
  trv_call_waiting_row_set_call (self->waiting_row, waiting, name);
  if (waiting == NULL)
    return;
  /* Translators: %s is the caller's name or SIP address. */
  g_autofree gchar *text = g_strdup_printf (_("Call waiting from %s"),
                                            name ? name : trv_call_get_remote_uri (waiting));
  _trv_window_announce (self, text);
}

gchar *
_trv_window_describe_call_state (TrvWindow *self, TrvCall *call)
{
  g_autofree gchar *words = trv_call_describe_state (call);
  TrvCall *held = _trv_application_get_held_call (self->application);
  if (held == NULL || held == call || trv_call_get_state (call) != TRV_CALL_STATE_ACTIVE)
    return g_steal_pointer (&words);
  /* Connected to one call, the other held: the announcement says both. */
  g_autofree gchar *name = _trv_application_dup_caller_name (self->application, held);
  gsize len = strlen (words);
  if (len > 0 && words[len - 1] == '.')
    words[len - 1] = '\0';
  /* Translators: the first %s says how the call stands ("Connected"), the second is the
   * name or SIP address of the held call. */
  return g_strdup_printf (_("%s. %s is on hold"), words,
                          name ? name : trv_call_get_remote_uri (held));
}
