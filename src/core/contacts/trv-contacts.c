/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-contacts.c: the user's address books, read through evolution-data-server views and
 * kept in memory, so that names for a history list or search-as-you-type cost no D-Bus
 * round trip. */
#include "config.h"

#include "trv-contacts.h"
#include "trv-contact-keys.h"
#include "trv-contacts-reader.h"

#include <gio/gio.h>
#include <gmodule.h>
#include <string.h>

typedef struct {
  char *name;
  char *folded;   /* the name, case-folded, for search */
  GStrv sips;
  GStrv phones;
} Entry;

typedef struct {
  GHashTable *entries;    /* contact UID -> Entry */
  gboolean opening;       /* counted in the owner's `opening` until first read */
} Book;

struct _TrvContacts {
  GObject parent_instance;
  gpointer reader;        /* trv-contacts-eds.c's state, while loaded */
  TrvContactsReaderStop stop_reader;
  GHashTable *books;      /* source UID -> Book */
  gboolean available;
  /* Address books being opened and read for the first time, plus one for the service
   * itself: "loading" is TRUE until it drops to 0. */
  guint opening;
  gboolean started;        /* trv_contacts_load() was called */
};

enum { PROP_0, PROP_AVAILABLE, PROP_LOADING, N_PROPS };
static GParamSpec *properties[N_PROPS];
enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TrvContacts, trv_contacts, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (TrvContactMatch, trv_contact_match, trv_contact_match_copy,
                     trv_contact_match_free)

TrvContactMatch *
trv_contact_match_copy (const TrvContactMatch *match)
{
  TrvContactMatch *copy = g_new0 (TrvContactMatch, 1);
  copy->name = g_strdup (match->name);
  copy->address = g_strdup (match->address);
  copy->kind = match->kind;
  return copy;
}

void
trv_contact_match_free (TrvContactMatch *match)
{
  if (match == NULL)
    return;
  g_free (match->name);
  g_free (match->address);
  g_free (match);
}

static void
entry_free (gpointer data)
{
  Entry *e = data;
  g_free (e->name);
  g_free (e->folded);
  g_strfreev (e->sips);
  g_strfreev (e->phones);
  g_free (e);
}

static void
opened_one (TrvContacts *self)
{
  g_return_if_fail (self->opening > 0);
  if (--self->opening == 0)
    {
      g_debug ("address books read: %u contacts", trv_contacts_get_count (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

static void
book_free (gpointer data)
{
  Book *book = data;
  g_hash_table_unref (book->entries);
  g_free (book);
}

/* ---- what the reader tells (trv-contacts-reader.h) ------------------------------------ */

static void
sink_service (TrvContacts *self, gboolean available)
{
  if (available)
    {
      self->available = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
    }
  opened_one (self);
}

static void
sink_book_opening (TrvContacts *self, const char *uid)
{
  if (g_hash_table_contains (self->books, uid))
    return;
  Book *book = g_new0 (Book, 1);
  book->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  book->opening = TRUE;
  self->opening++;
  g_hash_table_insert (self->books, g_strdup (uid), book);
}

static void
sink_book_read (TrvContacts *self, const char *uid)
{
  Book *book = g_hash_table_lookup (self->books, uid);
  if (book == NULL || !book->opening)
    return;
  book->opening = FALSE;
  opened_one (self);
}

static void
sink_book_gone (TrvContacts *self, const char *uid)
{
  Book *book = g_hash_table_lookup (self->books, uid);
  if (book == NULL)
    return;
  sink_book_read (self, uid);
  gboolean had_contacts = g_hash_table_size (book->entries) > 0;
  g_hash_table_remove (self->books, uid);
  if (had_contacts)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
sink_contact_set (TrvContacts *self, const char *uid, const char *contact, const char *name,
                  GStrv sips, GStrv phones)
{
  Book *book = g_hash_table_lookup (self->books, uid);
  /* A contact with no name to show or nothing to dial is not held; a modified one that
   * lost its last address goes. */
  if (book == NULL || name == NULL || (sips[0] == NULL && phones[0] == NULL))
    {
      if (book)
        g_hash_table_remove (book->entries, contact);
      g_strfreev (sips);
      g_strfreev (phones);
      return;
    }
  Entry *e = g_new0 (Entry, 1);
  e->name = g_strdup (name);
  e->folded = g_utf8_casefold (name, -1);
  e->sips = sips;
  e->phones = phones;
  g_hash_table_replace (book->entries, g_strdup (contact), e);
}

static gboolean
sink_contact_removed (TrvContacts *self, const char *uid, const char *contact)
{
  Book *book = g_hash_table_lookup (self->books, uid);
  return book && g_hash_table_remove (book->entries, contact);
}

static void
sink_changed (TrvContacts *self, const char *uid)
{
  Book *book = g_hash_table_lookup (self->books, uid);
  g_debug ("address book %s: %u contacts", uid, book ? g_hash_table_size (book->entries) : 0);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static const TrvContactsSink sink = {
  .service = sink_service,
  .book_opening = sink_book_opening,
  .book_read = sink_book_read,
  .book_gone = sink_book_gone,
  .contact_set = sink_contact_set,
  .contact_removed = sink_contact_removed,
  .changed = sink_changed,
};

/* The reader module: TRAVERSE_MODULE_DIR, else where it is installed, else (running from
 * the build tree) where it was built. */
static GModule *
open_reader_module (void)
{
  const char *dirs[] = { g_getenv ("TRAVERSE_MODULE_DIR"), TRV_MODULE_DIR,
                         TRV_BUILD_CONTACTS_DIR };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      if (dirs[i] == NULL || dirs[i][0] == '\0')
        continue;
      g_autofree gchar *path = g_module_build_path (dirs[i], TRV_CONTACTS_READER_MODULE);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      GModule *module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      if (module == NULL)
        g_warning ("cannot load the address book reader %s: %s", path, g_module_error ());
      else
        g_debug ("address books: reader %s", path);
      return module;
    }
  g_debug ("address books: no reader module (%s) found", TRV_CONTACTS_READER_MODULE);
  return NULL;
}

gboolean
trv_contacts_is_loading (TrvContacts *self)
{
  g_return_val_if_fail (TRV_IS_CONTACTS (self), FALSE);
  return self->opening > 0;
}

gboolean
trv_contacts_is_available (TrvContacts *self)
{
  g_return_val_if_fail (TRV_IS_CONTACTS (self), FALSE);
  return self->available;
}

guint
trv_contacts_get_count (TrvContacts *self)
{
  g_return_val_if_fail (TRV_IS_CONTACTS (self), 0);
  guint n = 0;
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, self->books);
  while (g_hash_table_iter_next (&it, NULL, &value))
    n += g_hash_table_size (((Book *) value)->entries);
  return n;
}

static gboolean
entry_has (const Entry *e, const TrvContactKeys *keys)
{
  for (guint i = 0; keys->sip && e->sips[i]; i++)
    if (trv_contact_keys_sip_equal (e->sips[i], keys->sip))
      return TRUE;
  for (guint i = 0; keys->phone && e->phones[i]; i++)
    if (trv_contact_keys_phone_equal (e->phones[i], keys->phone))
      return TRUE;
  return FALSE;
}

char *
trv_contacts_lookup_name (TrvContacts *self, const char *address)
{
  g_return_val_if_fail (TRV_IS_CONTACTS (self), NULL);
  TrvContactKeys keys;
  if (!trv_contact_keys_parse (address, &keys))
    return NULL;
  const Entry *found = NULL;
  GHashTableIter books, entries;
  gpointer book, entry;
  g_hash_table_iter_init (&books, self->books);
  while (found == NULL && g_hash_table_iter_next (&books, NULL, &book))
    {
      g_hash_table_iter_init (&entries, ((Book *) book)->entries);
      while (found == NULL && g_hash_table_iter_next (&entries, NULL, &entry))
        if (entry_has (entry, &keys))
          found = entry;
    }
  trv_contact_keys_clear (&keys);
  return found ? g_strdup (found->name) : NULL;
}

static gint
compare_matches (gconstpointer a, gconstpointer b)
{
  const TrvContactMatch *x = *(TrvContactMatch * const *) a;
  const TrvContactMatch *y = *(TrvContactMatch * const *) b;
  int by_name = g_utf8_collate (x->name, y->name);
  return by_name ? by_name : g_strcmp0 (x->address, y->address);
}

static void
add_matches (GPtrArray *out, const Entry *e, const char *folded, const char *text)
{
  gboolean by_name = strstr (e->folded, folded) != NULL;
  GStrv lists[] = { e->sips, e->phones };
  for (guint k = 0; k < G_N_ELEMENTS (lists); k++)
    for (guint i = 0; lists[k][i]; i++)
      {
        const char *addr = lists[k][i];
        if (!by_name && g_ascii_strncasecmp (addr, text, strlen (text)) != 0)
          continue;
        TrvContactMatch *m = g_new0 (TrvContactMatch, 1);
        m->name = g_strdup (e->name);
        m->address = g_strdup (addr);
        m->kind = k == 0 ? TRV_CONTACT_ADDRESS_SIP : TRV_CONTACT_ADDRESS_PHONE;
        g_ptr_array_add (out, m);
      }
}

GPtrArray *
trv_contacts_search (TrvContacts *self, const char *text, guint max)
{
  g_return_val_if_fail (TRV_IS_CONTACTS (self), NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) trv_contact_match_free);
  g_autofree gchar *stripped = g_strstrip (g_strdup (text ? text : ""));
  /* Empty text matches every name: the contacts list shows them all. */
  if (!g_utf8_validate (stripped, -1, NULL))
    return out;
  g_autofree gchar *folded = g_utf8_casefold (stripped, -1);
  GHashTableIter books, entries;
  gpointer book, entry;
  g_hash_table_iter_init (&books, self->books);
  while (g_hash_table_iter_next (&books, NULL, &book))
    {
      g_hash_table_iter_init (&entries, ((Book *) book)->entries);
      while (g_hash_table_iter_next (&entries, NULL, &entry))
        add_matches (out, entry, folded, stripped);
    }
  g_ptr_array_sort (out, compare_matches);
  if (max > 0 && out->len > max)
    g_ptr_array_set_size (out, max);
  return out;
}

static void
trv_contacts_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TrvContacts *self = TRV_CONTACTS (object);
  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->opening > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trv_contacts_dispose (GObject *object)
{
  TrvContacts *self = TRV_CONTACTS (object);
  if (self->reader)
    self->stop_reader (g_steal_pointer (&self->reader));
  /* No "loading" notifications from a disposing object. */
  self->opening = 0;
  g_hash_table_remove_all (self->books);
  G_OBJECT_CLASS (trv_contacts_parent_class)->dispose (object);
}

static void
trv_contacts_finalize (GObject *object)
{
  TrvContacts *self = TRV_CONTACTS (object);
  g_hash_table_unref (self->books);
  G_OBJECT_CLASS (trv_contacts_parent_class)->finalize (object);
}

static void
trv_contacts_class_init (TrvContactsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = trv_contacts_get_property;
  object_class->dispose = trv_contacts_dispose;
  object_class->finalize = trv_contacts_finalize;

  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The contacts held changed: names shown for addresses may differ now. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
trv_contacts_init (TrvContacts *self)
{
  self->opening = 1;  /* the service */
  self->books = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, book_free);
}

TrvContacts *
trv_contacts_new (void)
{
  return g_object_new (TRV_TYPE_CONTACTS, NULL);
}

/* dlopen() relocates EDS's 25 libraries: tens of milliseconds that would keep the main
 * thread (the window just drawn, and assistive technologies reading it) waiting. */
static void
open_module_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GModule *module = open_reader_module ();
  /* Its libraries stay: they cannot be unloaded safely (GLib types, D-Bus threads). */
  if (module)
    g_module_make_resident (module);
  g_task_return_pointer (task, module, NULL);
}

static void
on_module_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  TrvContacts *self = TRV_CONTACTS (source);
  GModule *module = g_task_propagate_pointer (G_TASK (result), NULL);
  TrvContactsReaderStart start = NULL;

  if (module == NULL ||
      !g_module_symbol (module, TRV_CONTACTS_READER_START, (gpointer *) &start) ||
      !g_module_symbol (module, TRV_CONTACTS_READER_STOP, (gpointer *) &self->stop_reader))
    {
      if (module)
        g_warning ("the address book reader %s lacks its functions", g_module_name (module));
      /* As without the service: addresses only, nothing alarming. */
      opened_one (self);
      return;
    }
  g_debug ("address books: connecting to the service");
  self->reader = start (self, &sink);
}

void
trv_contacts_load (TrvContacts *self)
{
  g_return_if_fail (TRV_IS_CONTACTS (self));
  if (self->started)
    return;
  self->started = TRUE;
  g_debug ("address books: loading the reader");
  g_autoptr(GTask) task = g_task_new (self, NULL, on_module_opened, NULL);
  g_task_set_source_tag (task, trv_contacts_load);
  g_task_run_in_thread (task, open_module_thread);
}
