/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-echo-endpoint.c: a second user agent on loopback that answers every call and
 * sends the decoded audio straight back, so the caller hears the full SIP + RTP path. */
#include "config.h"

#include "trv-echo-endpoint.h"
#include "trv-user-agent.h"
#include "trv-error.h"
#include <glib/gi18n-lib.h>

struct _TrvEchoEndpoint {
  GObject parent_instance;
  TrvUserAgent *agent;
  gchar *uri;
};

G_DEFINE_FINAL_TYPE (TrvEchoEndpoint, trv_echo_endpoint, G_TYPE_OBJECT)

TrvEchoEndpoint *
trv_echo_endpoint_new (const TrvMediaConfig *media)
{
  TrvEchoEndpoint *self = g_object_new (TRV_TYPE_ECHO_ENDPOINT, NULL);
  self->agent = trv_user_agent_new (NULL, NULL, media);
  g_autoptr(TrvMediaOptions) options = trv_media_options_new ();
  options->echo = TRUE;
  options->jitter_ms = media ? media->jitter_ms : TRV_DEFAULT_JITTER_MS;
  trv_user_agent_set_media_options (self->agent, options);
  trv_user_agent_set_auto_answer (self->agent, TRUE);
  return self;
}

gboolean
trv_echo_endpoint_start (TrvEchoEndpoint *self, GError **error)
{
  g_return_val_if_fail (TRV_IS_ECHO_ENDPOINT (self), FALSE);
  if (!trv_user_agent_start (self->agent, "127.0.0.1", error))
    {
      g_prefix_error (error, _("cannot start the echo test: "));
      return FALSE;
    }
  /* The contact is sip:traverse@127.0.0.1:PORT; callers dial the "echo" user. */
  const char *contact = trv_user_agent_get_contact_uri (self->agent);
  const char *at = strchr (contact, '@');
  self->uri = g_strconcat ("sip:echo", at, NULL);
  return TRUE;
}

const char *
trv_echo_endpoint_get_uri (TrvEchoEndpoint *self)
{
  g_return_val_if_fail (TRV_IS_ECHO_ENDPOINT (self), NULL);
  return self->uri;
}

static void
on_agent_shutdown (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  if (!trv_user_agent_shutdown_finish (TRV_USER_AGENT (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
trv_echo_endpoint_shutdown_async (TrvEchoEndpoint *self, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_return_if_fail (TRV_IS_ECHO_ENDPOINT (self));
  GTask *task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, trv_echo_endpoint_shutdown_async);
  trv_user_agent_shutdown_async (self->agent, NULL, on_agent_shutdown, task);
}

gboolean
trv_echo_endpoint_shutdown_finish (TrvEchoEndpoint *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
trv_echo_endpoint_dispose (GObject *object)
{
  TrvEchoEndpoint *self = TRV_ECHO_ENDPOINT (object);
  g_clear_object (&self->agent);
  G_OBJECT_CLASS (trv_echo_endpoint_parent_class)->dispose (object);
}

static void
trv_echo_endpoint_finalize (GObject *object)
{
  TrvEchoEndpoint *self = TRV_ECHO_ENDPOINT (object);
  g_free (self->uri);
  G_OBJECT_CLASS (trv_echo_endpoint_parent_class)->finalize (object);
}

static void
trv_echo_endpoint_class_init (TrvEchoEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = trv_echo_endpoint_dispose;
  object_class->finalize = trv_echo_endpoint_finalize;
}

static void
trv_echo_endpoint_init (TrvEchoEndpoint *self)
{
}
