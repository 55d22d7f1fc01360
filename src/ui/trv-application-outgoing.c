/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-outgoing.c: which account an outgoing call goes out from. With two or
 * more accounts the user picks one in the main window ("Call from"); the choice holds for
 * the session (across agent restarts) and is kept by address, so it follows the account
 * when the Preferences reorder or remove others. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-application-private.h"
#include "trv-error.h"
#include "trv-problem.h"

GStrv
_trv_application_dup_account_addresses (TrvApplication *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *first = _trv_application_get_account_address (self);
  guint n = _trv_application_get_n_extra_accounts (self);

  if (first == NULL)
    return g_strv_builder_end (builder);
  g_strv_builder_add (builder, first);
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, _trv_application_get_extra_address (self, i));
  return g_strv_builder_end (builder);
}

/* The index of the chosen account among _trv_application_dup_account_addresses(): 0 (the
 * first) when nothing was chosen or the chosen account is no longer configured. */
guint
_trv_application_get_outgoing_index (TrvApplication *self)
{
  const char *chosen = _trv_application_get_outgoing_account (self);
  guint n = _trv_application_get_n_extra_accounts (self);

  if (chosen == NULL || _trv_application_get_account_address (self) == NULL)
    return 0;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (_trv_application_get_extra_address (self, i), chosen) == 0)
      return i + 1;
  return 0;
}

static TrvUserAgent *
chosen_agent (TrvApplication *self, guint index, const GError **start_error,
              const char **address)
{
  if (index == 0)
    {
      *start_error = _trv_application_get_agent_error (self);
      *address = _trv_application_get_account_address (self);
      return _trv_application_get_agent (self);
    }
  *start_error = _trv_application_get_extra_error (self, index - 1);
  *address = _trv_application_get_extra_address (self, index - 1);
  return _trv_application_get_extra_agent (self, index - 1);
}

gboolean
_trv_application_outgoing_is_settling (TrvApplication *self)
{
  const GError *start_error;
  const char *address;

  if (_trv_application_get_n_extra_accounts (self) == 0)
    {
      /* Its domain (or registrar) still being looked up: "started" follows. */
      TrvUserAgent *agent = _trv_application_get_agent (self);
      return agent != NULL && trv_user_agent_get_contact_uri (agent) == NULL &&
             trv_user_agent_get_registration_state (agent) != TRV_REGISTRATION_FAILED;
    }
  TrvUserAgent *agent = chosen_agent (self, _trv_application_get_outgoing_index (self),
                                      &start_error, &address);
  if (agent == NULL)
    return start_error == NULL;
  TrvRegistrationState state = trv_user_agent_get_registration_state (agent);
  if (state == TRV_REGISTRATION_DISABLED)
    return trv_user_agent_get_contact_uri (agent) == NULL;
  return state == TRV_REGISTRATION_UNREGISTERED || state == TRV_REGISTRATION_REGISTERING;
}

/* The agent a call to a peer goes out through. With a single account (or none) that is
 * the first agent, as ever: it dials even while unregistered (direct calls). With a choice,
 * the chosen account must run and be registered (or not register at all, register =
 * false): a call never silently leaves from another account than the one shown. */
TrvUserAgent *
_trv_application_get_outgoing_agent (TrvApplication *self, GError **error)
{
  guint index = _trv_application_get_outgoing_index (self);
  TrvUserAgent *agent;
  const GError *start_error;
  const char *address;

  if (_trv_application_get_n_extra_accounts (self) == 0)
    return _trv_application_get_agent (self);
  agent = chosen_agent (self, index, &start_error, &address);

  if (agent == NULL)
    {
      g_autoptr(TrvProblem) problem = start_error ? trv_problem_new_for_start (start_error)
                                                  : NULL;
      /* Translators: the first %s is a SIP address, the second what is wrong and what to
       * do, in a sentence or two. */
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE, _("Cannot call from %s: %s"),
                   address, problem ? problem->text : _("the account is still starting"));
      return NULL;
    }
  switch (trv_user_agent_get_registration_state (agent))
    {
    case TRV_REGISTRATION_REGISTERED:
    case TRV_REGISTRATION_DISABLED:
      return agent;
    case TRV_REGISTRATION_FAILED:
      /* Why is on the account's own row, in words. */
      /* Translators: %s is a SIP address. */
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   _("Cannot call from %s: it is not registered. Choose another account "
                     "under “Call from”."), address);
      return NULL;
    default:
      /* Translators: %s is a SIP address. */
      g_set_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                   _("Cannot call from %s: it is not registered yet. Wait a moment or "
                     "choose another account under “Call from”."), address);
      return NULL;
    }
}
