/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-views.c: the home page's views, as in GNOME Calls: Recent, Contacts and Dial
 * Pad, switched in the header bar (at the bottom when the window is narrow). */
#include "config.h"

#include "trv-window-private.h"

/* An AdwViewStack keeps the views not on screen "visible" to assistive technologies, and
 * a page hidden itself would leave the switcher: so each page's content is hidden. */
void
_trv_window_view_changed (TrvWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  gtk_widget_set_visible (self->recent_page, g_strcmp0 (name, "recent") == 0);
  gtk_widget_set_visible (self->contacts_page, g_strcmp0 (name, "contacts") == 0);
  gtk_widget_set_visible (self->dial_page, g_strcmp0 (name, "dial") == 0);
  g_debug ("main window: %s view", name);
}

void
_trv_window_show_view (TrvWindow *self, const char *name)
{
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/* Where the keyboard starts on each view: the number field, the contacts search (or the
 * first contact), the newest call. */
void
_trv_window_focus_view (TrvWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "dial") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->dial_entry));
  else if (g_strcmp0 (name, "contacts") == 0 &&
           gtk_widget_get_visible (GTK_WIDGET (self->contact_search)))
    gtk_widget_grab_focus (GTK_WIDGET (self->contact_search));
  else
    gtk_widget_child_focus (self->recent_page, GTK_DIR_TAB_FORWARD);
}
