/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-contacts.h: the user's address books (evolution-data-server, as GNOME Contacts keeps
 * them), read in the background and kept in memory: names for callers, dialling by name. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  TRV_CONTACT_ADDRESS_SIP,    /* a SIP address from the contact's SIP field */
  TRV_CONTACT_ADDRESS_PHONE,  /* a phone number, dialled through the account */
} TrvContactAddressKind;

typedef struct {
  char *name;
  char *address;
  TrvContactAddressKind kind;
} TrvContactMatch;

#define TRV_TYPE_CONTACT_MATCH (trv_contact_match_get_type ())
GType            trv_contact_match_get_type (void) G_GNUC_CONST;
TrvContactMatch *trv_contact_match_copy     (const TrvContactMatch *match);
void             trv_contact_match_free     (TrvContactMatch *match);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrvContactMatch, trv_contact_match_free)

#define TRV_TYPE_CONTACTS (trv_contacts_get_type ())
G_DECLARE_FINAL_TYPE (TrvContacts, trv_contacts, TRV, CONTACTS, GObject)

/* Holds no contacts (and is "loading") until trv_contacts_load(). */
TrvContacts *trv_contacts_new         (void);
/* Starts reading every enabled address book in the background and follows their changes
 * ("changed"); a second call does nothing. Without evolution-data-server it stays empty
 * and says so only in the debug log: callers then show addresses, as they would for a
 * stranger. The desktop calls it once its window has drawn, because connecting starts the
 * address book services, which compete with the window for the CPU. */
void         trv_contacts_load        (TrvContacts *self);
/* TRUE once the address book service answered (property "available"). */
gboolean     trv_contacts_is_available (TrvContacts *self);
/* TRUE until the service answered (or did not) and every address book it had at start
 * was read once (property "loading"). */
gboolean     trv_contacts_is_loading  (TrvContacts *self);
/* Number of contacts with a SIP address or phone number held now. */
guint        trv_contacts_get_count   (TrvContacts *self);
/* The name of the contact with this SIP address or phone number ("sip:bob@example.org",
 * "Bob <sip:+4930123456@provider>;tag=x", "tel:030123456"), or NULL. */
char        *trv_contacts_lookup_name (TrvContacts *self,
                                       const char *address);
/* Up to `max` addresses (0: no limit) of contacts whose name contains `text` (any case),
 * or whose address starts with it, ordered by name; empty text gives every address.
 * Element type TrvContactMatch. */
GPtrArray   *trv_contacts_search      (TrvContacts *self,
                                       const char *text,
                                       guint max);

G_END_DECLS
