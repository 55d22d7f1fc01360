/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-links.c: sip:, sips: and tel: links from the command line, from a
 * second `traverse LINK` (handed over by GApplication) and from the desktop (open). */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-application-private.h"
#include "trv-window.h"

static gboolean
is_call_link (const char *arg)
{
  return g_ascii_strncasecmp (arg, "sip:", 4) == 0 ||
         g_ascii_strncasecmp (arg, "sips:", 5) == 0 ||
         g_ascii_strncasecmp (arg, "tel:", 4) == 0;
}

/* Not gtk_application_get_active_window(): that is whichever window had the focus last,
 * and the Preferences, the About window and dialogs belong to the application too. */
TrvWindow *
_trv_application_get_main_window (TrvApplication *self)
{
  g_return_val_if_fail (TRV_IS_APPLICATION (self), NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (TRV_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

TrvWindow *
_trv_application_present_window (TrvApplication *self)
{
  g_return_val_if_fail (TRV_IS_APPLICATION (self), NULL);
  TrvWindow *window = _trv_application_get_main_window (self);
  if (window == NULL)
    window = trv_window_new (self);
  gtk_window_present (GTK_WINDOW (window));
  _trv_application_defer_work_until_drawn (self, GTK_WINDOW (window));
  return window;
}

/* Dials a link; a failure is shown in the window (and returned for the command line). */
gboolean
_trv_application_call_link (TrvApplication *self, const char *link, GError **error)
{
  TrvWindow *window = _trv_application_present_window (self);
  if (_trv_application_is_starting (self))
    {
      /* Still reading the settings or testing the network (first launch by a link): call
       * once started. */
      _trv_application_set_pending_link (self, link);
      return TRUE;
    }
  g_autofree gchar *target = g_uri_unescape_string (link, NULL);
  if (target == NULL)
    target = g_strdup (link);
  if (_trv_application_dial (self, target, error) != NULL)
    return TRUE;
  trv_window_show_message (window, (*error)->message);
  return FALSE;
}

gint
_trv_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("traverse %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

int
_trv_application_command_line (GApplication *app, GApplicationCommandLine *cmdline)
{
  TrvApplication *self = TRV_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree const char **links = NULL;

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &links);
  for (guint i = 0; links && links[i]; i++)
    if (!is_call_link (links[i]))
      {
        g_application_command_line_printerr (cmdline,
                                             _("traverse: '%s' is not a sip:, sips: or tel: link\n"),
                                             links[i]);
        return 2;
      }
  if (links && links[0] && links[1])
    {
      g_application_command_line_printerr (cmdline, _("traverse: one link at a time, please\n"));
      return 2;
    }
  if (links == NULL || links[0] == NULL)
    {
      g_application_activate (app);
      return 0;
    }
  g_autoptr(GError) error = NULL;
  if (!_trv_application_call_link (self, links[0], &error))
    {
      g_application_command_line_printerr (cmdline, "traverse: %s\n", error->message);
      return 1;
    }
  return 0;
}

void
_trv_application_open (GApplication *app, GFile **files, gint n_files, const gchar *hint)
{
  TrvApplication *self = TRV_APPLICATION (app);
  for (gint i = 0; i < n_files; i++)
    {
      g_autofree gchar *uri = g_file_get_uri (files[i]);
      g_autoptr(GError) error = NULL;
      if (!is_call_link (uri))
        {
          trv_window_show_message (_trv_application_present_window (self),
                                   _("Traverse opens only sip:, sips: and tel: links."));
          continue;
        }
      /* One call at a time: the first link wins. */
      if (!_trv_application_call_link (self, uri, &error) || _trv_application_get_current_call (self) != NULL)
        break;
    }
}
