/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-add-contact: adds a contact to the session's evolution-data-server system address
 * book, for tests that run their own D-Bus session (never the user's).
 *
 *   trv-add-contact NAME [--sip ADDRESS]... [--tel NUMBER]...
 *
 * Prints the new contact's UID; exits 0, or 1 with the reason. */
#include <glib.h>

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook/libebook.h>
G_GNUC_END_IGNORE_DEPRECATIONS

int
main (int argc, char *argv[])
{
  g_auto(GStrv) sips = NULL;
  g_auto(GStrv) tels = NULL;
  GOptionEntry entries[] = {
    { "sip", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sips, "SIP address", "ADDRESS" },
    { "tel", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tels, "Phone number", "NUMBER" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("usage: trv-add-contact NAME [--sip ADDRESS]... [--tel NUMBER]...\n");
      return 2;
    }
  ESourceRegistry *registry = e_source_registry_new_sync (NULL, &error);
  if (registry == NULL)
    {
      g_printerr ("no address book service: %s\n", error->message);
      return 1;
    }
  ESource *source = e_source_registry_ref_builtin_address_book (registry);
  /* 1 s: EDS 3.46 waits this long for a just-started backend to say it is online. */
  EClient *client = e_book_client_connect_sync (source, 1, NULL, &error);
  if (client == NULL)
    {
      g_printerr ("cannot open the address book: %s\n", error->message);
      return 1;
    }
  EContact *contact = e_contact_new ();
  e_contact_set (contact, E_CONTACT_FULL_NAME, argv[1]);
  GList *sip_list = NULL, *tel_list = NULL;
  for (guint i = 0; sips && sips[i]; i++)
    sip_list = g_list_append (sip_list, sips[i]);
  for (guint i = 0; tels && tels[i]; i++)
    tel_list = g_list_append (tel_list, tels[i]);
  e_contact_set (contact, E_CONTACT_SIP, sip_list);
  e_contact_set (contact, E_CONTACT_TEL, tel_list);
  g_list_free (sip_list);
  g_list_free (tel_list);
  g_autofree gchar *uid = NULL;
  gboolean ok = e_book_client_add_contact_sync (E_BOOK_CLIENT (client), contact,
                                                E_BOOK_OPERATION_FLAG_NONE, &uid, NULL, &error);
  g_object_unref (contact);
  g_object_unref (client);
  g_object_unref (source);
  g_object_unref (registry);
  if (!ok)
    {
      g_printerr ("cannot add the contact: %s\n", error->message);
      return 1;
    }
  g_print ("%s\n", uid);
  return 0;
}
