/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-direct.c: the address for direct calls stays the same across restarts
 * and settings changes. The main agent listens on the port of last time (GSettings
 * direct-port) while it is free; a new agent therefore waits until the agents it replaces
 * have let go of their ports. */
#include "config.h"

#include "trv-application-private.h"

static void
on_old_agent_shutdown (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TrvApplication) self = data;
  g_autoptr(GError) error = NULL;
  if (!trv_user_agent_shutdown_finish (TRV_USER_AGENT (source), result, &error))
    g_warning ("stopping the SIP agent: %s", error->message);
  g_object_unref (source);

  TrvDirectPort *direct = _trv_application_get_direct_port (self);
  if (--direct->retiring == 0 && direct->build_waiting)
    {
      g_debug ("the old SIP agents have stopped: starting the new one");
      direct->build_waiting = FALSE;
      _trv_application_restart_agent (self);
    }
}

void
_trv_application_retire_agent (TrvApplication *self, TrvUserAgent *old)
{
  g_signal_handlers_disconnect_by_data (old, self);
  _trv_application_get_direct_port (self)->retiring++;
  trv_user_agent_shutdown_async (old, NULL, on_old_agent_shutdown, g_object_ref (self));
}

guint16
_trv_application_remembered_port (TrvApplication *self)
{
  TrvSettings *settings = _trv_application_get_settings (self);
  return settings ? trv_settings_get_direct_port (settings) : 0;
}

void
_trv_application_note_listening (TrvApplication *self)
{
  TrvUserAgent *agent = _trv_application_get_agent (self);
  TrvSettings *settings = _trv_application_get_settings (self);
  guint16 port = agent ? trv_user_agent_get_local_port (agent) : 0;
  if (port == 0 || settings == NULL)
    return;
  guint16 before = trv_settings_get_direct_port (settings);
  if (before == port)
    return;
  /* The first port is news to nobody; a later change is (people may have the address). */
  if (before != 0)
    {
      g_debug ("port %u was taken: the address for direct calls moved to port %u",
               before, port);
      _trv_application_get_direct_port (self)->moved_from = before;
    }
  /* In a new home the first write starts dconf's service, beside the window's first
   * frame: it waits with the other start-up work (trv-application-deferred.c). */
  if (!_trv_application_get_deferred (self)->done)
    return;
  trv_settings_set_direct_port (settings, port);
}
