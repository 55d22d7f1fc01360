# SPDX-License-Identifier: GPL-3.0-or-later
"""natlab6: IPv6 for a natlab.Lab (documentation prefix 2001:db8::/32).

    trv-pub-ID   2001:db8::1 and ::2 on br0 beside the IPv4 addresses; forwards IPv6 between
                 the sites (the "IPv6 internet"), a route per site prefix.
    trv-rN-ID    wan 2001:db8::(10+N), lan 2001:db8:N::1/64; a stateful ip6tables firewall:
                 from the lan out anything, in only what belongs to a flow a client opened
                 (conntrack ESTABLISHED,RELATED), everything else dropped. No IPv6 NAT.
    trv-cN-K-ID  2001:db8:N::(10+K)/64, default route via the router.

dual_stack(site) keeps the site's IPv4 NAT beside; ipv6_only(site) removes the clients'
IPv4 (address and route), so only IPv6 leaves them. Addresses are added without duplicate
address detection (nodad): the lab must be usable at once.
"""

SERVER_IP6 = "2001:db8::1"
SERVER_ALT_IP6 = "2001:db8::2"


def _enable(lab, ns, forwarding=False):
    # No duplicate address detection, also for the link-local addresses that appear when
    # IPv6 is switched on: a tentative address holds the first packets back.
    ifaces = lab.sh("ls", "/proc/sys/net/ipv6/conf", ns=ns).stdout.split()
    lab.sh("sysctl", "-qw", *[f"net.ipv6.conf.{i}.accept_dad=0" for i in ifaces], ns=ns)
    lab.sh("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0",
           "net.ipv6.conf.default.disable_ipv6=0",
           f"net.ipv6.conf.all.forwarding={1 if forwarding else 0}", ns=ns)


def enable_public(lab):
    """IPv6 on the public namespace (call once, before the sites)."""
    ns = lab.pub.ns
    _enable(lab, ns, forwarding=True)
    for ip in (SERVER_IP6, SERVER_ALT_IP6):
        lab.sh("ip", "-n", ns, "addr", "add", f"{ip}/64", "dev", "br0", "nodad")


def site_prefix(site):
    return f"2001:db8:{site.index}::"


def client_ip6(site, k):
    return f"{site_prefix(site)}{10 + k}"


def _add_site(lab, site):
    n = site.index
    rns = site.router.ns
    _enable(lab, rns, forwarding=True)
    wan6 = f"2001:db8::{10 + n:x}"
    lab.sh("ip", "-n", rns, "addr", "add", f"{wan6}/64", "dev", "wan", "nodad")
    lab.sh("ip", "-n", rns, "addr", "add", f"{site_prefix(site)}1/64", "dev", "lan", "nodad")
    lab.sh("ip", "-n", rns, "-6", "route", "add", "default", "via", SERVER_IP6)
    lab.sh("ip", "-n", lab.pub.ns, "-6", "route", "add", f"{site_prefix(site)}/64", "via", wan6)
    ipt = ["ip6tables", "-w"]
    lab.sh(*ipt, "-A", "FORWARD", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED",
           "-j", "ACCEPT", ns=rns)
    lab.sh(*ipt, "-A", "FORWARD", "-i", "lan", "-j", "ACCEPT", ns=rns)
    lab.sh(*ipt, "-A", "FORWARD", "-j", "DROP", ns=rns)
    for k, client in enumerate(site.clients, 1):
        _enable(lab, client.ns)
        client.ip6 = client_ip6(site, k)
        lab.sh("ip", "-n", client.ns, "addr", "add", f"{client.ip6}/64", "dev", "eth0", "nodad")
        lab.sh("ip", "-n", client.ns, "-6", "route", "add", "default", "via",
               f"{site_prefix(site)}1")


def dual_stack(lab, site):
    """The site keeps its IPv4 NAT and gets global IPv6 behind a stateful firewall."""
    _add_site(lab, site)


def ipv6_only(lab, site):
    """The site's clients have only IPv6 (their IPv4 address and route are removed)."""
    _add_site(lab, site)
    for client in site.clients:
        # The lab DNS over IPv6 (start_dns(ipv6=SERVER_IP6) listens there).
        with open(f"/etc/netns/{client.ns}/resolv.conf", "w") as f:
            f.write(f"nameserver {SERVER_IP6}\noptions timeout:1 attempts:2\n")
        lab.sh("ip", "-n", client.ns, "-4", "route", "flush", "all")
        lab.sh("ip", "-n", client.ns, "-4", "addr", "flush", "dev", "eth0")
        client.ip = client.ip6
