/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-background.c: TrvBackground's start-at-login: the autostart entry outside a sandbox,
 * and the Background portal (a fake one on a private GTestDBus bus) inside one. */
#include "config.h"

#include "trv-background.h"
#include "trv-error.h"

#include <gio/gio.h>

#define APP_ID "io.github.traverse.TestBackground"

static const char portal_xml[] =
  "<node><interface name='org.freedesktop.portal.Background'>"
  "<method name='RequestBackground'><arg type='s' direction='in'/>"
  "<arg type='a{sv}' direction='in'/><arg type='o' direction='out'/></method>"
  "</interface></node>";

typedef struct {
  guint32 response;       /* what the fake portal answers */
  gboolean grant;         /* its "autostart" result */
  gboolean asked_autostart;
  char **commandline;
  guint calls;
} FakePortal;

static void
on_portal_call (GDBusConnection *bus, const char *sender, const char *path, const char *iface,
                const char *method, GVariant *params, GDBusMethodInvocation *invocation,
                gpointer data)
{
  FakePortal *fake = data;
  const char *parent;
  g_autoptr(GVariant) opts = NULL;
  g_variant_get (params, "(&s@a{sv})", &parent, &opts);
  const char *token = "t";
  g_variant_lookup (opts, "handle_token", "&s", &token);
  g_variant_lookup (opts, "autostart", "b", &fake->asked_autostart);
  g_clear_pointer (&fake->commandline, g_strfreev);
  g_variant_lookup (opts, "commandline", "^as", &fake->commandline);
  fake->calls++;
  g_autofree gchar *who = g_strdup (sender + 1);
  g_strdelimit (who, ".", '_');
  g_autofree gchar *handle =
    g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", who, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", handle));
  GVariantBuilder results;
  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (fake->grant));
  g_dbus_connection_emit_signal (bus, sender, handle, "org.freedesktop.portal.Request",
                                 "Response", g_variant_new ("(ua{sv})", fake->response,
                                                            &results), NULL);
}

typedef struct {
  GMainLoop *loop;
  gboolean ok;
  GError *error;
} Wait;

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;
  w->ok = trv_background_set_autostart_finish (TRV_BACKGROUND (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static gboolean
set_autostart (TrvBackground *bg, gboolean enable, GError **error)
{
  Wait w = { g_main_loop_new (NULL, FALSE), FALSE, NULL };
  trv_background_set_autostart_async (bg, enable, "", NULL, on_done, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (w.error)
    g_propagate_error (error, w.error);
  return w.ok;
}

static void
test_autostart_file (void)
{
  g_autoptr(GApplication) app = g_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_autoptr(TrvBackground) bg = trv_background_new (app);
  g_autofree gchar *path = trv_background_dup_autostart_path (bg);
  g_assert_true (g_str_has_prefix (path, g_get_user_config_dir ()));
  g_assert_true (g_str_has_suffix (path, "/autostart/" APP_ID ".desktop"));
  g_autoptr(GError) error = NULL;

  g_assert_true (set_autostart (bg, TRUE, &error));
  g_assert_no_error (error);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error));
  g_autofree gchar *exec = g_key_file_get_string (kf, "Desktop Entry", "Exec", &error);
  g_assert_cmpstr (exec, ==, "traverse --gapplication-service");
  g_assert_true (g_key_file_get_boolean (kf, "Desktop Entry", "X-GNOME-Autostart-enabled", NULL));

  g_assert_true (set_autostart (bg, FALSE, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Again: nothing to remove is not an error. */
  g_assert_true (set_autostart (bg, FALSE, &error));
  g_assert_no_error (error);
}

static void
test_reachable (void)
{
  g_autoptr(GApplication) app = g_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_autoptr(TrvBackground) bg = trv_background_new (app);
  g_assert_false (trv_background_get_reachable (bg));
  trv_background_set_reachable (bg, TRUE);
  trv_background_set_reachable (bg, TRUE);  /* one hold only */
  g_assert_true (trv_background_get_reachable (bg));
  trv_background_set_reachable (bg, FALSE);
  g_assert_false (trv_background_get_reachable (bg));
  /* A second release would be a GLib CRITICAL (fatal in tests). */
  trv_background_set_reachable (bg, FALSE);
}

static void
test_portal (void)
{
  g_autoptr(GTestDBus) dbus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (dbus);
  g_setenv ("TRAVERSE_BACKGROUND_PORTAL", "1", TRUE);
  g_autoptr(GApplication) app = g_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_autoptr(TrvBackground) bg = trv_background_new (app);
  g_autoptr(GError) error = NULL;

  /* No portal on the bus: a plain refusal, no hang. */
  g_assert_false (set_autostart (bg, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);

  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  FakePortal fake = { 0, TRUE, FALSE, NULL, 0 };
  GDBusInterfaceVTable vtable = { on_portal_call, NULL, NULL, { 0 } };
  guint reg = g_dbus_connection_register_object (bus, "/org/freedesktop/portal/desktop",
                                                 info->interfaces[0], &vtable, &fake, NULL,
                                                 &error);
  g_assert_no_error (error);
  guint own = g_bus_own_name_on_connection (bus, "org.freedesktop.portal.Desktop",
                                            G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  /* Let the name be acquired. */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  g_assert_true (set_autostart (bg, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (fake.asked_autostart);
  g_assert_nonnull (fake.commandline);
  g_assert_cmpstr (fake.commandline[1], ==, "--gapplication-service");
  /* The portal, not a file in the sandbox. */
  g_autofree gchar *path = trv_background_dup_autostart_path (bg);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Refused by the user, or granted without autostart: said as such. */
  fake.response = 1;
  g_assert_false (set_autostart (bg, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);
  fake.response = 0;
  fake.grant = FALSE;
  g_assert_false (set_autostart (bg, TRUE, &error));
  g_assert_error (error, TRV_ERROR, TRV_ERROR_NOT_AVAILABLE);
  g_clear_error (&error);
  /* Turning it off: granted without autostart is what was asked. */
  g_assert_true (set_autostart (bg, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (fake.asked_autostart);
  g_assert_cmpuint (fake.calls, ==, 4);

  g_bus_unown_name (own);
  g_dbus_connection_unregister_object (bus, reg);
  g_strfreev (fake.commandline);
  g_object_unref (bus);
  g_unsetenv ("TRAVERSE_BACKGROUND_PORTAL");
  g_clear_object (&bg);
  g_clear_object (&app);
  g_test_dbus_down (dbus);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/background/autostart-file", test_autostart_file);
  g_test_add_func ("/background/reachable", test_reachable);
  g_test_add_func ("/background/portal", test_portal);
  return g_test_run ();
}
