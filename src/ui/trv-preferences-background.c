/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-preferences-background.c: "Start at login". The switch asks for the autostart entry
 * (or the Background portal's permission in a Flatpak) and keeps the choice only once the
 * desktop agreed; a refusal puts the switch back and says why. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-application-private.h"
#include "trv-preferences-window-private.h"

static void
set_switch (TrvPreferencesWindow *self, gboolean active)
{
  self->updating_background = TRUE;
  gtk_switch_set_active (self->start_at_login_switch, active);
  self->updating_background = FALSE;
}

void
_trv_preferences_window_background_init (TrvPreferencesWindow *self)
{
  set_switch (self, trv_settings_get_start_at_login (self->settings));
}

typedef struct {
  TrvPreferencesWindow *self;   /* a reference */
  gboolean wanted;
} Request;

static void
on_autostart_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Request *req = data;
  g_autoptr(TrvPreferencesWindow) self = req->self;
  gboolean wanted = req->wanted;
  g_free (req);
  g_autoptr(GError) error = NULL;
  self->background_pending = FALSE;
  if (!trv_background_set_autostart_finish (TRV_BACKGROUND (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("start at login refused: %s", error->message);
      set_switch (self, trv_settings_get_start_at_login (self->settings));
      _trv_preferences_window_report (self, self->background_group, error->message);
      return;
    }
  trv_settings_set_start_at_login (self->settings, wanted);
  _trv_preferences_window_report (self, self->background_group,
                                  wanted ? _("Traverse will start when you log in.")
                                         : _("Traverse will no longer start when you log in."));
  /* Switched again while the desktop was asked: ask for that too. */
  if (gtk_switch_get_active (self->start_at_login_switch) != wanted)
    _trv_preferences_window_on_start_at_login (self);
}

void
_trv_preferences_window_on_start_at_login (TrvPreferencesWindow *self)
{
  if (self->updating_background || self->background_pending || self->settings == NULL)
    return;
  gboolean wanted = gtk_switch_get_active (self->start_at_login_switch);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  if (wanted == trv_settings_get_start_at_login (self->settings) || !TRV_IS_APPLICATION (app))
    return;
  /* One question at a time: the portal may show a dialog. */
  self->background_pending = TRUE;
  Request *req = g_new0 (Request, 1);
  req->self = g_object_ref (self);
  req->wanted = wanted;
  trv_background_set_autostart_async (_trv_application_get_background (TRV_APPLICATION (app)),
                                      wanted, "", self->cancellable, on_autostart_done, req);
}
