/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ice-release.c: closing libnice agents so that their TURN allocations are given
 * back, and waiting for that before the process exits. */
#include "trv-ice-transport-private.h"

/* Agents still giving back their TURN allocations, and who waits for that: the
 * Refresh with lifetime 0 only leaves while the main loop runs, so a process about to
 * exit waits (bounded) with trv_ice_transport_wait_released_async(). Main context only. */
static guint pending_closes;
static GSList *release_waiters;   /* GTask*, task data: the timeout source id */

static void
release_waiter_done (GTask *task)
{
  release_waiters = g_slist_remove (release_waiters, task);
  guint timeout = GPOINTER_TO_UINT (g_task_get_task_data (task));
  if (timeout)
    g_source_remove (timeout);
  g_task_set_task_data (task, NULL, NULL);
  g_task_return_boolean (task, pending_closes == 0);
  g_object_unref (task);
}

static gboolean
on_release_wait_timeout (gpointer data)
{
  GTask *task = data;
  g_task_set_task_data (task, NULL, NULL);   /* the source is going away by itself */
  release_waiter_done (task);
  return G_SOURCE_REMOVE;
}

void
trv_ice_transport_wait_released_async (guint timeout_ms, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_ice_transport_wait_released_async);
  if (pending_closes == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, GUINT_TO_POINTER (g_timeout_add (timeout_ms,
                                                               on_release_wait_timeout,
                                                               task)), NULL);
  release_waiters = g_slist_prepend (release_waiters, task);
}

gboolean
trv_ice_transport_wait_released_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_agent_closed (GObject *source, GAsyncResult *result, gpointer data)
{
  /* TURN allocations are released (refresh with lifetime 0); drop the last reference. */
  g_object_unref (source);
  if (--pending_closes == 0)
    while (release_waiters)
      release_waiter_done (release_waiters->data);
}

void
_trv_ice_release_agent (NiceAgent *agent)
{
  pending_closes++;
  nice_agent_close_async (agent, on_agent_closed, NULL);
}
