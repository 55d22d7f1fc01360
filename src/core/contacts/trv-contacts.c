/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-contacts.c: the user's address books, read through evolution-data-server views and
 * kept in memory, so that names for a history list or search-as-you-type cost no D-Bus
 * round trip. */
#include "config.h"

#include "trv-contacts.h"
#include "trv-contact-keys.h"

/* EDS 3.46's headers still declare GTimeVal functions. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook/libebook.h>
G_GNUC_END_IGNORE_DEPRECATIONS
#include <string.h>

/* Seconds e_book_client_connect() waits for a book's backend to say it is online. EDS 3.46
 * waits that long even for a local book whose backend was just started (and never returns
 * with 0), while an offline book still serves its contacts: keep it short. */
#define BOOK_CONNECT_WAIT_S 1

typedef struct {
  char *name;
  char *folded;   /* the name, case-folded, for search */
  GStrv sips;
  GStrv phones;
} Entry;

typedef struct {
  TrvContacts *owner;     /* not a reference: the owner frees its books first */
  char *source_uid;
  EBookClient *client;
  EBookClientView *view;
  GHashTable *entries;    /* contact UID -> Entry */
  gboolean opening;       /* counted in the owner's `opening` until first read */
} Book;

struct _TrvContacts {
  GObject parent_instance;
  GCancellable *cancellable;
  ESourceRegistry *registry;
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

static GStrv
strv_from_list (GList *list)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  for (GList *l = list; l; l = l->next)
    if (l->data && *(const char *) l->data)
      g_strv_builder_add (b, l->data);
  g_list_free_full (list, g_free);
  return g_strv_builder_end (b);
}

/* NULL for a contact with nothing to dial or no name to show. */
static Entry *
entry_from_contact (EContact *contact)
{
  const char *name = e_contact_get_const (contact, E_CONTACT_FULL_NAME);
  if (name == NULL || *name == '\0')
    name = e_contact_get_const (contact, E_CONTACT_FILE_AS);
  if (name == NULL || *name == '\0')
    name = e_contact_get_const (contact, E_CONTACT_NICKNAME);
  if (name == NULL || *name == '\0')
    return NULL;
  Entry *e = g_new0 (Entry, 1);
  e->sips = strv_from_list (e_contact_get (contact, E_CONTACT_SIP));
  e->phones = strv_from_list (e_contact_get (contact, E_CONTACT_TEL));
  if (e->sips[0] == NULL && e->phones[0] == NULL)
    {
      entry_free (e);
      return NULL;
    }
  e->name = g_strdup (name);
  e->folded = g_utf8_casefold (name, -1);
  return e;
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
book_opened (Book *book)
{
  if (!book->opening)
    return;
  book->opening = FALSE;
  opened_one (book->owner);
}

static void
book_free (gpointer data)
{
  Book *book = data;
  book_opened (book);
  if (book->view)
    {
      g_signal_handlers_disconnect_by_data (book->view, book);
      g_object_unref (book->view);
    }
  g_clear_object (&book->client);
  g_hash_table_unref (book->entries);
  g_free (book->source_uid);
  g_free (book);
}

static void
on_objects_added (EBookClientView *view, const GSList *contacts, gpointer data)
{
  Book *book = data;
  guint before = g_hash_table_size (book->entries);
  gboolean changed = FALSE;
  for (const GSList *l = contacts; l; l = l->next)
    {
      EContact *contact = l->data;
      const char *uid = e_contact_get_const (contact, E_CONTACT_UID);
      if (uid == NULL)
        continue;
      Entry *e = entry_from_contact (contact);
      /* A modified contact may have lost its last address: it goes. */
      if (e)
        g_hash_table_replace (book->entries, g_strdup (uid), e);
      else
        g_hash_table_remove (book->entries, uid);
      changed = TRUE;
    }
  if (changed)
    {
      g_debug ("address book %s: %u -> %u contacts", book->source_uid, before,
               g_hash_table_size (book->entries));
      g_signal_emit (book->owner, signals[SIGNAL_CHANGED], 0);
    }
}

static void
on_view_complete (EBookClientView *view, const GError *error, gpointer data)
{
  Book *book = data;
  if (error)
    g_debug ("address book %s: read incompletely: %s", book->source_uid, error->message);
  book_opened (book);
}

static void
on_objects_removed (EBookClientView *view, const GSList *uids, gpointer data)
{
  Book *book = data;
  gboolean changed = FALSE;
  for (const GSList *l = uids; l; l = l->next)
    changed |= g_hash_table_remove (book->entries, l->data);
  if (changed)
    {
      g_debug ("address book %s: %u contacts after removal", book->source_uid,
               g_hash_table_size (book->entries));
      g_signal_emit (book->owner, signals[SIGNAL_CHANGED], 0);
    }
}

typedef struct {
  GWeakRef self;
  char *source_uid;
} Pending;

static Pending *
pending_new (TrvContacts *self, const char *source_uid)
{
  Pending *p = g_new0 (Pending, 1);
  g_weak_ref_init (&p->self, self);
  p->source_uid = g_strdup (source_uid);
  return p;
}

static void
pending_free (Pending *p)
{
  g_weak_ref_clear (&p->self);
  g_free (p->source_uid);
  g_free (p);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void
on_view_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(Pending) p = data;
  g_autoptr(GError) error = NULL;
  EBookClientView *view = NULL;
  gboolean ok = e_book_client_get_view_finish (E_BOOK_CLIENT (source), result, &view, &error);
  g_autoptr(TrvContacts) self = g_weak_ref_get (&p->self);
  Book *book = self ? g_hash_table_lookup (self->books, p->source_uid) : NULL;
  if (!ok || book == NULL || book->client != E_BOOK_CLIENT (source))
    {
      if (!ok)
        g_debug ("address book %s: no view: %s", p->source_uid, error->message);
      if (book)
        book_opened (book);
      g_clear_object (&view);
      return;
    }
  book->view = view;
  g_autoptr(GSList) fields = NULL;
  EContactField wanted[] = { E_CONTACT_UID, E_CONTACT_FULL_NAME, E_CONTACT_FILE_AS,
                             E_CONTACT_NICKNAME, E_CONTACT_TEL, E_CONTACT_SIP };
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    fields = g_slist_prepend (fields, (gpointer) e_contact_field_name (wanted[i]));
  /* Only a hint to the backend; every field still arrives if it ignores it. */
  e_book_client_view_set_fields_of_interest (view, fields, NULL);
  g_signal_connect (view, "objects-added", G_CALLBACK (on_objects_added), book);
  g_signal_connect (view, "objects-modified", G_CALLBACK (on_objects_added), book);
  g_signal_connect (view, "objects-removed", G_CALLBACK (on_objects_removed), book);
  g_signal_connect (view, "complete", G_CALLBACK (on_view_complete), book);
  e_book_client_view_start (view, &error);
  if (error)
    {
      g_debug ("address book %s: view not started: %s", p->source_uid, error->message);
      book_opened (book);
    }
  else
    g_debug ("address book %s: reading", p->source_uid);
}

static void
on_book_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(Pending) p = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EClient) client = e_book_client_connect_finish (result, &error);
  g_autoptr(TrvContacts) self = g_weak_ref_get (&p->self);
  Book *book = self ? g_hash_table_lookup (self->books, p->source_uid) : NULL;
  if (client == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("address book %s: cannot open: %s", p->source_uid, error->message);
      if (book)
        book_opened (book);
      return;
    }
  if (book == NULL || book->client != NULL)
    return;
  book->client = E_BOOK_CLIENT (g_steal_pointer (&client));
  /* Every contact: the view then follows additions, edits and removals. */
  EBookQuery *all = e_book_query_any_field_contains ("");
  g_autofree gchar *sexp = e_book_query_to_string (all);
  e_book_query_unref (all);
  e_book_client_get_view (book->client, sexp, self->cancellable, on_view_ready,
                          g_steal_pointer (&p));
}

static void
add_source (TrvContacts *self, ESource *source)
{
  const char *uid = e_source_get_uid (source);
  if (!e_source_has_extension (source, E_SOURCE_EXTENSION_ADDRESS_BOOK) ||
      !e_source_get_enabled (source) || g_hash_table_contains (self->books, uid))
    return;
  Book *book = g_new0 (Book, 1);
  book->owner = self;
  book->source_uid = g_strdup (uid);
  book->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  book->opening = TRUE;
  self->opening++;
  g_hash_table_insert (self->books, g_strdup (uid), book);
  g_debug ("address book %s (%s): opening", uid, e_source_get_display_name (source));
  e_book_client_connect (source, BOOK_CONNECT_WAIT_S, self->cancellable, on_book_connected,
                         pending_new (self, uid));
}

static void
remove_source (TrvContacts *self, ESource *source)
{
  const char *uid = e_source_get_uid (source);
  Book *book = g_hash_table_lookup (self->books, uid);
  if (book == NULL)
    return;
  gboolean had_contacts = g_hash_table_size (book->entries) > 0;
  g_hash_table_remove (self->books, uid);
  g_debug ("address book %s: gone", uid);
  if (had_contacts)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_source_added (ESourceRegistry *registry, ESource *source, gpointer data)
{
  add_source (TRV_CONTACTS (data), source);
}

static void
on_source_removed (ESourceRegistry *registry, ESource *source, gpointer data)
{
  remove_source (TRV_CONTACTS (data), source);
}

static void
on_registry_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  ESourceRegistry *registry = e_source_registry_new_finish (result, &error);
  g_autoptr(TrvContacts) self = g_weak_ref_get (data);
  g_weak_ref_clear (data);
  g_free (data);
  if (registry == NULL)
    {
      /* No evolution-data-server: a normal setup, not a problem to report. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no address books: %s", error->message);
      if (self)
        opened_one (self);
      return;
    }
  if (self == NULL)
    {
      g_object_unref (registry);
      return;
    }
  self->registry = registry;
  self->available = TRUE;
  g_debug ("address book service found");
  g_signal_connect_object (registry, "source-added", G_CALLBACK (on_source_added), self, 0);
  g_signal_connect_object (registry, "source-enabled", G_CALLBACK (on_source_added), self, 0);
  g_signal_connect_object (registry, "source-removed", G_CALLBACK (on_source_removed), self, 0);
  g_signal_connect_object (registry, "source-disabled", G_CALLBACK (on_source_removed), self,
                           0);
  GList *sources = e_source_registry_list_enabled (registry, E_SOURCE_EXTENSION_ADDRESS_BOOK);
  for (GList *l = sources; l; l = l->next)
    add_source (self, l->data);
  g_list_free_full (sources, g_object_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
  opened_one (self);
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
  g_cancellable_cancel (self->cancellable);
  /* No "loading" notifications from a disposing object. */
  GHashTableIter it;
  gpointer book;
  g_hash_table_iter_init (&it, self->books);
  while (g_hash_table_iter_next (&it, NULL, &book))
    ((Book *) book)->opening = FALSE;
  self->opening = 0;
  g_hash_table_remove_all (self->books);
  g_clear_object (&self->registry);
  G_OBJECT_CLASS (trv_contacts_parent_class)->dispose (object);
}

static void
trv_contacts_finalize (GObject *object)
{
  TrvContacts *self = TRV_CONTACTS (object);
  g_hash_table_unref (self->books);
  g_object_unref (self->cancellable);
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
  self->cancellable = g_cancellable_new ();
  self->opening = 1;  /* the service */
  self->books = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, book_free);
}

TrvContacts *
trv_contacts_new (void)
{
  return g_object_new (TRV_TYPE_CONTACTS, NULL);
}

void
trv_contacts_load (TrvContacts *self)
{
  g_return_if_fail (TRV_IS_CONTACTS (self));
  if (self->started)
    return;
  self->started = TRUE;
  g_debug ("address books: connecting to the service");
  GWeakRef *ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  e_source_registry_new (self->cancellable, on_registry_ready, ref);
}
