/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-background.c: staying reachable with the window closed, and starting at login. */
#include "config.h"

#include "trv-background.h"
#include "trv-error.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#define PORTAL_BUS "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_BACKGROUND "org.freedesktop.portal.Background"
#define PORTAL_REQUEST "org.freedesktop.portal.Request"
/* The user may take a while to answer the portal's question. */
#define PORTAL_TIMEOUT_MS (5 * 60 * 1000)

struct _TrvBackground {
  GObject parent_instance;
  GApplication *application;   /* not a reference: it owns us */
  gboolean reachable;          /* holding the application */
};

G_DEFINE_FINAL_TYPE (TrvBackground, trv_background, G_TYPE_OBJECT)

void
trv_background_set_reachable (TrvBackground *self, gboolean reachable)
{
  g_return_if_fail (TRV_IS_BACKGROUND (self));
  reachable = !!reachable;
  if (reachable == self->reachable)
    return;
  self->reachable = reachable;
  if (reachable)
    g_application_hold (self->application);
  else
    g_application_release (self->application);
  g_debug ("background: %s", reachable ? "an account is set up, running without a window too"
                                       : "no account, quitting with the last window");
}

gboolean
trv_background_get_reachable (TrvBackground *self)
{
  g_return_val_if_fail (TRV_IS_BACKGROUND (self), FALSE);
  return self->reachable;
}

char *
trv_background_dup_autostart_path (TrvBackground *self)
{
  g_return_val_if_fail (TRV_IS_BACKGROUND (self), NULL);
  const char *id = g_application_get_application_id (self->application);
  g_autofree gchar *name = g_strconcat (id, ".desktop", NULL);
  return g_build_filename (g_get_user_config_dir (), "autostart", name, NULL);
}

static gboolean
write_autostart (TrvBackground *self, gboolean enable, GError **error)
{
  g_autofree gchar *path = trv_background_dup_autostart_path (self);
  if (!enable)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;
          g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED,
                       _("Cannot remove %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      g_debug ("autostart: removed %s", path);
      return TRUE;
    }
  g_autofree gchar *dir = g_path_get_dirname (path);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  const char *group = G_KEY_FILE_DESKTOP_GROUP;
  g_key_file_set_string (kf, group, G_KEY_FILE_DESKTOP_KEY_TYPE, "Application");
  g_key_file_set_string (kf, group, G_KEY_FILE_DESKTOP_KEY_NAME, "Traverse");
  g_key_file_set_string (kf, group, G_KEY_FILE_DESKTOP_KEY_ICON,
                         g_application_get_application_id (self->application));
  /* A service start: registered and ringing, but no window until the user opens one. */
  g_key_file_set_string (kf, group, G_KEY_FILE_DESKTOP_KEY_EXEC,
                         "traverse --gapplication-service");
  g_key_file_set_boolean (kf, group, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (kf, group, "X-GNOME-Autostart-enabled", TRUE);
  g_autofree gchar *data = g_key_file_to_data (kf, NULL, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, TRV_ERROR, TRV_ERROR_FAILED, _("Cannot create %s: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  if (!g_file_set_contents (path, data, -1, error))
    return FALSE;
  g_debug ("autostart: wrote %s", path);
  return TRUE;
}

/* Inside a Flatpak the autostart folder is the sandbox's own: only the portal can ask the
 * desktop. TRAVERSE_BACKGROUND_PORTAL=1 uses it outside one too (tests, other sandboxes). */
static gboolean
use_portal (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
         g_strcmp0 (g_getenv ("TRAVERSE_BACKGROUND_PORTAL"), "1") == 0;
}

typedef struct {
  GDBusConnection *bus;
  guint response_id;
  gboolean enable;
} PortalCall;

static void
portal_call_free (PortalCall *call)
{
  if (call->response_id)
    g_dbus_connection_signal_unsubscribe (call->bus, call->response_id);
  g_clear_object (&call->bus);
  g_free (call);
}

static void
on_portal_response (GDBusConnection *bus, const char *sender, const char *path,
                    const char *iface, const char *signal, GVariant *params, gpointer data)
{
  GTask *task = data;
  PortalCall *call = g_task_get_task_data (task);
  guint32 response = 2;
  g_autoptr(GVariant) results = NULL;
  g_variant_get (params, "(u@a{sv})", &response, &results);
  gboolean autostart = FALSE;
  g_variant_lookup (results, "autostart", "b", &autostart);
  g_debug ("background portal: response %u, autostart %s", response, autostart ? "yes" : "no");
  g_dbus_connection_signal_unsubscribe (bus, call->response_id);
  call->response_id = 0;
  if (response == 0 && autostart == call->enable)
    g_task_return_boolean (task, TRUE);
  else if (response == 1 || (response == 0 && call->enable))
    g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                             _("The desktop did not allow Traverse to start at login. You "
                               "can allow it in your system's settings for apps."));
  else
    g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                             _("The desktop could not change whether Traverse starts at "
                               "login."));
  g_object_unref (task);
}

static void
on_portal_called (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) ret = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                           &error);
  if (ret == NULL)
    {
      g_debug ("background portal: %s", error->message);
      PortalCall *call = g_task_get_task_data (task);
      g_dbus_connection_signal_unsubscribe (call->bus, call->response_id);
      call->response_id = 0;
      g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                               _("Starting at login needs the desktop's background portal, "
                                 "which is not available."));
      g_object_unref (task);
    }
  /* Else the Response signal finishes the task. */
}

static void
ask_portal (GTask *task, gboolean enable, const char *parent_handle)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_task_return_new_error (task, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE,
                               _("Starting at login needs the desktop's background portal, "
                                 "which is not available."));
      g_object_unref (task);
      return;
    }
  PortalCall *call = g_new0 (PortalCall, 1);
  call->bus = bus;
  call->enable = enable;
  g_task_set_task_data (task, call, (GDestroyNotify) portal_call_free);

  /* Subscribe before calling: the answer may come before the call returns. */
  static guint counter;
  g_autofree gchar *token = g_strdup_printf ("traverse%u_%u", (guint) getpid (), ++counter);
  g_autofree gchar *sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_strdelimit (sender, ".", '_');
  g_autofree gchar *handle = g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender, token);
  call->response_id =
    g_dbus_connection_signal_subscribe (bus, PORTAL_BUS, PORTAL_REQUEST, "Response", handle,
                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_portal_response,
                                        task, NULL);

  GVariantBuilder opts;
  g_variant_builder_init (&opts, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&opts, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&opts, "{sv}", "reason",
                         g_variant_new_string (_("Traverse rings for incoming calls while "
                                                 "its window is closed.")));
  g_variant_builder_add (&opts, "{sv}", "autostart", g_variant_new_boolean (enable));
  const char *argv[] = { "traverse", "--gapplication-service", NULL };
  g_variant_builder_add (&opts, "{sv}", "commandline", g_variant_new_strv (argv, -1));
  g_debug ("background portal: asking for autostart %s", enable ? "on" : "off");
  g_dbus_connection_call (bus, PORTAL_BUS, PORTAL_PATH, PORTAL_BACKGROUND, "RequestBackground",
                          g_variant_new ("(sa{sv})", parent_handle ? parent_handle : "", &opts),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, PORTAL_TIMEOUT_MS,
                          NULL, on_portal_called, task);
}

void
trv_background_set_autostart_async (TrvBackground *self, gboolean enable,
                                    const char *parent_handle, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (TRV_IS_BACKGROUND (self));
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trv_background_set_autostart_async);
  if (use_portal ())
    {
      ask_portal (task, enable, parent_handle);
      return;
    }
  g_autoptr(GError) error = NULL;
  if (write_autostart (self, enable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

gboolean
trv_background_set_autostart_finish (TrvBackground *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
trv_background_class_init (TrvBackgroundClass *klass)
{
}

static void
trv_background_init (TrvBackground *self)
{
}

TrvBackground *
trv_background_new (GApplication *application)
{
  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  TrvBackground *self = g_object_new (TRV_TYPE_BACKGROUND, NULL);
  self->application = application;
  return self;
}
