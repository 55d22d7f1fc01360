/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-application-contacts.c: who is calling, in words: names from the user's address books
 * for callers and the call history, and the incoming-call notification. A stranger, or a
 * desktop without evolution-data-server, shows the address or the name the call itself
 * carries. */
#include "config.h"

#include "trv-application-private.h"

#include <glib/gi18n.h>

gchar *
_trv_application_dup_contact_name (TrvApplication *self, const char *address)
{
  TrvContacts *contacts = _trv_application_get_contacts (self);
  return contacts && address ? trv_contacts_lookup_name (contacts, address) : NULL;
}

gchar *
_trv_application_dup_caller_name (TrvApplication *self, TrvCall *call)
{
  gchar *contact = _trv_application_dup_contact_name (self, trv_call_get_remote_uri (call));
  if (contact)
    return contact;
  const char *name = trv_call_get_remote_name (call);
  return name && *name ? g_strdup (name) : NULL;
}

void
_trv_application_send_call_notification (TrvApplication *self, TrvCall *call, const char *title,
                                         const char *answer_action, const char *decline_action)
{
  g_autofree gchar *name = _trv_application_dup_caller_name (self, call);
  const char *uri = trv_call_get_remote_uri (call);
  g_autoptr(GNotification) n = g_notification_new (title);
  g_autofree gchar *body = name && *name ? g_strdup_printf ("%s\n%s", name, uri) : g_strdup (uri);
  g_autoptr(GIcon) icon = g_themed_icon_new ("call-start-symbolic");

  g_notification_set_body (n, body);
  g_notification_set_icon (n, icon);
  g_notification_set_priority (n, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_default_action (n, "app.present");
  g_notification_add_button (n, _("Answer"), answer_action);
  g_notification_add_button (n, _("Decline"), decline_action);
  g_application_send_notification (G_APPLICATION (self), TRV_NOTIFICATION_INCOMING, n);
}

/* Answer and Decline work from the notification too (app.answer-call, app.decline-call). */
void
_trv_application_send_incoming_notification (TrvApplication *self, TrvCall *call)
{
  _trv_application_send_call_notification (self, call, _("Incoming call"), "app.answer-call",
                                           "app.decline-call");
}
