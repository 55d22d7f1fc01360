/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-transfer.c: transfer on the desktop. app.transfer-call hands the current
 * call over, blind or after consulting the target: the consultation becomes the current
 * call with the original held beside it (the call-waiting rows and Switch), and
 * app.complete-transfer then hands the original over to the target. Calls a transfer
 * brings us (the peer transferred us; an INVITE with Replaces took a call over) take the
 * place of the call they follow. The core does the SIP (trv-call-transfer.c,
 * trv-call-attended.c, trv-user-agent-attended.c). */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-application-private.h"
#include "trv-error.h"

/* The agent @call belongs to (the first account's or another's), or NULL. */
static TrvUserAgent *
agent_of (TrvApplication *self, TrvCall *call)
{
  TrvUserAgent *agent = _trv_application_get_agent (self);
  if (agent && g_list_find (trv_user_agent_get_calls (agent), call))
    return agent;
  for (guint i = 0; i < _trv_application_get_n_extra_accounts (self); i++)
    {
      agent = _trv_application_get_extra_agent (self, i);
      if (agent && g_list_find (trv_user_agent_get_calls (agent), call))
        return agent;
    }
  return NULL;
}

static void
tell (TrvApplication *self, const char *text)
{
  TrvWindow *window = _trv_application_get_main_window (self);
  if (window)
    trv_window_show_message (window, text);
  else
    g_message ("%s", text);
}

/* A contact's name for @address, else the address itself. */
static gchar *
party_name (TrvApplication *self, const char *address)
{
  gchar *name = _trv_application_dup_contact_name (self, address);
  return name ? name : g_strdup (address);
}

static gboolean
fail (GError **error, const GError *local)
{
  /* Translators: %s is the reason from the SIP engine (translated, lower case). */
  g_set_error (error, TRV_ERROR, local->code, _("Cannot transfer: %s"), local->message);
  return FALSE;
}

/* ---- the calls a transfer brings ----------------------------------------------------- */

/* @next takes the place of @call: as the current call (shown at once), or as the held one. */
static void
take_place (TrvApplication *self, TrvCall *call, TrvCall *next)
{
  _trv_application_watch_call (self, next);
  if (call == _trv_application_get_current_call (self))
    {
      g_autoptr(TrvCall) previous = _trv_application_replace_current (self, next);
      _trv_application_update_actions (self);
      g_signal_emit_by_name (self, "call-started", next);
    }
  else if (call == _trv_application_get_held_call (self))
    _trv_application_set_held_call (self, agent_of (self, next), next);
}

static void
on_call_transferred (TrvCall *call, const char *target, TrvCall *next, TrvApplication *self)
{
  /* NULL: ours went through, and the call ends (with it a consultation). */
  if (next == NULL)
    {
      g_autofree gchar *name = party_name (self, target);
      /* Translators: %s is a name or SIP address. */
      g_autofree gchar *text = g_strdup_printf (_("Call transferred to %s"), name);
      tell (self, text);
      return;
    }
  g_debug ("call %s: transferred by the peer to %s", trv_call_get_remote_uri (call), target);
  take_place (self, call, next);
  g_autofree gchar *name = party_name (self, target);
  /* Translators: %s is a name or SIP address; the other side handed this call over to it. */
  g_autofree gchar *text = g_strdup_printf (_("Transferred to %s"), name);
  tell (self, text);
}

static void
on_call_replaced (TrvCall *call, TrvCall *next, TrvApplication *self)
{
  g_debug ("call %s: replaced by %s", trv_call_get_remote_uri (call),
           trv_call_get_remote_uri (next));
  take_place (self, call, next);
  g_autofree gchar *name = party_name (self, trv_call_get_remote_uri (next));
  /* Translators: %s is a name or SIP address: the person the call was handed over to us
   * from. */
  g_autofree gchar *text = g_strdup_printf (_("Call handed over: you are now talking to %s"),
                                            name);
  tell (self, text);
}

/* Every established call has been "call-started" (placed, answered, switched to). */
static void
on_call_started (TrvApplication *self, TrvCall *call, gpointer data)
{
  if (g_signal_handler_find (call, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                             on_call_transferred, self) != 0)
    return;
  g_signal_connect_object (call, "transferred", G_CALLBACK (on_call_transferred), self, 0);
  g_signal_connect_object (call, "replaced", G_CALLBACK (on_call_replaced), self, 0);
}

/* ---- our transfers ------------------------------------------------------------------- */

static gboolean
transfer_current (TrvApplication *self, const char *target, gboolean consult, GError **error)
{
  g_autoptr(GError) local = NULL;
  TrvCall *call = _trv_application_get_current_call (self);
  TrvUserAgent *agent = call ? agent_of (self, call) : NULL;
  if (agent == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE, _("There is no call to transfer."));
      return FALSE;
    }
  if (!consult)
    {
      if (!trv_user_agent_transfer (agent, call, target, &local))
        return fail (error, local);
      g_debug ("call %s: transferring to %s", trv_call_get_remote_uri (call), target);
      return TRUE;
    }
  /* The original waits in the held row: one held call at most, as with call waiting. */
  if (_trv_application_get_held_call (self) != NULL ||
      _trv_application_get_waiting_call (self) != NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("Cannot consult while another call waits or is on hold."));
      return FALSE;
    }
  TrvCall *consultation = trv_user_agent_consult (agent, call, target, &local);
  if (consultation == NULL)
    return fail (error, local);
  g_debug ("call %s: consulting %s", trv_call_get_remote_uri (call), target);
  _trv_application_watch_call (self, consultation);
  g_autoptr(TrvCall) original = _trv_application_replace_current (self, consultation);
  _trv_application_set_held_call (self, agent, original);
  g_signal_emit_by_name (self, "call-started", consultation);
  return TRUE;
}

/* The call being transferred when it and its consultation are the current and the held
 * call (either way round, after Switch); else NULL. */
static TrvCall *
consulted_pair (TrvApplication *self)
{
  TrvCall *held = _trv_application_get_held_call (self);
  TrvCall *current = _trv_application_get_current_call (self);
  if (held == NULL || current == NULL)
    return NULL;
  if (trv_call_get_consultation (held) == current)
    return held;
  return trv_call_get_consultation (current) == held ? current : NULL;
}

static gboolean
complete_transfer (TrvApplication *self, GError **error)
{
  g_autoptr(GError) local = NULL;
  TrvCall *original = consulted_pair (self);
  if (original == NULL)
    {
      g_set_error (error, TRV_ERROR, TRV_ERROR_INVALID_STATE,
                   _("There is no consulted call to transfer to."));
      return FALSE;
    }
  if (!trv_call_complete_transfer (original, &local))
    return fail (error, local);
  return TRUE;
}

static void
app_transfer_call (GSimpleAction *action, GVariant *param, gpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *target = NULL;
  gboolean consult = FALSE;
  g_variant_get (param, "(&sb)", &target, &consult);
  if (!transfer_current (data, target, consult, &error))
    tell (data, error->message);
}

static void
app_complete_transfer (GSimpleAction *action, GVariant *param, gpointer data)
{
  g_autoptr(GError) error = NULL;
  if (!complete_transfer (data, &error))
    tell (data, error->message);
}

static const GActionEntry transfer_actions[] = {
  { "transfer-call", app_transfer_call, "(sb)" },
  { "complete-transfer", app_complete_transfer },
};

void
_trv_application_add_transfer_actions (TrvApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), transfer_actions,
                                   G_N_ELEMENTS (transfer_actions), self);
  g_signal_connect (self, "call-started", G_CALLBACK (on_call_started), NULL);
}

void
_trv_application_update_transfer_actions (TrvApplication *self)
{
  GAction *complete = g_action_map_lookup_action (G_ACTION_MAP (self), "complete-transfer");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (complete), consulted_pair (self) != NULL);
}
