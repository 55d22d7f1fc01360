/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trv-nat-probe-ipv6.c: the NAT probe's IPv6 part: does this device have a global IPv6
 * address, and does the STUN (or TURN) server answer a Binding request over IPv6? */
#include "config.h"

#include "trv-nat-probe-private.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <stun/stunagent.h>
#include <stun/usages/bind.h>

#include "trv-error.h"
#include "trv-host-port.h"
#include "trv-net.h"
#include "trv-stun-transaction.h"

#define BUF_SIZE 4096
#define IPV6_BUDGET_MS 1500

/* Global unicast: not loopback, link-local, site-local, unique-local (fc00::/7) or
 * multicast. The first such address of an interface that is up. */
static gchar *
global_ipv6_address (void)
{
  struct ifaddrs *list = NULL;
  if (getifaddrs (&list) != 0)
    return NULL;
  gchar *found = NULL;
  for (struct ifaddrs *i = list; i && !found; i = i->ifa_next)
    {
      if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET6)
        continue;
      const struct sockaddr_in6 *sa = (const struct sockaddr_in6 *) i->ifa_addr;
      g_autoptr(GInetAddress) a = g_inet_address_new_from_bytes (sa->sin6_addr.s6_addr,
                                                                 G_SOCKET_FAMILY_IPV6);
      if (g_inet_address_get_is_loopback (a) || g_inet_address_get_is_link_local (a) ||
          g_inet_address_get_is_site_local (a) || g_inet_address_get_is_multicast (a) ||
          g_inet_address_get_is_any (a) || (sa->sin6_addr.s6_addr[0] & 0xfe) == 0xfc)
        continue;
      found = g_inet_address_to_string (a);
    }
  freeifaddrs (list);
  return found;
}

/* The server's IPv6 address: the literal, or its first AAAA record. */
static GInetAddress *
ipv6_of (const char *host, GCancellable *cancellable)
{
  GInetAddress *literal = g_inet_address_new_from_string (host);
  if (literal)
    {
      if (g_inet_address_get_family (literal) == G_SOCKET_FAMILY_IPV6)
        return literal;
      g_object_unref (literal);
      return NULL;
    }
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  GList *addrs = g_resolver_lookup_by_name_with_flags (resolver, host,
                                                       G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY,
                                                       cancellable, NULL);
  GInetAddress *a = addrs ? g_object_ref (addrs->data) : NULL;
  g_resolver_free_addresses (addrs);
  return a;
}

static gboolean
binding_over_ipv6 (GSocketAddress *server, gchar **mapped, GCancellable *cancellable,
                   GError **error)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, error);
  if (sock == NULL)
    return FALSE;
  StunAgent agent;
  StunMessage resp;
  guint8 req_buf[BUF_SIZE], resp_buf[BUF_SIZE];
  StunMessage req;
  stun_agent_init (&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                   STUN_AGENT_USAGE_USE_FINGERPRINT);
  gsize len = stun_usage_bind_create (&agent, &req, req_buf, sizeof req_buf);
  if (!trv_stun_udp_transaction (sock, server, &agent, req_buf, len, resp_buf, &resp,
                                 IPV6_BUDGET_MS, cancellable, error))
    return FALSE;
  struct sockaddr_storage addr, alt;
  socklen_t addrlen = sizeof addr, altlen = sizeof alt;
  if (stun_usage_bind_process (&resp, (struct sockaddr *) &addr, &addrlen,
                               (struct sockaddr *) &alt, &altlen) != STUN_USAGE_BIND_RETURN_SUCCESS)
    {
      g_set_error_literal (error, TRV_ERROR, TRV_ERROR_FAILED, "error response");
      return FALSE;
    }
  g_autoptr(GSocketAddress) sa = g_socket_address_new_from_native (&addr, addrlen);
  if (sa == NULL || !G_IS_INET_SOCKET_ADDRESS (sa))
    return FALSE;
  GInetSocketAddress *isa = G_INET_SOCKET_ADDRESS (sa);
  g_autofree gchar *ip = g_inet_address_to_string (g_inet_socket_address_get_address (isa));
  *mapped = trv_net_join_host_port (ip, g_inet_socket_address_get_port (isa));
  return TRUE;
}

void
_trv_nat_probe_check_ipv6 (const char *server, guint16 port, TrvNatReport *r,
                           GCancellable *cancellable)
{
  r->ipv6_global_address = global_ipv6_address ();
  g_debug ("NAT probe: global IPv6 address %s",
           r->ipv6_global_address ? r->ipv6_global_address : "none");
  if (server == NULL)
    return;
  g_autofree gchar *host = NULL;
  guint16 p = port;
  if (!trv_parse_host_port (server, port, NULL, &host, &p, NULL))
    return;
  g_autoptr(GInetAddress) addr = ipv6_of (host, cancellable);
  if (addr == NULL)
    {
      g_debug ("NAT probe: %s has no IPv6 address", host);
      return;
    }
  g_autoptr(GSocketAddress) sa = g_inet_socket_address_new (addr, p);
  g_autofree gchar *ip = g_inet_address_to_string (addr);
  r->ipv6_stun_server = trv_net_join_host_port (ip, p);
  if (r->ipv6_global_address == NULL)
    return;   /* no route to try it over: not tested */
  g_autoptr(GError) error = NULL;
  r->ipv6_stun_tested = TRUE;
  r->ipv6_stun_reachable = binding_over_ipv6 (sa, &r->ipv6_mapped_address, cancellable, &error);
  g_debug ("NAT probe: STUN over IPv6 to %s: %s", r->ipv6_stun_server,
           r->ipv6_stun_reachable ? r->ipv6_mapped_address : error ? error->message : "failed");
}
