/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-problems.c: what went wrong, in plain words under the header bar, with the
 * action that helps and the technical detail behind a Details toggle: an account's problem
 * (a failed registration, an agent that could not start; the first account first, named
 * when there are several) and the last failed call's. The
 * words and the action come from the core (TrvProblem), chosen on data. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-problem-bar.h"
#include "trv-window-private.h"

/* Account i of _trv_application_dup_account_addresses() (0: the first). */
static void
edit_account (TrvWindow *self, guint i)
{
  g_auto(GStrv) addresses = _trv_application_dup_account_addresses (self->application);

  if (i >= g_strv_length (addresses))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "app.edit-account", "s", addresses[i]);
}

static void
on_registration_action (TrvProblemBar *bar, gint action, TrvWindow *self)
{
  guint i = self->problem_account;

  g_debug ("registration problem of account %u: action %d", i, action);
  switch (action)
    {
    case TRV_PROBLEM_ACTION_EDIT_ACCOUNT:
      edit_account (self, i);
      break;
    case TRV_PROBLEM_ACTION_TRY_AGAIN:
      if (i == 0)
        gtk_widget_activate_action (GTK_WIDGET (self), "win.retry-registration", NULL);
      else if (i - 1 < _trv_application_get_n_extra_accounts (self->application) &&
               _trv_application_get_extra_agent (self->application, i - 1))
        trv_user_agent_retry_registration (_trv_application_get_extra_agent (self->application,
                                                                             i - 1));
      else
        _trv_application_restart_agent (self->application);   /* rebuilds them all */
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
      edit_account (self, _trv_application_get_outgoing_index (self->application));
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

/* Account i's problem (0: the first), NULL when it has none; *registering: it is
 * registering (again). */
static TrvProblem *
account_problem (TrvWindow *self, guint i, gboolean starting, gboolean *registering)
{
  TrvApplication *app = self->application;
  TrvUserAgent *agent = i == 0 ? _trv_application_get_agent (app)
                        : _trv_application_get_extra_agent (app, i - 1);
  const GError *error = i == 0 ? _trv_application_get_agent_error (app)
                        : _trv_application_get_extra_error (app, i - 1);

  *registering = FALSE;
  if (agent == NULL)
    return (i > 0 || !starting) && error ? trv_problem_new_for_start (error) : NULL;
  switch (trv_user_agent_get_registration_state (agent))
    {
    case TRV_REGISTRATION_FAILED:
      return trv_problem_new_for_registration (trv_user_agent_get_registration_error (agent));
    case TRV_REGISTRATION_REGISTERING:
      *registering = TRUE;
      return NULL;
    default:
      return NULL;
    }
}

/* The first account with a problem, the first account first. */
void
_trv_window_update_registration_problem (TrvWindow *self, gboolean starting)
{
  guint n = 1 + _trv_application_get_n_extra_accounts (self->application);
  const TrvProblem *shown = trv_problem_bar_get_problem (self->registration_problem);
  g_autoptr(TrvProblem) problem = NULL;
  guint which = 0;

  for (guint i = 0; i < n && problem == NULL; i++)
    {
      gboolean registering;
      problem = account_problem (self, i, starting, &registering);
      /* The automatic retry of the account shown: its problem stands until it succeeds
       * (and the detail someone is reading stays open). */
      if (problem == NULL && registering && shown && i == self->problem_account)
        return;
      which = i;
    }
  /* The same problem again (each retry fails alike) leaves the bar as it is. */
  if (problem == NULL ? shown == NULL
                      : which == self->problem_account && same_problem (problem, shown))
    return;
  self->problem_account = which;
  g_auto(GStrv) addresses = _trv_application_dup_account_addresses (self->application);
  trv_problem_bar_set_subject (self->registration_problem,
                               problem && n > 1 && which < g_strv_length (addresses)
                               ? addresses[which] : NULL);
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
