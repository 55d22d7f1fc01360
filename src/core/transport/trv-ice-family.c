/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-ice-family.c: IPv4 and IPv6 in a TrvIceTransport: which candidates we offer, which
 * family the default (m=/c=) candidate has, and the plain verdict when our candidates and
 * the peer's share no address family. */
#include "config.h"

#include "trv-ice-transport-private.h"
#include "trv-error.h"

#include <glib/gi18n-lib.h>
#include <netinet/in.h>

gboolean
_trv_ice_transport_offers (TrvIceTransport *self, const NiceCandidate *c)
{
  if (c->transport != NICE_CANDIDATE_TRANSPORT_UDP)
    return FALSE;
  /* An IPv6 link-local address means nothing beyond its link, and SDP drops its scope:
   * a pair with it only holds nomination back until its checks time out. (libnice 0.1.21
   * does not export nice_address_is_linklocal.) */
  if (nice_address_ip_version (&c->addr) == 6 && IN6_IS_ADDR_LINKLOCAL (&c->addr.s.ip6.sin6_addr))
    return FALSE;
  if (self->mode == TRV_NAT_MODE_TURN)
    return c->type == NICE_CANDIDATE_TYPE_RELAYED;
  return TRUE;
}

guint
_trv_ice_transport_preferred_ip_version (TrvIceTransport *self)
{
  if (self->plain_ip_version != 0)
    return self->plain_ip_version;
  /* The family SIP uses (the address toward the registrar or the peer). */
  g_autoptr(GInetAddress) local = self->local_address
                                  ? g_inet_address_new_from_string (self->local_address) : NULL;
  if (local && g_inet_address_get_family (local) == G_SOCKET_FAMILY_IPV6)
    return 6;
  return 4;
}

static const char *
family_name (guint version)
{
  return version == 6 ? "IPv6" : "IPv4";
}

/* Bit 0: IPv4, bit 1: IPv6. */
static guint
families_of (GSList *cands, TrvIceTransport *offering)
{
  guint families = 0;
  for (GSList *l = cands; l; l = l->next)
    {
      NiceCandidate *c = l->data;
      if (offering && !_trv_ice_transport_offers (offering, c))
        continue;
      families |= nice_address_ip_version (&c->addr) == 6 ? 2 : 1;
    }
  return families;
}

static gboolean
families_meet (TrvIceTransport *self, GSList *remote, GError **error)
{
  GSList *ours = _trv_ice_transport_local_candidates (self, TRV_COMPONENT_RTP);
  guint mine = families_of (ours, self);
  g_slist_free_full (ours, (GDestroyNotify) nice_candidate_free);
  guint theirs = families_of (remote, NULL);
  g_debug ("ICE %p: address families: ours %s%s, the peer's %s%s", (gpointer) self,
           mine & 1 ? "4" : "", mine & 2 ? "6" : "", theirs & 1 ? "4" : "",
           theirs & 2 ? "6" : "");
  if ((mine & theirs) != 0 || mine == 0 || theirs == 0)
    return TRUE;
  /* libnice pairs candidates of one family only, and 0.1.21 cannot ask a TURN server
   * for a relay of the other family (no REQUESTED-ADDRESS-FAMILY, RFC 6156): it gets the
   * server's default, IPv4 by the RFC, the family the client came over on some servers. */
  g_set_error (error, TRV_ERROR, TRV_ERROR_NO_PATH,
               /* Translators: the %s are "IPv4" or "IPv6". */
               _("no media path: the other side has only %s addresses and this device only %s "
                 "ones, and no TURN server relays between them"),
               family_name (theirs == 2 ? 6 : 4), family_name (mine == 2 ? 6 : 4));
  return FALSE;
}

gboolean
_trv_ice_transport_check_families (TrvIceTransport *self, GSList **lists, GError **error)
{
  self->plain_ip_version = 0;   /* an ICE peer: the default candidate follows SIP again */
  if (!families_meet (self, lists[TRV_COMPONENT_RTP], error))
    {
      for (guint c = TRV_COMPONENT_RTP; c <= TRV_COMPONENT_RTCP; c++)
        g_slist_free_full (g_steal_pointer (&lists[c]), (GDestroyNotify) nice_candidate_free);
      return FALSE;
    }
  return TRUE;
}

gboolean
_trv_ice_transport_defers_host (const NiceCandidate *c)
{
  /* A private IPv4 address behind another NAT is unreachable; a global IPv6 address
   * needs no NAT and is the best path there is (RFC 8421), so its checks start at once. */
  return c->type == NICE_CANDIDATE_TYPE_HOST && nice_address_ip_version (&c->addr) == 4;
}
