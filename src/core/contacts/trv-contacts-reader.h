/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-contacts-reader.h: between TrvContacts (the contacts held in memory) and the reader of
 * evolution-data-server's address books (trv-contacts-eds.c). The reader is a module that
 * trv_contacts_load() opens, so that EDS's client libraries (25 of them, relocated at load)
 * are not part of the app's start. */
#pragma once

#include "trv-contacts.h"

G_BEGIN_DECLS

/* What the reader tells the store; every call on the main context. */
typedef struct {
  /* The service answered (TRUE) or is not there (FALSE, and nothing more comes). */
  void (*service)(TrvContacts *owner, gboolean available);
  /* A book is being opened: "loading" until book_read() for it. */
  void (*book_opening)(TrvContacts *owner, const char *book);
  /* The book was read once, or could not be (then it stays empty). book_gone() also
   * ends its "loading". */
  void (*book_read)(TrvContacts *owner, const char *book);
  void (*book_gone)(TrvContacts *owner, const char *book);
  /* A contact came or changed; name NULL: it has nothing to show or dial any more.
   * Takes sips and phones (NULL-terminated, never NULL themselves). */
  void (*contact_set)(TrvContacts *owner, const char *book, const char *uid,
                      const char *name, GStrv sips, GStrv phones);
  /* TRUE when the store held it. */
  gboolean (*contact_removed)(TrvContacts *owner, const char *book, const char *uid);
  /* After a batch of contact_set/contact_removed that changed something. */
  void (*changed)(TrvContacts *owner, const char *book);
} TrvContactsSink;

/* The module's file name (without "lib" and suffix) and its two functions. */
#define TRV_CONTACTS_READER_MODULE "traverse-contacts-eds"
#define TRV_CONTACTS_READER_START "trv_contacts_reader_start"
#define TRV_CONTACTS_READER_STOP "trv_contacts_reader_stop"
/* Starts reading for `owner`, which must call the stop function before it goes (the reader
 * keeps a plain pointer to it); nothing reaches the sink after that. */
typedef gpointer (*TrvContactsReaderStart) (TrvContacts *owner, const TrvContactsSink *sink);
typedef void (*TrvContactsReaderStop) (gpointer reader);

G_END_DECLS
