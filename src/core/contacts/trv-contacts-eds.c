/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-contacts-eds.c: reads the user's address books through evolution-data-server views and
 * hands their contacts to TrvContacts (trv-contacts-reader.h). Built as a module that
 * trv_contacts_load() opens, once the desktop's window has drawn. */
#include "config.h"

#include <gmodule.h>

#include "trv-contacts-reader.h"

/* EDS 3.46's headers still declare GTimeVal functions. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook/libebook.h>
G_GNUC_END_IGNORE_DEPRECATIONS

/* Seconds e_book_client_connect() waits for a book's backend to say it is online. EDS 3.46
 * waits that long even for a local book whose backend was just started (and never returns
 * with 0), while an offline book still serves its contacts: keep it short. */
#define BOOK_CONNECT_WAIT_S 1

typedef struct _Reader Reader;

typedef struct {
  Reader *reader;         /* not a reference: the reader frees its books first */
  char *source_uid;
  EBookClient *client;
  EBookClientView *view;
  gboolean opening;       /* book_opening() was told, book_read() not yet */
} Book;

/* Reference-counted (g_rc_box): pending EDS calls hold one, so their callbacks find the
 * reader even after stop, which only sets `owner` to NULL. */
struct _Reader {
  TrvContacts *owner;     /* NULL once stopped */
  const TrvContactsSink *sink;
  GCancellable *cancellable;
  ESourceRegistry *registry;
  GHashTable *books;      /* source UID -> Book */
};

static void
reader_clear (gpointer data)
{
  Reader *r = data;
  g_hash_table_unref (r->books);
  g_clear_object (&r->registry);
  g_object_unref (r->cancellable);
}

static void
reader_unref (Reader *r)
{
  g_rc_box_release_full (r, reader_clear);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reader, reader_unref)

static void
book_read (Book *book)
{
  if (!book->opening)
    return;
  book->opening = FALSE;
  Reader *r = book->reader;
  if (r->owner)
    r->sink->book_read (r->owner, book->source_uid);
}

static void
book_free (gpointer data)
{
  Book *book = data;
  if (book->view)
    {
      g_signal_handlers_disconnect_by_data (book->view, book);
      g_object_unref (book->view);
    }
  g_clear_object (&book->client);
  g_free (book->source_uid);
  g_free (book);
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

/* The name a contact is shown by, NULL for none. */
static const char *
contact_name (EContact *contact)
{
  const EContactField fields[] = { E_CONTACT_FULL_NAME, E_CONTACT_FILE_AS, E_CONTACT_NICKNAME };
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *name = e_contact_get_const (contact, fields[i]);
      if (name && *name)
        return name;
    }
  return NULL;
}

static void
on_objects_added (EBookClientView *view, const GSList *contacts, gpointer data)
{
  Book *book = data;
  Reader *r = book->reader;
  gboolean changed = FALSE;
  for (const GSList *l = contacts; r->owner && l; l = l->next)
    {
      EContact *contact = l->data;
      const char *uid = e_contact_get_const (contact, E_CONTACT_UID);
      if (uid == NULL)
        continue;
      r->sink->contact_set (r->owner, book->source_uid, uid, contact_name (contact),
                            strv_from_list (e_contact_get (contact, E_CONTACT_SIP)),
                            strv_from_list (e_contact_get (contact, E_CONTACT_TEL)));
      changed = TRUE;
    }
  if (changed && r->owner)
    r->sink->changed (r->owner, book->source_uid);
}

static void
on_view_complete (EBookClientView *view, const GError *error, gpointer data)
{
  Book *book = data;
  if (error)
    g_debug ("address book %s: read incompletely: %s", book->source_uid, error->message);
  book_read (book);
}

static void
on_objects_removed (EBookClientView *view, const GSList *uids, gpointer data)
{
  Book *book = data;
  Reader *r = book->reader;
  gboolean changed = FALSE;
  for (const GSList *l = uids; r->owner && l; l = l->next)
    changed |= r->sink->contact_removed (r->owner, book->source_uid, l->data);
  if (changed && r->owner)
    r->sink->changed (r->owner, book->source_uid);
}

typedef struct {
  Reader *reader;         /* a reference */
  char *source_uid;
} Pending;

static Pending *
pending_new (Reader *r, const char *source_uid)
{
  Pending *p = g_new0 (Pending, 1);
  p->reader = g_rc_box_acquire (r);
  p->source_uid = g_strdup (source_uid);
  return p;
}

static void
pending_free (Pending *p)
{
  reader_unref (p->reader);
  g_free (p->source_uid);
  g_free (p);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

/* The book a pending call was for, if it is still wanted. */
static Book *
pending_book (Pending *p)
{
  return p->reader->owner ? g_hash_table_lookup (p->reader->books, p->source_uid) : NULL;
}

static void
start_view (Book *book, EBookClientView *view)
{
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
  g_autoptr(GError) error = NULL;
  e_book_client_view_start (view, &error);
  if (error)
    {
      g_debug ("address book %s: view not started: %s", book->source_uid, error->message);
      book_read (book);
    }
  else
    g_debug ("address book %s: reading", book->source_uid);
}

static void
on_view_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(Pending) p = data;
  g_autoptr(GError) error = NULL;
  EBookClientView *view = NULL;
  gboolean ok = e_book_client_get_view_finish (E_BOOK_CLIENT (source), result, &view, &error);
  Book *book = pending_book (p);
  if (!ok || book == NULL || book->client != E_BOOK_CLIENT (source))
    {
      if (!ok)
        g_debug ("address book %s: no view: %s", p->source_uid, error->message);
      if (book)
        book_read (book);
      g_clear_object (&view);
      return;
    }
  start_view (book, view);
}

static void
on_book_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(Pending) p = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EClient) client = e_book_client_connect_finish (result, &error);
  Book *book = pending_book (p);
  if (client == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("address book %s: cannot open: %s", p->source_uid, error->message);
      if (book)
        book_read (book);
      return;
    }
  if (book == NULL || book->client != NULL)
    return;
  book->client = E_BOOK_CLIENT (g_steal_pointer (&client));
  /* Every contact: the view then follows additions, edits and removals. */
  EBookQuery *all = e_book_query_any_field_contains ("");
  g_autofree gchar *sexp = e_book_query_to_string (all);
  e_book_query_unref (all);
  Reader *r = p->reader;
  e_book_client_get_view (book->client, sexp, r->cancellable, on_view_ready,
                          g_steal_pointer (&p));
}

static void
add_source (Reader *r, ESource *source)
{
  const char *uid = e_source_get_uid (source);
  if (r->owner == NULL || !e_source_has_extension (source, E_SOURCE_EXTENSION_ADDRESS_BOOK) ||
      !e_source_get_enabled (source) || g_hash_table_contains (r->books, uid))
    return;
  Book *book = g_new0 (Book, 1);
  book->reader = r;
  book->source_uid = g_strdup (uid);
  book->opening = TRUE;
  g_hash_table_insert (r->books, g_strdup (uid), book);
  r->sink->book_opening (r->owner, uid);
  g_debug ("address book %s (%s): opening", uid, e_source_get_display_name (source));
  e_book_client_connect (source, BOOK_CONNECT_WAIT_S, r->cancellable, on_book_connected,
                         pending_new (r, uid));
}

static void
on_source_added (ESourceRegistry *registry, ESource *source, gpointer data)
{
  add_source (data, source);
}

static void
on_source_removed (ESourceRegistry *registry, ESource *source, gpointer data)
{
  Reader *r = data;
  const char *uid = e_source_get_uid (source);
  Book *book = g_hash_table_lookup (r->books, uid);
  if (book == NULL || r->owner == NULL)
    return;
  g_autofree gchar *gone = g_strdup (uid);
  g_hash_table_remove (r->books, uid);
  g_debug ("address book %s: gone", gone);
  r->sink->book_gone (r->owner, gone);
}

static void
on_registry_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(Reader) r = data;
  g_autoptr(GError) error = NULL;
  ESourceRegistry *registry = e_source_registry_new_finish (result, &error);
  if (registry == NULL)
    {
      /* No evolution-data-server: a normal setup, not a problem to report. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no address books: %s", error->message);
      if (r->owner)
        r->sink->service (r->owner, FALSE);
      return;
    }
  if (r->owner == NULL)
    {
      g_object_unref (registry);
      return;
    }
  r->registry = registry;
  g_debug ("address book service found");
  g_signal_connect (registry, "source-added", G_CALLBACK (on_source_added), r);
  g_signal_connect (registry, "source-enabled", G_CALLBACK (on_source_added), r);
  g_signal_connect (registry, "source-removed", G_CALLBACK (on_source_removed), r);
  g_signal_connect (registry, "source-disabled", G_CALLBACK (on_source_removed), r);
  GList *sources = e_source_registry_list_enabled (registry, E_SOURCE_EXTENSION_ADDRESS_BOOK);
  for (GList *l = sources; l; l = l->next)
    add_source (r, l->data);
  g_list_free_full (sources, g_object_unref);
  r->sink->service (r->owner, TRUE);
}

G_MODULE_EXPORT gpointer trv_contacts_reader_start (TrvContacts *owner,
                                                    const TrvContactsSink *sink);
G_MODULE_EXPORT void     trv_contacts_reader_stop  (gpointer reader);

gpointer
trv_contacts_reader_start (TrvContacts *owner, const TrvContactsSink *sink)
{
  Reader *r = g_rc_box_new0 (Reader);
  r->owner = owner;
  r->sink = sink;
  r->cancellable = g_cancellable_new ();
  r->books = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, book_free);
  e_source_registry_new (r->cancellable, on_registry_ready, g_rc_box_acquire (r));
  return r;
}

void
trv_contacts_reader_stop (gpointer reader)
{
  Reader *r = reader;
  r->owner = NULL;
  g_cancellable_cancel (r->cancellable);
  if (r->registry)
    g_signal_handlers_disconnect_by_data (r->registry, r);
  g_hash_table_remove_all (r->books);
  reader_unref (r);
}
