#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Calls between two traverse-cli processes behind NAT routers in the lab, through Kamailio,
with coturn as STUN/TURN server. Each case asserts the outcome, the media path from the
--stats JSON (ice.local.type) and two-way audio by tone analysis of both recordings.

Usage: test_calls.py CASE   (see CASES below). Prints TAP.
"""

import json
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import natlab  # noqa: E402

TONE_A = 700     # what alice (caller) sends
TONE_B = 1300    # what bob (callee) sends

# name: (nat kind A, nat kind B, options)
#   mode / mode_a / mode_b: [nat] mode; expect: "connect" or exit code of the caller;
#   path: expected ice.local.type on both sides (None: not checked); lan: both on site A.
CASES = {
    "stun-restricted": dict(a="restricted", b="restricted", mode="stun", path="srflx"),
    "ice-restricted": dict(a="restricted", b="restricted", mode="ice", path="srflx"),
    "ice-symmetric": dict(a="symmetric", b="symmetric", mode="ice", path="relay"),
    "stun-symmetric": dict(a="symmetric", b="symmetric", mode="stun", expect=5),
    "turn-restricted": dict(a="restricted", b="restricted", mode="turn", path="relay"),
    "turn-tcp-udp-blocked": dict(a="restricted", b="restricted", a_udp_blocked=True,
                                 mode_a="turn", mode_b="ice", turn_transport_a="tcp",
                                 sip_transport_a="tcp", path_a="relay"),
    # A site that may only open TCP connections to port 443: SIP over TLS to the registrar
    # and TURN over TLS to a coturn on 443, both with certificates from a test CA (ca-file);
    # the other side behind a restricted NAT with plain UDP and ICE. Two-way audio through
    # the TLS relay: alice's --stats say relay over tls.
    "tls443-restricted": dict(a="restricted", b="restricted", a_only_tls_port=True,
                              mode_a="turn", mode_b="ice", turn_transport_a="tls",
                              sip_transport_a="tls", path_a="relay", tls=True),
    # A site whose only way out is an HTTP proxy (tinyproxy, CONNECT with Basic
    # credentials; DNS and SIP over TCP to the registrar stay open: sofia-sip 1.12.11
    # cannot send SIP through a proxy with credentials or over TLS). alice's TURN over TCP
    # (libnice's CONNECT) or over TLS (the loopback TLS relay's CONNECT) goes through it.
    "proxy-tcp-restricted": dict(a="restricted", b="restricted", a_only_proxy=True,
                                 mode_a="turn", mode_b="ice", turn_transport_a="tcp",
                                 sip_transport_a="tcp", path_a="relay", proxy=True),
    "proxy-tls-restricted": dict(a="restricted", b="restricted", a_only_proxy=True,
                                 mode_a="turn", mode_b="ice", turn_transport_a="tls",
                                 sip_transport_a="tcp", path_a="relay", proxy=True, tls=True),
    "none-across-nats": dict(a="restricted", b="restricted", mode="none", expect=5),
    # ICE without a TURN server between symmetric NATs: every check fails, no relay.
    "ice-symmetric-no-turn": dict(a="symmetric", b="symmetric", mode="ice", no_turn=True,
                                  expect=5),
    "none-same-lan": dict(a="restricted", lan=True, mode="none", path="host"),
    # No servers configured: STUN and TURN come from the lab DNS's SRV records.
    "ice-srv-discovery": dict(a="symmetric", b="symmetric", mode="ice", path="relay",
                              srv=True),
    # Signalling through NAT: bob's router forgets UDP mappings after 30 s; bob idles 45 s
    # after registering, so only his keep-alives keep the path for the INVITE open.
    "keepalive-30s": dict(a="restricted", b="restricted", mode="ice", path="srflx",
                          b_udp_timeout=30, idle=45),
    # Consent lost mid-call: the NATs stop passing media between each other for 12 s (SIP
    # still flows); each side restarts ICE by re-INVITE and the call goes on with audio.
    # (The restart may settle on the relay while the direct path is still blocked: any path.)
    "consent-restart": dict(a="restricted", b="restricted", mode="ice",
                            interrupt=(3, 12), duration=30, min_rtp=600),
    # A registrar that does not fix Contacts: the clients must advertise their public
    # address themselves (rport / outbound natify) or no INVITE or in-dialog request arrives.
    "registrar-without-nat-help": dict(a="restricted", b="restricted", mode="ice",
                                       path="srflx", fix_contacts=False),
    # auto: each side probes first and uses what the probe recommends.
    "auto-restricted": dict(a="restricted", b="restricted", mode="auto", path="srflx",
                            auto_a="stun", auto_b="stun"),
    "auto-symmetric": dict(a="symmetric", b="symmetric", mode="auto", path="relay",
                           auto_a="ice", auto_b="ice"),
    "auto-mixed": dict(a="restricted", b="symmetric", mode="auto", path="relay",
                       auto_a="stun", auto_b="ice"),
    "auto-udp-blocked": dict(a="restricted", b="restricted", a_udp_blocked=True, mode="auto",
                             sip_transport_a="tcp", path_a="relay",
                             auto_a="turn over TCP", auto_b="stun"),
    "ice-wrong-turn-password": dict(a="restricted", b="restricted", mode="ice",
                                    turn_password="wrong-password", path="srflx",
                                    warning="TURN"),
    # Through a provider (issue 11 item 8): Kamailio with rtpengine anchoring the media and
    # taking ICE out of the SDP, or answering as an ICE-lite peer. Both sides behind NATs,
    # in each [nat] mode: two-way audio through the relay (symmetric RTP, latching, the
    # right default candidate in c=/m=).
    "provider-none-symmetric": dict(a="symmetric", b="symmetric", mode="none",
                                    provider="anchor"),
    "provider-stun-symmetric": dict(a="symmetric", b="symmetric", mode="stun",
                                    provider="anchor"),
    "provider-turn-symmetric": dict(a="symmetric", b="symmetric", mode="turn",
                                    provider="anchor", path="relay"),
    "provider-ice-symmetric": dict(a="symmetric", b="symmetric", mode="ice",
                                   provider="anchor"),
    "provider-ice-restricted": dict(a="restricted", b="restricted", mode="ice",
                                    provider="anchor"),
    "provider-icelite-ice-symmetric": dict(a="symmetric", b="symmetric", mode="ice",
                                           provider="ice-lite"),
    "provider-icelite-none-restricted": dict(a="restricted", b="restricted", mode="none",
                                             provider="ice-lite"),
}


class Client:
    """One traverse-cli in its own namespace and its own directory."""

    def __init__(self, lab, host, user, mode, turn_transport="udp", sip_transport="udp",
                 turn_password=None, srv=False, no_turn=False, http_proxy=None):
        tls = sip_transport == "tls"
        self.lab, self.host, self.user = lab, host, user
        self.sip_transport = sip_transport
        d = host.dir
        self.conf = os.path.join(d, f"{user}.conf")
        self.rec = os.path.join(d, f"{user}-rec.wav")
        self.stats = os.path.join(d, f"{user}-stats.json")
        lines = ["[account]", f"address = sip:{user}@{natlab.DOMAIN}",
                 f"password = {lab.sip_users[user]}",
                 f"registrar = sip.{natlab.DOMAIN}:{natlab.TLS_PORT}" if tls else
                 f"registrar = {natlab.SERVER_IP}:{natlab.SIP_PORT}",
                 f"transport = {sip_transport}", "register = true"]
        if tls or turn_transport == "tls":
            lines += [f"ca-file = {lab.tls[0]}"]
        lines += ["", "[nat]", f"mode = {mode}"]
        if http_proxy:
            lines += [f"http-proxy = {http_proxy}"]
        if turn_transport == "tls":
            lines += [f"turn-server = turns:turns.{natlab.DOMAIN}:{natlab.TLS_PORT}"]
        elif not srv:
            lines += [f"stun-server = {natlab.SERVER_IP}:{natlab.TURN_PORT}"]
            lines += [] if no_turn else [f"turn-server = {natlab.SERVER_IP}:{natlab.TURN_PORT}"]
        if not no_turn:
            lines += [f"turn-transport = {turn_transport}" if turn_transport != "tls" else "",
                      f"turn-username = {natlab.TURN_USER}",
                      f"turn-password = {turn_password or lab.turn_password}"]
        lines += ["", "[media]", "codecs = PCMU", "jitter-ms = 60"]
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.proc = None
        self.out = []
        self.times = []     # monotonic time each line arrived
        self._cond = threading.Condition()

    def uri(self, via_tls=False):
        """The AoR to dial; via_tls: as a caller over TLS reaches it (the registrar's 443)."""
        if via_tls:
            return f"sips:{self.user}@{natlab.SERVER_IP}:{natlab.TLS_PORT}"
        t = ";transport=tcp" if self.sip_transport == "tcp" else ""
        return f"sip:{self.user}@{natlab.SERVER_IP}:{natlab.SIP_PORT}{t}"

    def start(self, cli, args, tone):
        env = dict(os.environ)
        env["SU_DEBUG"] = "0"
        env["XDG_RUNTIME_DIR"] = self.host.dir
        argv = self.host.argv([cli, "--config", self.conf] + args +
                              ["--play", tone, "--record", self.rec, "--stats", self.stats])
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, text=True, env=env,
                                     start_new_session=True)
        # Registered with the lab so a failing test still kills it by pid.
        self.lab.procs.append((f"cli-{self.user}", self.proc, os.devnull))
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            with self._cond:
                self.out.append(line.rstrip("\n"))
                self.times.append(time.monotonic())
                self._cond.notify_all()

    def wait_line(self, prefix, timeout):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if any(line.startswith(prefix) for line in self.out):
                    return True
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return any(line.startswith(prefix) for line in self.out)
                self._cond.wait(min(left, 0.2))

    def line_time(self, match):
        """When the first line for which match(line) holds arrived, or None."""
        with self._cond:
            return next((t for line, t in zip(self.out, self.times) if match(line)), None)

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
            return None

    def load_stats(self):
        try:
            with open(self.stats) as f:
                return json.load(f)
        except (OSError, ValueError) as e:
            return {"error": str(e)}

    def dump(self):
        with self._cond:
            return f"--- {self.user} ({self.host.ns} {self.host.ip})\n" + "\n".join(self.out)


def tone_file(lab, tool, freq):
    path = os.path.join(lab.dir, f"tone-{freq}.wav")
    r = subprocess.run([tool, "gen", "--freq", str(freq), "--seconds", "30", path],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"trv-tone gen: {r.stdout}{r.stderr}")
    return path


def tone_check(tool, wav, freq, absent=False):
    argv = [tool, "check", "--freq", str(freq)]
    argv += ["--absent", "--max-fraction", "0.1"] if absent else ["--min-fraction", "0.5"]
    r = subprocess.run(argv + [wav], capture_output=True, text=True, timeout=60)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def interrupt_media(lab, site_a, site_b, alice, after_s, for_s):
    """Once media flows, A's router drops UDP to and from B's public address for a while:
    the media path dies (consent lost) while SIP through the registrar still works."""
    if not alice.wait_line("media path", 20):
        return None
    time.sleep(after_s)
    rules = [["-d", site_b.public_ip, "-p", "udp", "-j", "DROP"],
             ["-s", site_b.public_ip, "-p", "udp", "-j", "DROP"]]
    for r in rules:
        lab.sh("iptables", "-w", "-I", "FORWARD", *r, ns=site_a.router.ns)
    blocked = time.monotonic()
    natlab.log(f"media between the NATs blocked for {for_s} s")
    time.sleep(for_s)
    for r in rules:
        lab.sh("iptables", "-w", "-D", "FORWARD", *r, ns=site_a.router.ns)
    natlab.log("media between the NATs unblocked")
    return blocked


def relayed_packets(lab):
    """rtpengine's "Final packet stats": packets it received per far address (a client's
    NAT mapping, or its TURN relay)."""
    got = {}
    try:
        with open(os.path.join(lab.dir, "rtpengine.log"), errors="replace") as f:
            for line in f:
                m = re.search(r"Port +\S+ <> +([^ ,]+) *, SSRC \S+, (\d+) p,", line)
                if m:
                    got[m.group(1)] = got.get(m.group(1), 0) + int(m.group(2))
    except OSError:
        pass
    return got


def turn_allocations(lab, log="coturn.log"):
    """(created, released) coturn session ids: released means the client refreshed it with
    lifetime 0 or, over TCP or TLS, closed its connection -- not coturn timing it out."""
    created, released = set(), set()
    try:
        with open(os.path.join(lab.dir, log), errors="replace") as f:
            for line in f:
                m = re.search(r"session (\d+): new, ", line)
                if m:
                    created.add(m.group(1))
                m = re.search(r"session (\d+): (refreshed, .*lifetime=0|closed .*reason: (TLS/)?TCP "
                              r"connection closed by client)", line)
                if m:
                    released.add(m.group(1))
    except OSError:
        pass
    return created, released


def main():
    args = natlab.cell_args(CASES)
    if args is None:
        return 2
    name, cli, tool = args
    case = CASES[name]
    if not os.path.exists("/usr/sbin/kamailio"):
        natlab.skip("kamailio is not installed (tools/install-deps.sh test)")
    tap = natlab.Tap()

    with natlab.Lab() as lab:
        site_a = lab.add_site(case["a"], udp_blocked=case.get("a_udp_blocked", False),
                              clients=2 if case.get("lan") else 1,
                              only_tls_port=case.get("a_only_tls_port", False),
                              only_proxy=case.get("a_only_proxy", False))
        host_a = site_a.clients[0]
        host_b = site_a.clients[1] if case.get("lan") else lab.add_site(
            case["b"], udp_timeout=case.get("b_udp_timeout")).clients[0]
        lab.start_turn()
        if case.get("tls"):
            lab.make_tls_certs()
            lab.start_turn_tls()
        proxy_log = lab.start_proxy() if case.get("proxy") else None
        lab.start_dns()
        lab.start_sip(fix_contacts=case.get("fix_contacts", True), provider=case.get("provider"),
                      tls=case.get("tls", False))
        natlab.log(f"{name}: alice {host_a.ip} behind {site_a.nat} NAT {site_a.public_ip}; "
                   f"bob {host_b.ip} behind {host_b.site.nat} NAT {host_b.site.public_ip}")

        mode_a = case.get("mode_a", case.get("mode"))
        mode_b = case.get("mode_b", case.get("mode"))
        alice = Client(lab, host_a, "alice", mode_a,
                       turn_transport=case.get("turn_transport_a", "udp"),
                       sip_transport=case.get("sip_transport_a", "udp"),
                       turn_password=case.get("turn_password"), srv=case.get("srv", False),
                       no_turn=case.get("no_turn", False),
                       http_proxy=lab.proxy_url() if case.get("proxy") else None)
        bob = Client(lab, host_b, "bob", mode_b, turn_password=case.get("turn_password"),
                     srv=case.get("srv", False), no_turn=case.get("no_turn", False))
        tone_a, tone_b = tone_file(lab, tool, TONE_A), tone_file(lab, tool, TONE_B)

        expect = case.get("expect", "connect")
        bob.start(cli, ["answer", "--timeout", str(20 + case.get("idle", 0))], tone_b)
        ready = bob.wait_line("ready", 20)
        tap.ok(ready, "bob registered through his NAT and waits", bob.dump())
        if case.get("idle"):
            natlab.log(f"bob idles {case['idle']} s (his NAT forgets UDP mappings after "
                       f"{case['b_udp_timeout']} s)")
            time.sleep(case["idle"])
        t0 = time.monotonic()
        # A failing case is a 5 s call too: the verdict must come before that ends it.
        duration = str(case.get("duration", 5))
        target = bob.uri(via_tls=alice.sip_transport == "tls")
        alice.start(cli, ["call", target, "--duration", duration, "--timeout", "12"], tone_a)
        blocked = None
        if case.get("interrupt"):
            blocked = interrupt_media(lab, site_a, host_b.site, alice, *case["interrupt"])
        rc_a = alice.wait(60)
        rc_b = bob.wait(25)
        elapsed = time.monotonic() - t0
        if rc_b is None:
            bob.proc.terminate()
            bob.wait(10)
        dumps = alice.dump() + "\n" + bob.dump()
        natlab.log(f"alice exit {rc_a}, bob exit {rc_b}, {elapsed:.1f} s")

        sa, sb = alice.load_stats(), bob.load_stats()
        detail = f"{dumps}\nalice stats: {json.dumps(sa)}\nbob stats: {json.dumps(sb)}"
        for who, c in (("alice", alice), ("bob", bob)):
            want = case.get(f"auto_{who[0]}")
            if want:
                line = next((x for x in c.out if x.startswith("auto: ")), None)
                tap.ok(line is not None and line.startswith(f"auto: {want}. "),
                       f"{who}: auto chose {want}", str(line))
                probe = (sa if who == "alice" else sb).get("nat_probe") or {}
                tap.ok((probe.get("recommended") or {}).get("mode") == want.split()[0],
                       f"{who}: --stats carries the nat_probe that chose it", json.dumps(probe))
        if expect == "connect":
            tap.ok(rc_a == 0 and rc_b == 0, f"call connects: exit codes 0/0 (got {rc_a}/{rc_b})",
                   detail)
            for who, st in (("alice", sa), ("bob", sb)):
                ice = st.get("ice") or {}
                want = case.get(f"path_{who[0]}", case.get("path"))
                got = (ice.get("local") or {}).get("type")
                remote = (ice.get("remote") or {}).get("type")
                if want == "relay":
                    # Through the relay: ours, or the peer's (then ours is the peer-reflexive
                    # address our NAT gave the packets towards that relay).
                    tap.ok("relay" in (got, remote),
                           f"{who}: path goes through the TURN relay (local {got}, remote {remote})",
                           json.dumps(ice))
                elif want:
                    tap.ok(got == want, f"{who}: ice.local.type == {want} (got {got})",
                           json.dumps(ice))
                want = case.get(f"turn_transport_{who[0]}")
                if want == "tls" or (want == "tcp" and case.get("proxy")):
                    got = (ice.get("local") or {}).get("transport")
                    tap.ok(got == want and (ice.get("local") or {}).get("type") == "relay",
                           f"{who}: relayed over {want} (ice.local.transport {got})",
                           json.dumps(ice))
            if proxy_log:
                ice = sa.get("ice") or {}
                tap.eq(ice.get("proxy"), f"proxy.{natlab.DOMAIN}:{natlab.PROXY_PORT}",
                       "alice: --stats ice.proxy names the HTTP proxy", json.dumps(ice))
                # The relay was reached through the proxy: its log has our CONNECT.
                target = (f"{natlab.SERVER_ALT_IP}:{natlab.TLS_PORT}" if case.get("tls")
                          else f"{natlab.SERVER_IP}:{natlab.TURN_PORT}")
                text = natlab.tail(proxy_log, 200)
                tap.ok(f"CONNECT {target} " in text,
                       f"tinyproxy's log shows alice's CONNECT {target}", text)
            if case.get("interrupt"):
                # Both hear at once that audio stopped (not only after the 10 s in which
                # libnice waits for consent answers), and nobody calls it consent lost.
                for who, c in (("alice", alice), ("bob", bob)):
                    told = c.line_time(lambda x: x.startswith("warning: no audio from"))
                    late = told - blocked if told and blocked else None
                    tap.ok(late is not None and late < 6.0,
                           f"{who} is told audio stopped within ~5 s of the break "
                           f"({'never' if late is None else f'{late:.1f} s'})", c.dump())
                    tap.ok(not any("consent lost" in x or "RTCP" in x for x in c.out),
                           f"{who}: no consent-lost or RTCP message during a 12 s break",
                           c.dump())
            if case.get("min_rtp"):
                for who, st in (("alice", sa), ("bob", sb)):
                    got = (st.get("media") or {}).get("rtp_received") or 0
                    tap.ok(got >= case["min_rtp"],
                           f"{who}: audio resumed after the break ({got} RTP packets, "
                           f"want >= {case['min_rtp']})", detail)
            for who, c, want, own in (("alice", alice, TONE_B, TONE_A),
                                      ("bob", bob, TONE_A, TONE_B)):
                if not tap.ok(os.path.exists(c.rec), f"{who} recorded audio", detail):
                    continue
                ok, out = tone_check(tool, c.rec, want)
                tap.ok(ok, f"{who} hears the other side's {want} Hz", out)
                ok, out = tone_check(tool, c.rec, own, absent=True)
                tap.ok(ok, f"{who} does not hear its own {own} Hz", out)
            if case.get("warning"):
                warns = (sa.get("ice") or {}).get("warnings") or []
                text = " ".join(warns) + "\n" + alice.dump()
                tap.ok(case["warning"] in text and ("401" in text or "refused" in text
                                                     or "credential" in text.lower()),
                       "a clear warning names the TURN credential problem", text)
        else:
            # Whichever side's checks fail first hangs up; the other must not report a
            # normal call either: both exit 5 and name the cause, never silent no-audio.
            cause = re.compile(r"\b(nat|ice|stun|turn|relay|symmetric)\b", re.IGNORECASE)
            remedy = re.compile(r"nat\.mode = (turn|ice)")
            # Where no path can exist, the user hears it within 5 s of the answer, with
            # the mode that would work (not only when --duration or a timeout ends it).
            answered = alice.line_time(lambda x: x.startswith("answered"))
            for who, c, rc in (("caller", alice, rc_a), ("callee", bob, rc_b)):
                tap.ok(rc == expect, f"{who} exits {expect} (got {rc})", detail)
                errors = [line for line in c.out if line.startswith("traverse-cli:")]
                tap.ok(any(cause.search(line) for line in errors),
                       f"{who}'s error names the NAT traversal cause (NAT/ICE/STUN/TURN/relay)",
                       "\n".join(errors) or c.dump())
                verdict = c.line_time(lambda x: x.startswith("traverse-cli:") and
                                      cause.search(x) and remedy.search(x))
                late = verdict - answered if verdict and answered else None
                tap.ok(late is not None and late < 5.0,
                       f"{who} hears the cause and a mode that works within 5 s of the answer "
                       f"({'never' if late is None else f'{late:.1f} s'})", c.dump())

        if case.get("provider") and expect == "connect":
            # The audio really went through the provider's relay: rtpengine's final stats
            # count packets from both clients' public (NAT) addresses.
            relayed = relayed_packets(lab)
            tap.ok(len(relayed) >= 2 and all(n >= 100 for n in relayed.values()),
                   f"media anchored on the provider's relay (packets per client: {relayed})",
                   natlab.tail(os.path.join(lab.dir, "rtpengine.log"), 40))
        # Allocations are released at hang-up (else they linger 10 minutes on the server).
        for log in ["coturn.log"] + (["coturn-tls.log"] if case.get("tls") else []):
            deadline = time.monotonic() + 3
            created, released = turn_allocations(lab, log)
            while created - released and time.monotonic() < deadline:
                time.sleep(0.2)
                created, released = turn_allocations(lab, log)
            if created:
                tap.ok(not created - released,
                       f"TURN allocations released at hang-up ({len(created & released)} of "
                       f"{len(created)}, {log})", natlab.tail(os.path.join(lab.dir, log), 40))
            elif log == "coturn-tls.log":
                tap.ok(False, "the call allocated on the TURN-over-TLS server",
                       natlab.tail(os.path.join(lab.dir, log), 40))

        if tap.failed:
            lab.failed = True
            natlab.log("kamailio log tail:\n" + natlab.tail(os.path.join(lab.dir, "kamailio.log")))
            if case.get("provider"):
                natlab.log("rtpengine log tail:\n" +
                           natlab.tail(os.path.join(lab.dir, "rtpengine.log")))
    print(f"1..{tap.n}", flush=True)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
