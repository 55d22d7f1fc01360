/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-problems.c: what went wrong, in plain words under the header bar, with the
 * action that helps and the technical detail in an expander: the first account's problem
 * (a failed registration, an agent that could not start) and the last failed call's. The
 * words and the action come from the core (TrvProblem), chosen on data. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-problem-bar.h"
#include "trv-window-private.h"

/* The account a problem is about: the first one, or the one calls go out from. */
static void
edit_account (TrvWindow *self, gboolean outgoing)
{
  g_auto(GStrv) addresses = _trv_application_dup_account_addresses (self->application);
  guint i = outgoing ? _trv_application_get_outgoing_index (self->application) : 0;

  if (addresses[0] == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "app.edit-account", "s",
                              addresses[i] ? addresses[i] : addresses[0]);
}

static void
on_registration_action (TrvProblemBar *bar, gint action, TrvWindow *self)
{
  g_debug ("registration problem: action %d", action);
  switch (action)
    {
    case TRV_PROBLEM_ACTION_EDIT_ACCOUNT:
      edit_account (self, FALSE);
      break;
    case TRV_PROBLEM_ACTION_TRY_AGAIN:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.retry-registration", NULL);
      break;
    case TRV_PROBLEM_ACTION_NETWORK_SETTINGS:
      gtk_widget_activate_action (GTK_WIDGET (self), "app.network-settings", NULL);
      break;
    default:
      break;
    }
}

static void
on_call_action (TrvProblemBar *bar, gint action, TrvWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_debug ("call problem: action %d", action);
  switch (action)
    {
    case TRV_PROBLEM_ACTION_EDIT_ACCOUNT:
      edit_account (self, TRUE);
      break;
    case TRV_PROBLEM_ACTION_NETWORK_SETTINGS:
      gtk_widget_activate_action (GTK_WIDGET (self), "app.network-settings", NULL);
      break;
    case TRV_PROBLEM_ACTION_TRY_AGAIN:
      {
        g_autofree gchar *uri = g_strdup (self->problem_call_uri);
        TrvCall *call = self->problem_call_echo
                        ? _trv_application_start_echo_test (self->application, &error)
                        : uri ? _trv_application_dial (self->application, uri, &error) : NULL;
        if (call == NULL && error)
          trv_window_show_message (self, error->message);
        break;
      }
    default:
      break;
    }
}

void
_trv_window_setup_problems (TrvWindow *self)
{
  GtkWidget *anchor = GTK_WIDGET (self->announce_revealer);
  GtkBox *box = GTK_BOX (gtk_widget_get_parent (anchor));

  /* Built here rather than in the template: the bars go under the announcement,
   * whatever the layout below them. */
  self->registration_problem = TRV_PROBLEM_BAR (trv_problem_bar_new (FALSE));
  self->call_problem = TRV_PROBLEM_BAR (trv_problem_bar_new (TRUE));
  gtk_box_insert_child_after (box, GTK_WIDGET (self->call_problem), anchor);
  gtk_box_insert_child_after (box, GTK_WIDGET (self->registration_problem), anchor);
  g_signal_connect (self->registration_problem, "action", G_CALLBACK (on_registration_action),
                    self);
  g_signal_connect (self->call_problem, "action", G_CALLBACK (on_call_action), self);
}

static gboolean
same_problem (const TrvProblem *a, const TrvProblem *b)
{
  return a && b && a->action == b->action && g_strcmp0 (a->text, b->text) == 0 &&
         g_strcmp0 (a->detail, b->detail) == 0;
}

void
_trv_window_update_registration_problem (TrvWindow *self, gboolean starting)
{
  TrvUserAgent *agent = _trv_application_get_agent (self->application);
  const GError *agent_error = _trv_application_get_agent_error (self->application);
  const TrvProblem *shown = trv_problem_bar_get_problem (self->registration_problem);
  g_autoptr(TrvProblem) problem = NULL;

  if (agent == NULL && !starting && agent_error)
    problem = trv_problem_new_for_start (agent_error);
  else if (agent)
    switch (trv_user_agent_get_registration_state (agent))
      {
      case TRV_REGISTRATION_FAILED:
        problem = trv_problem_new_for_registration (trv_user_agent_get_registration_error (agent));
        break;
      case TRV_REGISTRATION_REGISTERING:
        /* The automatic retry: the problem stands until it succeeds (and the detail
         * someone is reading stays open). */
        if (shown)
          return;
        break;
      default:
        break;
      }
  /* The same problem again (each retry fails alike) leaves the bar as it is. */
  if (problem == NULL ? shown == NULL : same_problem (problem, shown))
    return;
  trv_problem_bar_set_problem (self->registration_problem, problem);
}

void
_trv_window_show_call_problem (TrvWindow *self, TrvCall *call)
{
  g_autoptr(TrvProblem) problem = call ? trv_problem_new_for_call (call) : NULL;

  g_clear_pointer (&self->problem_call_uri, g_free);
  if (problem)
    {
      self->problem_call_uri = g_strdup (trv_call_get_remote_uri (call));
      self->problem_call_echo = _trv_application_is_echo_uri (self->application,
                                                              self->problem_call_uri);
    }
  trv_problem_bar_set_problem (self->call_problem, problem);
}
