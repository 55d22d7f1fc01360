#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""IPv6 in the NAT lab (natlab6): sites with global IPv6 behind stateful firewalls that let in
only what a client opened, beside or instead of their IPv4 NATs.

Usage: test_ipv6.py CASE   with CASE one of
  dual-stack   both sites dual-stack (restricted IPv4 NATs, IPv6 firewalls), mode ice with
               STUN+TURN: the call's path is IPv6 host to host (--stats ice.local/remote
               family ipv6, type host), two-way tones
  v6only-to-v4only   alice's site has only IPv6, bob's only IPv4 (restricted NAT); coturn and
               Kamailio dual-stack, alice names them (A+AAAA): two-way tones through the IPv4
               relay coturn allocates over IPv6 (RFC 6156's default family)
  v6only-to-v4only-keep-family   the same, servers by IPv6 literal, coturn keeping the
               client's family (IPv6 relay): both sides told in plain words at once
  probe        traverse-cli probe --json on a dual-stack client (STUN server with A+AAAA):
               nat_probe ipv6 works with the global address and the IPv6 mapped address;
               on an IPv4-only client: no global address, works false
Prints TAP.
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import natlab  # noqa: E402
import natlab6  # noqa: E402
import test_calls as calls  # noqa: E402

CASES = ("dual-stack", "v6only-to-v4only", "v6only-to-v4only-keep-family", "probe")


def ipv6_config(client, names):
    """alice on an IPv6-only site: registrar, STUN and TURN by their names (A and AAAA
    records: the A records lead nowhere from there), or by their IPv6 literals."""
    with open(client.conf) as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        key = line.split(" = ")[0]
        if key in ("registrar", "stun-server", "turn-server"):
            host = {"registrar": "sip", "stun-server": "stun", "turn-server": "turn"}[key]
            host = f"{host}.{natlab.DOMAIN}" if names else f"[{natlab6.SERVER_IP6}]"
            port = natlab.SIP_PORT if key == "registrar" else natlab.TURN_PORT
            line = f"{key} = {host}:{port}"
        out.append(line)
    with open(client.conf, "w") as f:
        f.write("\n".join(out) + "\n")


def check_tones(tap, tool, alice, bob, detail):
    for who, c, want, own in (("alice", alice, calls.TONE_B, calls.TONE_A),
                              ("bob", bob, calls.TONE_A, calls.TONE_B)):
        if not tap.ok(os.path.exists(c.rec), f"{who} recorded audio", detail):
            continue
        ok, out = calls.tone_check(tool, c.rec, want)
        tap.ok(ok, f"{who} hears the other side's {want} Hz", out)
        ok, out = calls.tone_check(tool, c.rec, own, absent=True)
        tap.ok(ok, f"{who} does not hear its own {own} Hz", out)


def run_call(lab, tap, cli, tool, host_a, host_b, v6only_a=False, names=False):
    alice = calls.Client(lab, host_a, "alice", "ice")
    bob = calls.Client(lab, host_b, "bob", "ice")
    if v6only_a:
        ipv6_config(alice, names)
    tone_a = calls.tone_file(lab, tool, calls.TONE_A)
    tone_b = calls.tone_file(lab, tool, calls.TONE_B)
    bob.start(cli, ["answer", "--timeout", "20"], tone_b)
    tap.ok(bob.wait_line("ready", 20), "bob registered and waits", bob.dump())
    target = bob.uri()
    if v6only_a:
        server = f"sip.{natlab.DOMAIN}" if names else f"[{natlab6.SERVER_IP6}]"
        target = f"sip:bob@{server}:{natlab.SIP_PORT}"
    alice.start(cli, ["call", target, "--duration", "5", "--timeout", "12"], tone_a)
    rc_a = alice.wait(60)
    rc_b = bob.wait(25)
    if rc_b is None:
        bob.proc.terminate()
        bob.wait(10)
    sa, sb = alice.load_stats(), bob.load_stats()
    detail = (f"{alice.dump()}\n{bob.dump()}\nalice stats: {json.dumps(sa)}\n"
              f"bob stats: {json.dumps(sb)}")
    natlab.log(f"alice exit {rc_a}, bob exit {rc_b}; alice ice {json.dumps(sa.get('ice'))}")
    return alice, bob, rc_a, rc_b, sa, sb, detail


def dual_stack(lab, tap, cli, tool):
    natlab6.enable_public(lab)
    site_a, site_b = lab.add_site("restricted"), lab.add_site("restricted")
    natlab6.dual_stack(lab, site_a)
    natlab6.dual_stack(lab, site_b)
    lab.start_turn()
    lab.start_dns()
    lab.start_sip()
    alice, bob, rc_a, rc_b, sa, sb, detail = run_call(lab, tap, cli, tool, site_a.clients[0],
                                                      site_b.clients[0])
    tap.ok(rc_a == 0 and rc_b == 0, f"call connects: exit codes 0/0 (got {rc_a}/{rc_b})", detail)
    for who, st in (("alice", sa), ("bob", sb)):
        ice = st.get("ice") or {}
        local, remote = ice.get("local") or {}, ice.get("remote") or {}
        tap.ok(local.get("family") == "ipv6" and remote.get("family") == "ipv6",
               f"{who}: path is IPv6 (ice.local/remote family {local.get('family')}/"
               f"{remote.get('family')})", json.dumps(ice))
        tap.ok(local.get("type") == "host" and remote.get("type") == "host",
               f"{who}: host to host (types {local.get('type')}/{remote.get('type')})",
               json.dumps(ice))
        natlab.log(f"{who}: checks_ms {ice.get('checks_ms')}, first_rtp_ms "
                   f"{(st.get('call') or {}).get('first_rtp_ms')}")
    check_tones(tap, tool, alice, bob, detail)


def v6only_lab(lab, turn_args=()):
    natlab6.enable_public(lab)
    site_a, site_b = lab.add_site("restricted"), lab.add_site("restricted")
    natlab6.ipv6_only(lab, site_a)
    lab.start_turn(extra_ips=[natlab6.SERVER_IP6], extra_args=turn_args)
    lab.start_dns(ipv6=natlab6.SERVER_IP6)
    lab.start_sip(extra_ips=[natlab6.SERVER_IP6])
    return site_a.clients[0], site_b.clients[0]


def v6only_to_v4only(lab, tap, cli, tool):
    host_a, host_b = v6only_lab(lab)
    t0 = time.monotonic()
    alice, bob, rc_a, rc_b, sa, sb, detail = run_call(lab, tap, cli, tool, host_a, host_b,
                                                      v6only_a=True, names=True)
    ice_a = sa.get("ice") or {}
    natlab.log(f"call took {time.monotonic() - t0:.1f} s")
    tap.ok(rc_a == 0 and rc_b == 0, f"call connects: exit codes 0/0 (got {rc_a}/{rc_b})", detail)
    local = ice_a.get("local") or {}
    tap.ok(local.get("type") == "relay" and local.get("family") == "ipv4",
           f"alice (IPv6 only) sends through an IPv4 relay on the dual-stack TURN server "
           f"(local {local.get('type')}/{local.get('family')})", json.dumps(ice_a))
    check_tones(tap, tool, alice, bob, detail)


def v6only_to_v4only_keep_family(lab, tap, cli, tool):
    """coturn allocates in the family the client came over (--allocation-default-address-
    family=keep, against RFC 6156's IPv4 default): alice's relay is IPv6 too, and libnice
    0.1.21 cannot ask for IPv4 (no REQUESTED-ADDRESS-FAMILY): no common family."""
    host_a, host_b = v6only_lab(lab, turn_args=["--allocation-default-address-family=keep"])
    alice, bob, rc_a, rc_b, sa, sb, detail = run_call(lab, tap, cli, tool, host_a, host_b,
                                                      v6only_a=True)
    words = "only IPv4 addresses and this device only IPv6 ones"
    tap.ok(rc_a == 5 and rc_b == 5,
           f"the call fails on both sides with exit 5, no media (exit codes {rc_a}/{rc_b})",
           detail)
    told = alice.line_time(lambda x: x.startswith("traverse-cli:") and words in x)
    dialled = alice.line_time(lambda x: x.startswith("calling "))
    late = told - dialled if told and dialled else None
    tap.ok(late is not None and late < 5.0,
           f"alice is told in plain words why within 5 s of dialling "
           f"({'never' if late is None else f'{late:.1f} s'})", detail)
    bob_words = "only IPv6 addresses and this device only IPv4 ones"
    tap.ok(any(bob_words in x for x in bob.out) or any(bob_words in x for x in alice.out),
           "the other side's reason names the families too", detail)


def probe(lab, tap, cli, tool):
    natlab6.enable_public(lab)
    dual = lab.add_site("restricted")
    natlab6.dual_stack(lab, dual)
    v4 = lab.add_site("restricted")
    lab.start_turn(extra_ips=[natlab6.SERVER_IP6])
    lab.start_dns(ipv6=natlab6.SERVER_IP6)
    for host, has_v6 in ((dual.clients[0], True), (v4.clients[0], False)):
        lines = ["[account]", f"address = sip:alice@{natlab.DOMAIN}", "register = false", "",
                 "[nat]", "mode = ice", f"stun-server = stun.{natlab.DOMAIN}"]
        conf = os.path.join(host.dir, "probe6.conf")
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        r = host.run([cli, "--config", conf, "probe", "--json"], timeout=60)
        try:
            report = json.loads(r.stdout)
        except ValueError:
            report = {}
        v6 = report.get("ipv6") or {}
        detail = f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
        what = "dual-stack" if has_v6 else "IPv4-only"
        tap.ok(r.returncode == 0 and "ipv6" in report, f"{what}: probe --json has ipv6", detail)
        # Without IPv6 of its own the resolver does not ask for AAAA (AI_ADDRCONFIG).
        tap.eq(v6.get("stun_server"),
               f"[{natlab6.SERVER_IP6}]:{natlab.TURN_PORT}" if has_v6 else None,
               f"{what}: the STUN server's IPv6 address (AAAA)", detail)
        if has_v6:
            tap.eq(v6.get("global_address"), host.ip6, f"{what}: global IPv6 address", detail)
            tap.eq(v6.get("stun_reachable"), True, f"{what}: STUN answered over IPv6", detail)
            tap.ok(str(v6.get("mapped")).startswith(f"[{host.ip6}]:"),
                   f"{what}: mapped over IPv6 is the own address (no IPv6 NAT): "
                   f"{v6.get('mapped')}", detail)
            tap.eq(v6.get("works"), True, f"{what}: IPv6 works", detail)
            tap.eq((report.get("stun") or {}).get("reachable"), True,
                   f"{what}: IPv4 STUN still answered", detail)
        else:
            tap.eq(v6.get("global_address"), None, f"{what}: no global IPv6 address", detail)
            tap.eq(v6.get("stun_reachable"), None, f"{what}: nothing tried over IPv6", detail)
            tap.eq(v6.get("works"), False, f"{what}: IPv6 does not work", detail)


def main():
    args = natlab.cell_args(CASES)
    if args is None:
        return 2
    name, cli, tool = args
    if name != "probe" and not os.path.exists("/usr/sbin/kamailio"):
        natlab.skip("kamailio is not installed (tools/install-deps.sh test)")
    tap = natlab.Tap()
    with natlab.Lab() as lab:
        {"dual-stack": dual_stack, "v6only-to-v4only": v6only_to_v4only,
         "v6only-to-v4only-keep-family": v6only_to_v4only_keep_family,
         "probe": probe}[name](lab, tap, cli, tool)
        if tap.failed:
            lab.failed = True
            natlab.log("kamailio log tail:\n" + natlab.tail(os.path.join(lab.dir, "kamailio.log")))
            natlab.log("coturn log tail:\n" + natlab.tail(os.path.join(lab.dir, "coturn.log")))
    print(f"1..{tap.n}", flush=True)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
