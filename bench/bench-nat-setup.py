#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Call setup through NATs with a 25 ms one-way delay on each NAT's uplink: median dial ->
first RTP received at both ends, per NAT mode, for traverse-cli -> traverse-cli and for
baresip -> baresip in the same lab and run, beside the floor the protocol's round trips allow.

Run on demand as root (not a test): bench/bench-nat-setup.py [--build DIR] [--calls N]
  [--delay-ms D] [--modes none,stun,turn,ice,auto] [--nat restricted|symmetric] [--no-baresip]
  [--log-dir DIR]

Lab (tests/nat/natlab.py): site 1 with two clients and site 2 with one, both restricted NATs
(MASQUERADE); Kamailio, coturn and dnsmasq on the public network; the delay is bench/netdelay.py
(NFQUEUE, user space: this kernel has no netem) on every packet a client sends out of its NAT.
Mode none uses the two clients of site 1 (same LAN: across the NATs it cannot connect); every
other mode calls from site 1 to site 2.

Method. All namespaces share one clock.
- traverse-cli: --stats of both ends carry call.dial_unix_ms (caller: dial; callee: answer)
  and call.first_rtp_unix_ms (the media session's first RTP). Caller figure = its
  first_rtp_unix_ms - its dial_unix_ms; callee figure = callee's first_rtp_unix_ms - the
  caller's dial_unix_ms. Registration happens before the dial and is not counted; in mode
  auto the NAT probe runs at start-up, before the dial, and is not counted either.
- baresip: no such stats, so the dial is the moment the bench sends "dial" over baresip's
  ctrl_tcp socket, and first RTP is seen on the wire: a packet sniffer (this script with
  --sniff, AF_PACKET in the client's namespace) notes the first RTP packet arriving at each
  client (plain, in TURN ChannelData or in a TURN Data indication).
- The same sniffer also runs for traverse-cli calls, so both are also compared on the wire.
"""

import argparse
import json
import os
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "nat"))

SIP_PORTS = (5060, 5070, 53)
EXTRA_USERS = {"dave": "dave-pw-1414", "erin": "erin-pw-1732"}   # baresip's accounts
MODES = ("none", "stun", "turn", "ice", "auto")
CTRL_PORT = 4444
DURATION_S = 6   # calls last long enough for the slowest setup to show its first RTP


# --- wire sniffer (runs inside a namespace) ---------------------------------------------

def rtp_payload(data):
    """The RTP packet in a UDP payload (plain, TURN ChannelData or Data indication)."""
    if len(data) >= 4 and 0x40 <= data[0] <= 0x7f:          # ChannelData
        data = data[4:]
    elif len(data) >= 20 and data[0] == 0x00 and data[1] == 0x17:   # Data indication
        off = 20
        found = None
        while off + 4 <= len(data):
            kind, ln = struct.unpack_from("!HH", data, off)
            if kind == 0x0013:
                found = data[off + 4:off + 4 + ln]
                break
            off += 4 + ((ln + 3) & ~3)
        if found is None:
            return None
        data = found
    if len(data) >= 12 and data[0] >> 6 == 2 and not 72 <= (data[1] & 0x7f) <= 76:
        return data
    return None


def sniff(ifname, seconds):
    """Prints one JSON line per first event: rtp_in, rtp_out, invite_out (count too)."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((ifname, 0))
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    print(json.dumps({"ready": time.time()}), flush=True)
    seen = set()
    invites = 0
    deadline = time.monotonic() + seconds
    while not stop and time.monotonic() < deadline:
        try:
            r, _, _ = select.select([s], [], [], 0.2)
        except InterruptedError:
            continue
        if not r:
            continue
        frame, addr = s.recvfrom(65536)
        now = time.time()
        if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
            continue
        ihl = (frame[14] & 0x0f) * 4
        u = 14 + ihl
        sport, dport = struct.unpack_from("!HH", frame, u)
        payload = frame[u + 8:]
        out = addr[2] == socket.PACKET_OUTGOING
        if sport in SIP_PORTS or dport in SIP_PORTS:
            if out and payload.startswith(b"INVITE "):
                invites += 1
                print(json.dumps({"invite_out": now, "n": invites}), flush=True)
            continue
        if rtp_payload(payload) is None:
            continue
        key = "rtp_out" if out else "rtp_in"
        if key not in seen:
            seen.add(key)
            print(json.dumps({key: now}), flush=True)


def read_events(path):
    ev = {}
    try:
        with open(path) as f:
            for line in f:
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                for k, v in d.items():
                    if k == "n":
                        ev["invites"] = v
                    else:
                        ev.setdefault(k, v)
    except OSError:
        pass
    return ev


# --- lab side --------------------------------------------------------------------------

def start_sniffer(lab, host, tag):
    p = lab.spawn(host, [sys.executable, os.path.abspath(__file__), "--sniff", "eth0",
                         "--seconds", "90"], f"sniff-{tag}")
    path = lab.procs[-1][2]
    deadline = time.monotonic() + 10
    while "ready" not in read_events(path):
        if p.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"sniffer in {host.ns} did not start")
        time.sleep(0.05)
    return p, path


def stop(proc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def traverse_call(lab, tc, cli, tone, caller_host, callee_host, mode, i, log_dir=None):
    import natlab
    for h in (caller_host, callee_host):
        for f in ("alice-stats.json", "bob-stats.json"):
            try:
                os.unlink(os.path.join(h.dir, f))
            except FileNotFoundError:
                pass
    sa, pa = start_sniffer(lab, caller_host, f"trv-a-{mode}-{i}")
    sb, pb = start_sniffer(lab, callee_host, f"trv-b-{mode}-{i}")
    alice = tc.Client(lab, caller_host, "alice", mode)
    bob = tc.Client(lab, callee_host, "bob", mode)
    bob.start(cli, ["answer", "--timeout", "30"], tone)
    if not bob.wait_line("ready", 20):
        stop(bob.proc)
        raise RuntimeError("bob did not register:\n" + bob.dump())
    alice.start(cli, ["call", f"sip:bob@{natlab.SERVER_IP}:{natlab.SIP_PORT}",
                      "--duration", str(DURATION_S), "--timeout", "12"], tone)
    rc_a, rc_b = alice.wait(40), bob.wait(20)
    if rc_b is None:
        stop(bob.proc)
    stop(sa)
    stop(sb)
    st_a, st_b = alice.load_stats(), bob.load_stats()
    if log_dir:
        # Output of both ends (with G_MESSAGES_DEBUG / NICE_DEBUG set by the caller of the bench).
        with open(os.path.join(log_dir, f"{mode}-{i}.log"), "w") as f:
            f.write(alice.dump() + "\n" + bob.dump() + "\n")
    ca, cb = st_a.get("call") or {}, st_b.get("call") or {}
    row = {"ok": rc_a == 0 and rc_b == 0, "rc": (rc_a, rc_b)}
    dial = ca.get("dial_unix_ms")
    if row["ok"] and dial and ca.get("first_rtp_unix_ms") and cb.get("first_rtp_unix_ms"):
        row["caller"] = ca["first_rtp_unix_ms"] - dial
        row["callee"] = cb["first_rtp_unix_ms"] - dial
        row["setup"] = ca.get("setup_ms")
        row["path"] = ((st_a.get("ice") or {}).get("local") or {}).get("type")
        row["gathering"] = (st_a.get("ice") or {}).get("gathering_ms")
        row["checks"] = (st_a.get("ice") or {}).get("checks_ms")
        ea, eb = read_events(pa), read_events(pb)
        if "rtp_in" in ea and "rtp_in" in eb:
            row["wire_caller"] = ea["rtp_in"] * 1000 - dial
            row["wire_callee"] = eb["rtp_in"] * 1000 - dial
        if "invite_out" in ea:
            row["invite_wire"] = ea["invite_out"] * 1000 - dial
            row["invites"] = ea.get("invites")
    else:
        row["ok"] = False
        row["detail"] = (alice.dump()[-1500:] + "\n" + bob.dump()[-1500:] +
                         f"\ncaller call stats: {json.dumps(ca)}\ncallee call stats: {json.dumps(cb)}")
    return row


def baresip_accounts(lab, user, mode):
    import natlab
    acc = (f"<sip:{user}@{natlab.DOMAIN}>;auth_pass={lab.sip_users[user]};"
           f"outbound=\"sip:{natlab.SERVER_IP}:{natlab.SIP_PORT}\";answermode=auto;"
           "audio_codecs=PCMU")
    server = f"{natlab.SERVER_IP}:{natlab.TURN_PORT}"
    if mode == "stun":
        acc += f";medianat=stun;stunserver=\"stun:{server}\""
    elif mode == "turn":
        acc += (f";medianat=turn;stunserver=\"turn:{server}\";stunuser={natlab.TURN_USER};"
                f"stunpass={lab.turn_password}")
    elif mode == "ice":
        acc += (f";medianat=ice;stunserver=\"turn:{server}\";stunuser={natlab.TURN_USER};"
                f"stunpass={lab.turn_password}")
    return acc + "\n"


def make_baresip(lab, ti, host, user, tone_hz, mode, tag, ctrl):
    """The interop test's baresip (same config), in a fresh directory, set for `mode`."""
    import natlab
    h = natlab.Host(lab, host.ns, host.ip, host.site)
    h.dir = os.path.join(host.dir, tag)
    os.makedirs(h.dir)
    b = ti.Baresip(lab, h, user, tone_hz)
    with open(os.path.join(b.dir, "accounts"), "w") as f:
        f.write(baresip_accounts(lab, user, mode))
    if ctrl:
        with open(os.path.join(b.dir, "config"), "a") as f:
            f.write(f"module ctrl_tcp.so\nctrl_tcp_listen 127.0.0.1:{CTRL_PORT}\n")
    return b


CTRL_SNIPPET = r"""
import json, socket, sys, time
s = socket.create_connection(("127.0.0.1", %d), timeout=5)
b = json.dumps({"command": "dial", "params": sys.argv[1], "token": "bench"}).encode()
t = time.time()
s.sendall(str(len(b)).encode() + b":" + b + b",")
print(json.dumps({"dial": t}), flush=True)
try:
    print(s.recv(4096).decode(errors="replace"), flush=True)
except OSError:
    pass
""" % CTRL_PORT


def baresip_call(lab, ti, caller_host, callee_host, mode, i):
    import natlab
    callee = make_baresip(lab, ti, callee_host, "erin", 1300, mode, f"bs-erin-{mode}-{i}", False)
    caller = make_baresip(lab, ti, caller_host, "dave", 700, mode, f"bs-dave-{mode}-{i}", True)
    sa, pa = start_sniffer(lab, caller_host, f"bs-a-{mode}-{i}")
    sb, pb = start_sniffer(lab, callee_host, f"bs-b-{mode}-{i}")
    row = {"ok": False}
    try:
        callee.start()
        caller.start()
        if not callee.wait_registered(20) or not caller.wait_registered(20):
            row["detail"] = "baresip did not register:\n" + caller.text()[-1500:] + callee.text()[-1500:]
            return row
        # ctrl_tcp listens once the modules are loaded; retry the connection briefly.
        dial = None
        for _ in range(50):
            r = caller_host.run([sys.executable, "-c", CTRL_SNIPPET,
                                 f"sip:erin@{natlab.SERVER_IP}:{natlab.SIP_PORT}"], timeout=10)
            if r.returncode == 0:
                dial = json.loads(r.stdout.splitlines()[0])["dial"] * 1000
                break
            time.sleep(0.1)
        if dial is None:
            row["detail"] = "baresip ctrl_tcp did not accept the dial"
            return row
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            ea, eb = read_events(pa), read_events(pb)
            if "rtp_in" in ea and "rtp_in" in eb:
                break
            time.sleep(0.1)
        ea, eb = read_events(pa), read_events(pb)
        if "rtp_in" in ea and "rtp_in" in eb:
            row.update(ok=True, caller=ea["rtp_in"] * 1000 - dial,
                       callee=eb["rtp_in"] * 1000 - dial)
            if "invite_out" in ea:
                row["invite_wire"] = ea["invite_out"] * 1000 - dial
                row["invites"] = ea.get("invites")
        else:
            row["detail"] = f"no RTP within 15 s (caller {ea}, callee {eb})\n" + \
                caller.text()[-1500:] + "\n" + callee.text()[-1500:]
        return row
    finally:
        for p in (caller.proc, callee.proc, sa, sb):
            if p is not None:
                stop(p)


# --- floors ------------------------------------------------------------------------------

def floor(mode, u):
    """(caller ms, callee ms, derivation) for ICE between two NATs in this lab: only a
    client's outbound packets are delayed (u each), everything else is ~0. Between symmetric
    NATs ICE ends on the relay, whose first check also leaves at answer+1U: same count."""
    sip = ("INVITE -> 407 -> INVITE with credentials: 2U; 200 OK: 1U")
    if mode == "none":
        return 2 * u, 3 * u, (
            "same LAN, host candidates, LAN not delayed: INVITE -> 407 -> INVITE reach the "
            "callee at 2U; it answers and can check and send to the caller at once: caller "
            "2U. The caller learns the answer from the 200 OK at 3U, then checks and RTP on "
            "the LAN cost ~0: callee 3U")
    if mode in ("stun", "auto"):
        g = 1
        gather = "STUN binding: 1U"
    else:
        g = 2
        gather = "TURN Allocate -> 401 -> Allocate with credentials: 2U (STUN in parallel)"
    # caller gathers (g), INVITE x2 (2), callee gathers (g), 200 OK (1), then checks.
    answer = g + 2 + g + 1
    if mode == "turn":
        # Caller: CreatePermission + check through its relay (1U, in order at the server),
        # response from the callee (1U): valid; RTP (1U). Callee: its check passes the
        # caller's relay once that permission is in (answer+1U), caller's answer (1U): valid;
        # RTP (1U).
        total = answer + 3
        path = ("CreatePermission and the first check leave together through the caller's "
                "relay (1U), the callee answers (1U): caller's pair valid; RTP (1U). The callee's "
                "check passes the caller's relay only after that permission (answer+1U), the "
                "caller answers (1U), RTP (1U)")
    else:
        total = answer + 3
        path = ("caller's check leaves its NAT (1U), callee's response (1U): caller's pair "
                "valid; RTP (1U). Callee's checks pass the caller's NAT only once the caller's "
                "first check opened it (answer+1U); caller's response (1U); RTP (1U)")
    why = (f"caller gathers ({gather}); {sip}; callee gathers ({g}U) before answering; "
           f"answer at the caller at {answer}U; then {path}: {total}U")
    return total * u, total * u, why


def floor_regular_nomination(mode, u, ptime_ms=20):
    """The floor for the protocol as issue 3 asks Traverse to run it, ms: ICE with regular
    nomination (the default, for interop) sends media only on the selected pair, so the
    controlling agent's nominating check and its response come first (+2U); mode none has
    no checks, but its first packet holds one packet time of audio, captured after the
    caller's pipeline started on the answer (+ptime). In the ICE modes that packet time
    passes while the checks run."""
    f = max(floor(mode, u)[:2])
    return f + ptime_ms if mode == "none" else f + 2 * u


# --- main --------------------------------------------------------------------------------

def median(rows, key):
    vals = [r[key] for r in rows if r.get("ok") and r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(v, unit=""):
    return "-" if v is None else f"{v:.0f}{unit}"


def ratio(a, b):
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(os.path.dirname(HERE), "_build"))
    ap.add_argument("--calls", type=int, default=10)
    ap.add_argument("--delay-ms", type=float, default=25.0)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--nat", choices=("restricted", "symmetric"), default="restricted",
                    help="kind of both NATs (symmetric: MASQUERADE --random-fully)")
    ap.add_argument("--no-baresip", action="store_true")
    ap.add_argument("--sniff")
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--log-dir", help="keep each traverse call's output (both ends) here")
    args = ap.parse_args()
    if args.sniff:
        sniff(args.sniff, args.seconds)
        return 0

    import natlab
    import test_calls as tc
    import test_interop as ti
    cli = os.path.join(args.build, "src", "cli", "traverse-cli")
    tool = os.path.join(args.build, "tests", "tools", "trv-tone")
    for f in (cli, tool):
        if not os.access(f, os.X_OK):
            print(f"bench: {f} is missing; build first (--build DIR)", file=sys.stderr)
            return 2
    modes = [m for m in args.modes.split(",") if m]
    bad = [m for m in modes if m not in MODES]
    if bad:
        print(f"bench: unknown mode(s) {bad}; known: {','.join(MODES)}", file=sys.stderr)
        return 2
    natlab.require_lab()
    baresip = not args.no_baresip and os.path.exists("/usr/lib/baresip/modules/ctrl_tcp.so")
    u = args.delay_ms

    with natlab.Lab(keep_on_failure=False) as lab:
        site1 = lab.add_site(args.nat, clients=2)
        site2 = lab.add_site(args.nat)
        lab.start_turn()
        lab.start_dns()
        lab.start_sip(extra_users=EXTRA_USERS)
        nd = os.path.join(HERE, "netdelay.py")
        lab.spawn(lab.pub, [sys.executable, nd, "echo-server", "--bind",
                            f"{natlab.SERVER_IP}:7777"], "echo")
        lab.wait_port(lab.pub, 7777)

        def ping(host):
            r = host.run([sys.executable, nd, "ping", "--to", f"{natlab.SERVER_IP}:7777",
                          "--count", "20"], timeout=60)
            parts = r.stdout.split()
            return float(parts[1]) if len(parts) > 1 and parts[1] != "none" else None

        a, b, lan = site1.clients[0], site2.clients[0], site1.clients[1]
        before = (ping(a), ping(b))
        lab.add_uplink_delay(site1, u)
        lab.add_uplink_delay(site2, u)
        after = (ping(a), ping(b))
        print(f"# uplink delay check (UDP echo client -> {natlab.SERVER_IP}, median of 20): "
              f"site 1 {before[0]:.1f} -> {after[0]:.1f} ms, site 2 {before[1]:.1f} -> "
              f"{after[1]:.1f} ms (expected +{u:.0f} ms: one NAT uplink per round trip)",
              flush=True)
        tone = tc.tone_file(lab, tool, 700)

        results = {}
        for mode in modes:
            callee = lan if mode == "none" else b
            rows = []
            for i in range(args.calls):
                row = traverse_call(lab, tc, cli, tone, a, callee, mode, i, args.log_dir)
                rows.append(row)
                if args.verbose or not row["ok"]:
                    print(f"# traverse {mode} {i}: " + json.dumps(
                        {k: v for k, v in row.items() if k != "detail"}), flush=True)
                    if not row["ok"]:
                        natlab.log(row.get("detail", ""))
            results[("traverse", mode)] = rows
            if baresip and mode != "auto":
                rows = []
                for i in range(args.calls):
                    row = baresip_call(lab, ti, a, callee, mode, i)
                    rows.append(row)
                    if args.verbose or not row["ok"]:
                        print(f"# baresip {mode} {i}: " + json.dumps(
                            {k: v for k, v in row.items() if k != "detail"}), flush=True)
                        if not row["ok"]:
                            natlab.log(row.get("detail", ""))
                results[("baresip", mode)] = rows

    print(f"\n# {args.nat} NATs, {args.calls} calls per mode, {u:.0f} ms one-way delay on each NAT uplink "
          f"(U = {u:.0f} ms); medians of dial -> first RTP received, 'both' = the later end")
    print(f"{'mode':<6} {'traverse caller/callee/both':>28} {'wire both':>9} "
          f"{'baresip both':>12} {'floor':>6} {'trv/baresip':>11} {'trv/floor':>9} "
          f"{'floor RN':>8} {'trv/floor RN':>12} {'ok trv':>6} {'ok bs':>5}")
    floors = {}
    for mode in modes:
        rt = results[("traverse", mode)]
        for r in rt:
            if r.get("ok") and "caller" in r:
                r["both"] = max(r["caller"], r["callee"])
                if "wire_caller" in r:
                    r["wire_both"] = max(r["wire_caller"], r["wire_callee"])
        rb = results.get(("baresip", mode), [])
        for r in rb:
            if r.get("ok"):
                r["both"] = max(r["caller"], r["callee"])
        fc, fe, why = floor(mode, u)
        floors[mode] = why
        f = max(fc, fe)
        frn = floor_regular_nomination(mode, u)
        tb, bb = median(rt, "both"), median(rb, "both")
        trio = f"{fmt(median(rt, 'caller'))}/{fmt(median(rt, 'callee'))}/{fmt(tb)}"
        print(f"{mode:<6} {trio:>28} {fmt(median(rt, 'wire_both')):>9} {fmt(bb):>12} "
              f"{f:>6.0f} {ratio(tb, bb):>11} {ratio(tb, f):>9} "
              f"{frn:>8.0f} {ratio(tb, frn):>12} "
              f"{sum(1 for r in rt if r.get('ok') and 'both' in r):>3}/{len(rt):<2} "
              f"{sum(1 for r in rb if r.get('ok')):>2}/{len(rb)}")
    tm = {m: median([dict(r, both=max(r["caller"], r["callee"])) for r in
                     results[("traverse", m)] if r.get("ok") and "caller" in r], "both")
          for m in ("ice", "turn") if m in modes}
    if tm.get("ice") is not None and tm.get("turn") is not None:
        # Issue 14: ICE should cost little more than TURN-only where only the relay works.
        print(f"# ice / turn-only (both ends): {tm['ice']:.0f} / {tm['turn']:.0f} ms = "
              f"{ratio(tm['ice'], tm['turn'])} (target <= 1.3x on {args.nat} NATs)")
    print("\n# where the time goes (traverse medians, caller side, ms after dial):")
    for mode in modes:
        rt = results[("traverse", mode)]
        print(f"#   {mode}: INVITE on the wire {fmt(median(rt, 'invite_wire'))} "
              f"(INVITEs sent {fmt(median(rt, 'invites'))}), 200 OK {fmt(median(rt, 'setup'))}, "
              f"ice gathering {fmt(median(rt, 'gathering'))}, checks {fmt(median(rt, 'checks'))}, "
              f"path {sorted({r.get('path') for r in rt if r.get('ok')} - {None})}")
        rb = results.get(("baresip", mode), [])
        if rb:
            print(f"#   {mode} baresip: INVITE on the wire {fmt(median(rb, 'invite_wire'))} "
                  f"(INVITEs sent {fmt(median(rb, 'invites'))})")
    print("\n# floors (U = one uplink crossing):")
    for mode in modes:
        print(f"#   {mode}: {floors[mode]}")
    print("#   floor RN: the same with ICE's regular nomination (+2U: the nominating check and "
          "its response before media, as libnice sends only on the selected pair) or, for "
          "none, + one 20 ms packet of audio captured after the answer")
    print("# targets: traverse <= 0.5x baresip and <= 1.3x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
