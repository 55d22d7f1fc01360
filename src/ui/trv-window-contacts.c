/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-window-contacts.c: dialling by name. Typing a name (or the start of an address) in
 * the number field lists the matching contacts of the GNOME address books below it; a row
 * dials its address, and Enter dials the only match. The Contacts view lists them all, with
 * a search; a row there dials too. */
#include "config.h"

#include <glib/gi18n.h>

#include "trv-window-private.h"

#define MAX_MATCHES 6

/* Text that is already something to dial: a number or a SIP address. */
static gboolean
is_dialable (const char *text)
{
  if (strchr (text, '@') || strchr (text, ':'))
    return TRUE;
  for (const char *p = text; *p; p++)
    if (g_ascii_isalpha (*p))
      return FALSE;
  return TRUE;
}

static void
on_match_activated (AdwActionRow *row, TrvWindow *self)
{
  /* A copy: the new text rebuilds the list, and this row with it. */
  g_autofree gchar *address = g_strdup (adw_action_row_get_subtitle (row));
  gtk_editable_set_text (GTK_EDITABLE (self->dial_entry), address);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.dial", NULL);
}

static void
on_contact_activated (AdwActionRow *row, TrvWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *address = adw_action_row_get_subtitle (row);

  g_debug ("contacts view: dialling a contact");
  if (_trv_application_dial (self->application, address, &error) == NULL)
    trv_window_show_message (self, error->message);
}

static GtkWidget *
match_row (TrvWindow *self, const TrvContactMatch *m, GCallback on_activated)
{
  GtkWidget *row = adw_action_row_new ();
  /* Names come from the address book: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), m->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), m->address);
  gboolean phone = m->kind == TRV_CONTACT_ADDRESS_PHONE;
  GtkWidget *icon = gtk_image_new_from_icon_name (phone ? "phone-symbolic"
                                                        : "avatar-default-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  phone ? _("Phone number") : _("SIP address"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  /* The row is named by its title (an accessible label would be read twice, GTK 4.8);
   * the description says what activating it does. */
  /* Translators: "Call sip:alice@example.org". */
  g_autofree gchar *what = g_strdup_printf (_("Call %s"), m->address);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  what, -1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect (row, "activated", on_activated, self);
  return row;
}

void
_trv_window_update_contact_matches (TrvWindow *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->contact_matches))))
    gtk_list_box_remove (self->contact_matches, child);
  self->n_contact_matches = 0;

  g_autofree gchar *text =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->dial_entry))));
  TrvContacts *contacts = _trv_application_get_contacts (self->application);
  g_autoptr(GPtrArray) found = NULL;
  if (contacts && g_utf8_strlen (text, -1) >= 2 && !is_dialable (text))
    found = trv_contacts_search (contacts, text, MAX_MATCHES);
  for (guint i = 0; found && i < found->len; i++)
    gtk_list_box_append (self->contact_matches,
                         match_row (self, found->pdata[i], G_CALLBACK (on_match_activated)));
  self->n_contact_matches = found ? found->len : 0;
  gtk_widget_set_visible (GTK_WIDGET (self->contact_matches), self->n_contact_matches > 0);
  g_debug ("dial field: %u contacts match", self->n_contact_matches);
}

gboolean
_trv_window_dial_single_match (TrvWindow *self)
{
  if (self->n_contact_matches != 1)
    return FALSE;
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->contact_matches, 0);
  on_match_activated (ADW_ACTION_ROW (row), self);
  return TRUE;
}

/* The Contacts view's empty state: calm words whatever the reason (no address books, none
 * with contacts, still reading them), since calls to addresses work all the same. */
static void
show_contacts_empty (TrvWindow *self, TrvContacts *contacts, gboolean searching)
{
  if (searching)
    {
      adw_status_page_set_title (self->contacts_empty, _("No Matching Contacts"));
      adw_status_page_set_description (self->contacts_empty,
                                       _("Try another name, number or address"));
    }
  else if (contacts && trv_contacts_is_loading (contacts))
    {
      adw_status_page_set_title (self->contacts_empty, _("Reading Contacts…"));
      adw_status_page_set_description (self->contacts_empty, NULL);
    }
  else
    {
      adw_status_page_set_title (self->contacts_empty, _("No Contacts"));
      adw_status_page_set_description (self->contacts_empty,
                                       _("Contacts with a phone number or SIP address in "
                                         "GNOME Contacts appear here"));
    }
}

void
_trv_window_update_contact_list (TrvWindow *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->contact_list))))
    gtk_list_box_remove (self->contact_list, child);

  TrvContacts *contacts = _trv_application_get_contacts (self->application);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->contact_search));
  g_autoptr(GPtrArray) found = contacts ? trv_contacts_search (contacts, text, 0) : NULL;
  guint n = found ? found->len : 0;
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->contact_list,
                         match_row (self, found->pdata[i], G_CALLBACK (on_contact_activated)));
  g_autofree gchar *stripped = g_strstrip (g_strdup (text));
  gboolean searching = *stripped != '\0';
  /* Without any contact there is nothing to search. */
  gtk_widget_set_visible (GTK_WIDGET (self->contact_search),
                          searching || (contacts && trv_contacts_get_count (contacts) > 0));
  if (n == 0)
    show_contacts_empty (self, contacts, searching);
  gtk_widget_set_visible (self->contacts_scroller, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->contacts_empty), n == 0);
  g_debug ("contacts view: %u addresses shown", n);
}

void
_trv_window_dial_first_contact (TrvWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->contact_list, 0);
  if (row)
    on_contact_activated (ADW_ACTION_ROW (row), self);
}
