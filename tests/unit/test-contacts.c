/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-contacts.c: address keys, and TrvContacts against a real evolution-data-server in a
 * private D-Bus session (with-eds.sh), with a system address book the test fills. */
#include "config.h"

#include "trv-contact-keys.h"
#include "trv-contacts.h"

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook/libebook.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#define WAIT_MS 15000

static void
test_keys_parse (void)
{
  TrvContactKeys k;
  g_assert_true (trv_contact_keys_parse ("\"Alice\" <sip:alice@EXAMPLE.org;transport=tls>;tag=9",
                                         &k));
  g_assert_cmpstr (k.sip, ==, "alice@example.org");
  g_assert_null (k.phone);
  trv_contact_keys_clear (&k);

  g_assert_true (trv_contact_keys_parse ("sip:+49301234567@provider.example;user=phone", &k));
  g_assert_cmpstr (k.sip, ==, "+49301234567@provider.example");
  g_assert_cmpstr (k.phone, ==, "+49301234567");
  trv_contact_keys_clear (&k);

  g_assert_true (trv_contact_keys_parse ("tel:030-1234567", &k));
  g_assert_null (k.sip);
  g_assert_cmpstr (k.phone, ==, "030-1234567");
  trv_contact_keys_clear (&k);

  g_assert_false (trv_contact_keys_parse ("", &k));
  g_assert_false (trv_contact_keys_parse ("sip:@", &k));
  g_assert_false (trv_contact_keys_parse ("\xff\xfe", &k));
  g_assert_false (trv_contact_keys_parse (NULL, &k));
}

static void
test_keys_equal (void)
{
  g_assert_true (trv_contact_keys_sip_equal ("sip:bob@EX.org", "bob@ex.org"));
  g_assert_true (trv_contact_keys_sip_equal ("sips:bob@ex.org;transport=tls", "<sip:bob@ex.org>"));
  g_assert_false (trv_contact_keys_sip_equal ("sip:Bob@ex.org", "bob@ex.org"));
  g_assert_false (trv_contact_keys_sip_equal ("sip:bob@ex.org", "sip:bob@ex.com"));
  g_assert_false (trv_contact_keys_sip_equal ("bob", "bob"));

  g_assert_true (trv_contact_keys_phone_equal ("+49 30 1234567", "+49301234567"));
  g_assert_true (trv_contact_keys_phone_equal ("+49 30 1234567", "030 1234567"));
  g_assert_true (trv_contact_keys_phone_equal ("0049 (30) 123-4567", "030/1234567"));
  g_assert_false (trv_contact_keys_phone_equal ("+49 30 1234567", "+44 30 1234567"));
  g_assert_false (trv_contact_keys_phone_equal ("+49 30 1234567", "1234568"));
  /* Too short to say that one is the other without its country code. */
  g_assert_false (trv_contact_keys_phone_equal ("+4912345", "12345"));
  g_assert_false (trv_contact_keys_phone_equal ("alice", "alice"));
}

static gboolean
wait_until (gboolean (*done)(gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return done (data);
}

static gboolean
loaded (gpointer data)
{
  return !trv_contacts_is_loading (data);
}

static gboolean
give_up (gpointer data)
{
  g_error ("no answer about the address book service within 10 s");
  return G_SOURCE_REMOVE;
}

/* Without an address book service, nothing is shown and nothing is said above debug. */
static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/trv-test-bus", TRUE);
      g_autoptr(TrvContacts) contacts = trv_contacts_new ();
      trv_contacts_load (contacts);
      guint timeout = g_timeout_add_seconds (10, give_up, NULL);
      g_assert_true (wait_until (loaded, contacts));
      g_source_remove (timeout);
      g_assert_false (trv_contacts_is_available (contacts));
      g_assert_cmpuint (trv_contacts_get_count (contacts), ==, 0);
      g_assert_null (trv_contacts_lookup_name (contacts, "sip:alice@example.org"));
      g_autoptr(GPtrArray) found = trv_contacts_search (contacts, "ali", 10);
      g_assert_cmpuint (found->len, ==, 0);
      return;
    }
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*WARNING*");
  g_test_trap_assert_stderr_unmatched ("*CRITICAL*");
}

typedef struct {
  EBookClient *client;
  TrvContacts *contacts;
  guint changed;
} Fixture;

static char *
add_contact (EBookClient *client, const char *name, const char *sip, const char *tel)
{
  EContact *c = e_contact_new ();
  e_contact_set (c, E_CONTACT_FULL_NAME, name);
  GList *sips = sip ? g_list_append (NULL, (gpointer) sip) : NULL;
  GList *tels = tel ? g_list_append (NULL, (gpointer) tel) : NULL;
  e_contact_set (c, E_CONTACT_SIP, sips);
  e_contact_set (c, E_CONTACT_TEL, tels);
  g_list_free (sips);
  g_list_free (tels);
  g_autoptr(GError) error = NULL;
  char *uid = NULL;
  g_assert_true (e_book_client_add_contact_sync (client, c, E_BOOK_OPERATION_FLAG_NONE, &uid,
                                                 NULL, &error));
  g_assert_no_error (error);
  g_object_unref (c);
  return uid;
}

static void
on_changed (TrvContacts *contacts, gpointer data)
{
  ((Fixture *) data)->changed++;
}

typedef struct {
  TrvContacts *contacts;
  const char *address;
  const char *name;  /* NULL: must be unknown */
} Expect;

static gboolean
name_is (gpointer data)
{
  Expect *e = data;
  g_autofree gchar *name = trv_contacts_lookup_name (e->contacts, e->address);
  return g_strcmp0 (name, e->name) == 0;
}

static void
assert_name_soon (TrvContacts *contacts, const char *address, const char *name)
{
  Expect e = { contacts, address, name };
  if (!wait_until (name_is, &e))
    {
      g_autofree gchar *got = trv_contacts_lookup_name (contacts, address);
      g_error ("%s: expected %s, got %s", address, name ? name : "(unknown)",
               got ? got : "(unknown)");
    }
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  if (g_getenv ("TRV_TEST_EDS") == NULL)
    return;
  g_autoptr(GError) error = NULL;
  ESourceRegistry *registry = e_source_registry_new_sync (NULL, &error);
  g_assert_no_error (error);
  ESource *source = e_source_registry_ref_builtin_address_book (registry);
  g_assert_nonnull (source);
  /* 1 s: see BOOK_CONNECT_WAIT_S in trv-contacts.c. */
  f->client = E_BOOK_CLIENT (e_book_client_connect_sync (source, 1, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (source);
  g_object_unref (registry);
  g_free (add_contact (f->client, "Alice Example", "sip:alice@example.org", NULL));
  g_free (add_contact (f->client, "Bob Phone", NULL, "+49 30 1234567"));
  g_free (add_contact (f->client, "Carol Both", "carol@pbx.example", "0301112223"));
  g_free (add_contact (f->client, "Dave Nothing", NULL, NULL));
  f->contacts = trv_contacts_new ();
  g_signal_connect (f->contacts, "changed", G_CALLBACK (on_changed), f);
  trv_contacts_load (f->contacts);
  g_assert_true (wait_until (loaded, f->contacts));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->contacts);
  g_clear_object (&f->client);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Nothing is read before trv_contacts_load() (the desktop calls it once its window has
 * drawn); then the same books are read. */
static void
test_eds_load_later (Fixture *f, gconstpointer data)
{
  if (f->client == NULL)
    {
      g_test_skip ("no private evolution-data-server (run through with-eds.sh)");
      return;
    }
  g_autoptr(TrvContacts) later = trv_contacts_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add (500, quit_loop, loop);
  g_main_loop_run (loop);
  g_assert_true (trv_contacts_is_loading (later));
  g_assert_false (trv_contacts_is_available (later));
  g_assert_cmpuint (trv_contacts_get_count (later), ==, 0);
  trv_contacts_load (later);
  trv_contacts_load (later);   /* a second call does nothing */
  g_assert_true (wait_until (loaded, later));
  g_assert_true (trv_contacts_is_available (later));
  /* The fixture's own object read them at once (each setup adds the same four contacts). */
  g_assert_cmpuint (trv_contacts_get_count (later), ==, trv_contacts_get_count (f->contacts));
  g_assert_cmpuint (trv_contacts_get_count (later), >=, 3);
}

static void
test_eds_lookup (Fixture *f, gconstpointer data)
{
  if (f->client == NULL)
    {
      g_test_skip ("no private evolution-data-server (run through with-eds.sh)");
      return;
    }
  g_assert_true (trv_contacts_is_available (f->contacts));
  /* Dave has nothing to dial: not held. */
  g_assert_cmpuint (trv_contacts_get_count (f->contacts), ==, 3);
  assert_name_soon (f->contacts, "\"A.\" <sip:alice@EXAMPLE.org>;tag=7", "Alice Example");
  assert_name_soon (f->contacts, "sip:0301234567@provider.example;user=phone", "Bob Phone");
  assert_name_soon (f->contacts, "sip:+49301234567@provider.example", "Bob Phone");
  assert_name_soon (f->contacts, "sips:carol@pbx.example", "Carol Both");
  assert_name_soon (f->contacts, "tel:+49 30 111 2223", "Carol Both");
  assert_name_soon (f->contacts, "sip:mallory@example.org", NULL);
  assert_name_soon (f->contacts, "sip:1234567@provider.example", NULL);

  g_autoptr(GPtrArray) found = trv_contacts_search (f->contacts, "  CAR ", 10);
  g_assert_cmpuint (found->len, ==, 2);
  TrvContactMatch *m0 = found->pdata[0], *m1 = found->pdata[1];
  g_assert_cmpstr (m0->name, ==, "Carol Both");
  g_assert_cmpstr (m1->name, ==, "Carol Both");
  g_assert_true (m0->kind != m1->kind);
  g_autoptr(GPtrArray) by_number = trv_contacts_search (f->contacts, "+49 30", 10);
  g_assert_cmpuint (by_number->len, ==, 1);
  g_assert_cmpstr (((TrvContactMatch *) by_number->pdata[0])->name, ==, "Bob Phone");
  g_autoptr(GPtrArray) all = trv_contacts_search (f->contacts, "o", 2);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (((TrvContactMatch *) all->pdata[0])->name, ==, "Bob Phone");
  /* Empty text: every address of every contact (the Contacts view), by name. */
  g_autoptr(GPtrArray) every = trv_contacts_search (f->contacts, " ", 0);
  g_assert_cmpuint (every->len, ==, 4);
  g_assert_cmpstr (((TrvContactMatch *) every->pdata[0])->name, ==, "Alice Example");
  g_assert_cmpstr (((TrvContactMatch *) every->pdata[3])->name, ==, "Carol Both");
}

/* Contacts added, edited and removed in GNOME Contacts show up without a restart. */
static void
test_eds_follows_changes (Fixture *f, gconstpointer data)
{
  if (f->client == NULL)
    {
      g_test_skip ("no private evolution-data-server (run through with-eds.sh)");
      return;
    }
  guint changed = f->changed;
  g_autofree gchar *uid = add_contact (f->client, "Erin New", "sip:erin@example.org", NULL);
  assert_name_soon (f->contacts, "sip:erin@example.org", "Erin New");
  g_assert_cmpuint (f->changed, >, changed);

  g_autoptr(GError) error = NULL;
  EContact *c = NULL;
  g_assert_true (e_book_client_get_contact_sync (f->client, uid, &c, NULL, &error));
  e_contact_set (c, E_CONTACT_FULL_NAME, "Erin Renamed");
  g_assert_true (e_book_client_modify_contact_sync (f->client, c, E_BOOK_OPERATION_FLAG_NONE,
                                                    NULL, &error));
  g_object_unref (c);
  assert_name_soon (f->contacts, "sip:erin@example.org", "Erin Renamed");

  g_assert_true (e_book_client_remove_contact_by_uid_sync (f->client, uid,
                                                           E_BOOK_OPERATION_FLAG_NONE, NULL,
                                                           &error));
  g_assert_no_error (error);
  assert_name_soon (f->contacts, "sip:erin@example.org", NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/contacts/keys-parse", test_keys_parse);
  g_test_add_func ("/contacts/keys-equal", test_keys_equal);
  g_test_add_func ("/contacts/no-service", test_no_service);
  g_test_add ("/contacts/eds-lookup", Fixture, NULL, fixture_setup, test_eds_lookup,
              fixture_teardown);
  g_test_add ("/contacts/eds-follows-changes", Fixture, NULL, fixture_setup,
              test_eds_follows_changes, fixture_teardown);
  g_test_add ("/contacts/eds-load-later", Fixture, NULL, fixture_setup, test_eds_load_later,
              fixture_teardown);
  return g_test_run ();
}
