/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-contact-keys.h: what of a caller's address can be found in an address book. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *sip;    /* "user@host", lower-case host, no scheme or parameters; NULL if none */
  char *phone;  /* the user part when it is a phone number ("+49 30 1234", "0301234") */
} TrvContactKeys;

/* Reads "Name <sip:user@host;params>", "sip:user@host", "tel:+1...", "user@host" or a bare
 * number. Returns FALSE (and nothing to free) when nothing can be looked up. */
gboolean trv_contact_keys_parse      (const char *address,
                                      TrvContactKeys *keys);
void     trv_contact_keys_clear      (TrvContactKeys *keys);

/* The same SIP address, whatever its scheme, parameters or case of host ("sip:A@EX.org;x"
 * and "a@ex.org" are not the same user, but "sip:a@EX.org" and "a@ex.org" are). */
gboolean trv_contact_keys_sip_equal  (const char *a,
                                      const char *b);
/* Phone numbers equal in their digits, or one ends with the other's national part (at
 * least 6 digits: "+49 30 123456" and "030 123456"). */
gboolean trv_contact_keys_phone_equal (const char *a,
                                       const char *b);

G_END_DECLS
