/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-user-agent-admit.c: which new INVITEs the agent lets through to a TrvCall: only
 * to our contact and from our provider (unless account.allow-direct-calls), not faster
 * than a flood threshold, and not more ringing or concurrent calls than we can carry. */
#include "config.h"

#include "trv-user-agent-private.h"
#include "trv-call.h"

#include <sofia-sip/msg_addr.h>
#include <string.h>

/* --- the provider's addresses ------------------------------------------------------ */

static void
add_provider_address (TrvUserAgent *self, GInetAddress *address)
{
  for (guint i = 0; i < self->provider_addresses->len; i++)
    if (g_inet_address_equal (self->provider_addresses->pdata[i], address))
      return;
  g_autofree gchar *text = g_inet_address_to_string (address);
  g_debug ("admission: calls accepted from provider address %s", text);
  g_ptr_array_add (self->provider_addresses, g_object_ref (address));
}

static void
on_provider_resolved (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the agent stopped: `data` may be gone */
  TrvUserAgent *self = data;
  self->provider_lookups--;
  if (addresses == NULL)
    g_debug ("admission: cannot resolve the provider: %s", error->message);
  for (GList *l = addresses; l; l = l->next)
    add_provider_address (self, l->data);
  g_resolver_free_addresses (addresses);
}

/* The host of a sofia URI ("sip:host:port;transport=udp"), brackets of IPv6 removed. */
static void
resolve_provider (TrvUserAgent *self, const char *uri)
{
  if (uri == NULL)
    return;
  url_t url[1];
  g_autofree gchar *copy = g_strdup (uri);
  if (url_d (url, copy) < 0 || url->url_host == NULL)
    return;
  g_autofree gchar *host = g_strdup (url->url_host);
  if (host[0] == '[')
    {
      memmove (host, host + 1, strlen (host));
      host[strcspn (host, "]")] = '\0';
    }
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (host);
  if (literal != NULL)
    {
      add_provider_address (self, literal);
      return;
    }
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  self->provider_lookups++;
  g_resolver_lookup_by_name_async (resolver, host, self->provider_cancel, on_provider_resolved,
                                   self);
}

/* Whether INVITEs must come through the account's provider and name its contact. */
static gboolean
provider_only (TrvUserAgent *self)
{
  return self->account && (self->account->do_register || self->account->proxy);
}

gboolean
_trv_user_agent_takes_direct_calls (TrvUserAgent *self)
{
  return !provider_only (self) || self->account->allow_direct_calls;
}

void
_trv_user_agent_start_admission (TrvUserAgent *self)
{
  _trv_user_agent_stop_admission (self);   /* a restarted agent resolves afresh */
  self->provider_addresses = g_ptr_array_new_with_free_func (g_object_unref);
  self->provider_cancel = g_cancellable_new ();
  _trv_user_agent_resolve_provider (self);
}

void
_trv_user_agent_resolve_provider (TrvUserAgent *self)
{
  if (!provider_only (self) || self->provider_addresses == NULL)
    return;
  /* The registrar and the outbound proxy: where sofia sends our requests, and so where
   * the provider's requests to us come from. Resolved in the background (never on the
   * main loop); INVITEs before the first answer get 503. Addresses found later are
   * added: a provider that moved keeps working after our next registration. */
  if (self->account->do_register)
    resolve_provider (self, self->registrar_uri);
  if (self->account->proxy)
    resolve_provider (self, self->proxy_uri);
}

void
_trv_user_agent_stop_admission (TrvUserAgent *self)
{
  if (self->provider_cancel)
    g_cancellable_cancel (self->provider_cancel);
  g_clear_object (&self->provider_cancel);
  g_clear_pointer (&self->provider_addresses, g_ptr_array_unref);
  self->provider_lookups = 0;
}

/* --- admission ------------------------------------------------------------------------ */

/* Where the request came from: the transport's peer address as sofia received it. */
static GInetAddress *
request_source (TrvUserAgent *self)
{
  msg_t *msg = nua_current_request (self->nua);
  su_addrinfo_t *ai = msg ? msg_addrinfo (msg) : NULL;
  if (ai == NULL || ai->ai_addr == NULL || ai->ai_addrlen == 0)
    return NULL;
  g_autoptr(GSocketAddress) sa = g_socket_address_new_from_native (ai->ai_addr, ai->ai_addrlen);
  if (sa == NULL || !G_IS_INET_SOCKET_ADDRESS (sa))
    return NULL;
  return g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa)));
}

static gboolean
from_provider (TrvUserAgent *self, GInetAddress *source)
{
  for (guint i = 0; source && i < self->provider_addresses->len; i++)
    if (g_inet_address_equal (self->provider_addresses->pdata[i], source))
      return TRUE;
  return FALSE;
}

/* The status to refuse a ghost call with (an INVITE that bypasses the provider or is
 * not addressed to us), or 0. */
static int
check_route (TrvUserAgent *self, const sip_t *sip, GInetAddress *source, const char *from)
{
  if (!provider_only (self))
    return 0;
  const char *user = sip && sip->sip_request ? sip->sip_request->rq_url->url_user : NULL;
  if (g_strcmp0 (user, self->account->user) != 0)
    {
      g_debug ("admission: INVITE from %s to user '%s' refused: our contact is '%s'", from,
               user ? user : "", self->account->user);
      return 404;
    }
  if (self->account->allow_direct_calls || from_provider (self, source))
    return 0;
  if (self->provider_lookups > 0 && self->provider_addresses->len == 0)
    {
      g_debug ("admission: INVITE from %s before the provider's address is known", from);
      return 503;
    }
  g_debug ("admission: INVITE from %s refused: not the registrar or proxy "
           "(account.allow-direct-calls is false)", from);
  return 403;
}

gboolean
_trv_user_agent_admit_notify (TrvUserAgent *self)
{
  if (!provider_only (self) || self->account->allow_direct_calls)
    return TRUE;
  g_autoptr(GInetAddress) source = request_source (self);
  if (from_provider (self, source))
    return TRUE;
  g_autofree gchar *from = source ? g_inet_address_to_string (source) : g_strdup ("unknown");
  g_debug ("admission: NOTIFY from %s refused: not the registrar or proxy", from);
  return FALSE;
}

/* More new INVITEs within a second than a person could take: a flood. */
static gboolean
flooded (TrvUserAgent *self)
{
  gint64 now = g_get_monotonic_time ();
  if (now - self->invite_window_us >= G_USEC_PER_SEC)
    {
      self->invite_window_us = now;
      self->invite_window_count = 0;
    }
  return ++self->invite_window_count > TRV_MAX_INVITES_PER_SECOND;
}

static int
check_capacity (TrvUserAgent *self, const char *from)
{
  if (flooded (self))
    {
      g_debug ("admission: INVITE from %s refused: more than %d INVITEs within a second",
               from, TRV_MAX_INVITES_PER_SECOND);
      return 503;
    }
  guint ringing = 0, calls = 0;
  for (GList *l = self->calls; l; l = l->next, calls++)
    if (trv_call_get_direction (l->data) == TRV_CALL_DIRECTION_INCOMING &&
        trv_call_get_state (l->data) == TRV_CALL_STATE_INCOMING)
      ringing++;
  if (ringing >= TRV_MAX_RINGING_CALLS || calls >= TRV_MAX_CALLS)
    {
      g_debug ("admission: INVITE from %s refused as busy: %u ringing (at most %d), "
               "%u calls (at most %d)", from, ringing, TRV_MAX_RINGING_CALLS, calls,
               TRV_MAX_CALLS);
      return 486;
    }
  return 0;
}

gboolean
_trv_user_agent_admit_invite (TrvUserAgent *self, nua_handle_t *nh, const sip_t *sip)
{
  g_autoptr(GInetAddress) source = request_source (self);
  g_autofree gchar *from = source ? g_inet_address_to_string (source) : g_strdup ("unknown");
  int status = self->shutting_down ? 503 : check_route (self, sip, source, from);
  /* Refused ghosts do not count toward the flood threshold: they cost nothing more. */
  if (status == 0)
    status = check_capacity (self, from);
  if (status == 0)
    return TRUE;
  /* nua_respond needs the phrase; sip_status_phrase() knows the standard ones. */
  g_autofree gchar *retry = g_strdup_printf ("%d", TRV_INVITE_RETRY_AFTER_S);
  nua_respond (nh, status, sip_status_phrase (status),
               TAG_IF (status == 503, SIPTAG_RETRY_AFTER_STR (retry)),
               TAG_END ());
  nua_handle_destroy (nh);
  return FALSE;
}
