#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A far end that dies mid-call (SIGKILL, or SIGSTOP for a peer whose sockets stay open so no
ICMP comes back; nat.mode = none, through Kamailio on 127.0.0.1).
The survivor must say within a few seconds that nothing arrives, and end the call after
media.inactivity-timeout (8 s here) with end reason no-media, a BYE and exit 5. On hold
nothing is expected, so the call is not ended: the caller hangs up itself at --duration and
exits 0 (media flowed both ways before the hold)."""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

INACTIVITY_S = 8


def config(lab, user, tag):
    path = lab.config(user, name="%s-%s" % (user, tag))
    with open(path, "a") as f:
        f.write("inactivity-timeout = %d\n" % INACTIVITY_S)
    return path


def start_pair(lab, tag, caller_args=(), callee_args=()):
    """bob answers, alice calls; both report media flowing. Returns (alice, bob, stats)."""
    stats = lab.path("alice-%s.json" % tag)
    bob = lab.spawn("bob", config(lab, "bob", tag), "answer", "--timeout", "30", *callee_args)
    if bob.wait_line("ready", 20) is None:
        raise RuntimeError("bob did not register\n" + bob.dump())
    alice = lab.spawn("alice", config(lab, "alice", tag), "call", lab.uri("bob"),
                      "--timeout", "20", "--stats", stats, *caller_args)
    for p in (alice, bob):
        if p.wait_line("media flowing", 15) is None:
            raise RuntimeError("no media flowing\n" + L.dumps(alice, bob))
    return alice, bob, stats


def kill_hard(p, sig=signal.SIGKILL):
    """SIGKILL: no BYE, the sockets vanish (the kernel answers with port unreachable).
    SIGSTOP: the sockets stay open, packets to them just go unanswered (no ICMP), like a
    frozen phone or a NAT mapping that vanished."""
    try:
        os.killpg(p.p.pid, sig)
    except ProcessLookupError:
        pass
    if sig == signal.SIGKILL:
        p.wait(5)


def peer_killed(lab, survivor="alice", sig=signal.SIGKILL):
    alice, bob, stats = start_pair(lab, "kill-%s-%d" % (survivor, sig),
                                   caller_args=["--duration", "60"])
    if survivor == "bob":
        live, dead = bob, alice
        stats = None   # answer writes no --stats here; the lines say enough
    else:
        live, dead = alice, bob
    time.sleep(1)
    killed = time.monotonic()
    kill_hard(dead, sig)
    warning = live.wait_line("warning: no audio from the other side", 12)
    warned = time.monotonic() - killed
    ended_line = live.wait_line("ended:", INACTIVITY_S + 8)
    ended = time.monotonic() - killed
    # Then it unregisters and the BYE to the dead peer times out (bounded by the CLI).
    rc = live.wait(40)
    if sig != signal.SIGKILL:
        kill_hard(dead)
    st = lab.stats(stats) if stats and os.path.exists(stats) else {}
    checks = {
        "warned within 4-8 s (%.1f s)" % warned: warning is not None and 4 <= warned <= 8.5,
        "ended after the timeout, 7-12 s (%.1f s)" % ended: (ended_line is not None and
                                                             INACTIVITY_S - 1 <= ended <= 12),
        "exit 5": rc == 5,
        "stderr says no audio for 8 s": any(
            "no audio from the other side for %d s" % INACTIVITY_S in line for line in live.err),
        "ended: no-media": any(line.startswith("ended: no-media") for line in live.lines),
    }
    if stats:
        checks["stats end_reason no-media"] = st.get("call", {}).get("end_reason") == "no-media"
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, L.dumps(alice, bob))


def killed_while_held(lab):
    """alice holds the call; then bob is killed. alice stays in the call until --duration
    (well past the timeout). (A hold by the peer is covered by the unit tests: `answer`
    has no --hold-after.)"""
    alice, bob, stats = start_pair(lab, "held", caller_args=[
        "--duration", "18", "--hold-after", "2", "--hold-for", "60"])
    if alice.wait_line("on hold", 10) is None:
        raise RuntimeError("no hold\n" + L.dumps(alice, bob))
    kill_hard(bob)
    rc = alice.wait(40)
    st = lab.stats(stats) if os.path.exists(stats) else {}
    call = st.get("call", {})
    checks = {
        "no silence warning on hold": not any(line.startswith("warning: no audio")
                                              for line in alice.lines),
        "ended by --duration: local-hangup": call.get("end_reason") == "local-hangup",
        "lasted the duration (%s s)" % call.get("duration_s"):
            (call.get("duration_s") or 0) >= 17,
        "exit 0": rc == 0,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s\n%s" % (bad, st, L.dumps(alice, bob))


def main():
    tap = L.Tap()
    tap.plan(4)
    with L.Lab("dead-peer") as lab:
        tap.run_case("peer SIGKILLed: warning within ~5 s, no-media after 8 s, exit 5",
                     peer_killed, lab)
        tap.run_case("peer frozen (SIGSTOP, no ICMP back): the same",
                     peer_killed, lab, "alice", signal.SIGSTOP)
        tap.run_case("caller SIGKILLed: the answering side ends the same way",
                     peer_killed, lab, "bob")
        tap.run_case("peer SIGKILLed while we hold the call: not ended",
                     killed_while_held, lab)
    tap.exit()


if __name__ == "__main__":
    main()
