#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Calls between two traverse-cli processes through a real Kamailio registrar: answer, BYE from
each side, reject, cancel, hold/resume and DTMF. Usage: test_calls.py [udp|tcp]"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

TRANSPORT = sys.argv[1] if len(sys.argv) > 1 else "udp"


def stats_pair(lab, tag):
    return lab.path("alice-%s.json" % tag), lab.path("bob-%s.json" % tag)


def load(lab, path):
    try:
        return lab.stats(path)
    except (OSError, ValueError) as e:
        return {"error": "no stats: %s" % e}


def answered_bye_from(lab, side):
    tag = "bye-" + side
    sa, sb = stats_pair(lab, tag)
    if side == "caller":
        caller = ["--duration", "3", "--timeout", "15", "--stats", sa]
        callee = ["--stats", sb]
    else:
        caller = ["--duration", "40", "--timeout", "15", "--stats", sa]
        callee = ["--duration", "3", "--stats", sb]
    t0 = time.monotonic()
    ra, a, rb, b = L.call_pair(lab, caller, callee, transport=TRANSPORT, tag=tag)
    elapsed = time.monotonic() - t0
    ja, jb = load(lab, sa), load(lab, sb)
    ca, cb = ja.get("call", {}), jb.get("call", {})
    ma, mb = ja.get("media", {}), jb.get("media", {})
    hung, other = (ca, cb) if side == "caller" else (cb, ca)
    checks = {
        "exit codes 0/0": ra == 0 and rb == 0,
        "caller saw answer": a is not None and a.wait_line("answered", 0) is not None,
        "caller 200": ca.get("sip_status") == 200 and ca.get("direction") == "outgoing",
        "callee incoming": cb.get("direction") == "incoming",
        "hangup side local-hangup": hung.get("end_reason") == "local-hangup",
        "other side remote-hangup": other.get("end_reason") == "remote-hangup",
        "setup_ms": isinstance(ca.get("setup_ms"), int),
        "rtp both ways": ma.get("rtp_received", 0) > 0 and mb.get("rtp_received", 0) > 0,
        "ended by the BYE, not a timeout": elapsed < 25,
        "BYE arrived at once": abs((ca.get("duration_s") or 0) - (cb.get("duration_s") or 99)) < 1.5,
        "no stderr output": a is not None and not a.err and not b.err,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s\nalice stats %s\nbob stats %s" % (
        bad, L.dumps(a, b), ja, jb)


def reject(lab, code):
    tag = "reject-%d" % code
    sa, sb = stats_pair(lab, tag)
    ra, a, rb, b = L.call_pair(lab, ["--timeout", "15", "--stats", sa],
                               ["--reject", str(code), "--stats", sb],
                               transport=TRANSPORT, tag=tag)
    ja, jb = load(lab, sa), load(lab, sb)
    checks = {
        "caller exit 4": ra == 4,
        "callee exit 0": rb == 0,
        "stderr names SIP %d" % code: a is not None and ("SIP %d" % code) in a.stderr,
        "one error line": a is not None and len(a.err) == 1,
        "caller stats status": ja.get("call", {}).get("sip_status") == code,
        "caller end_reason rejected": ja.get("call", {}).get("end_reason") == "rejected",
        "callee end_reason declined": jb.get("call", {}).get("end_reason") == "declined",
    }
    if code == 488:
        # A bare 488 (no Warning 304/305) says nothing about codecs: not named as such.
        checks["not called a codec mismatch"] = a is not None and "codec" not in a.stderr
        checks["names the media offer"] = a is not None and "media offer" in a.stderr
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, L.dumps(a, b))


def cancel(lab):
    sa, sb = stats_pair(lab, "cancel")
    ra, a, rb, b = L.call_pair(lab, ["--timeout", "3", "--stats", sa],
                               ["--answer-after", "25", "--stats", sb],
                               transport=TRANSPORT, tag="cancel")
    ja, jb = load(lab, sa), load(lab, sb)
    checks = {
        "caller exit 4": ra == 4,
        "callee exit 0": rb == 0,
        "caller heard ringing": a is not None and a.wait_line("ringing", 0) is not None,
        "caller says cancelled": a is not None and "cancelled" in a.stderr,
        "caller end_reason cancelled": ja.get("call", {}).get("end_reason") == "cancelled",
        "callee end_reason cancelled": jb.get("call", {}).get("end_reason") == "cancelled",
        "callee never answered": b.wait_line("answered", 0) is None,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, L.dumps(a, b))


def hold_resume(lab):
    sa, sb = stats_pair(lab, "hold")
    ra, a, rb, b = L.call_pair(lab, ["--hold-after", "1.5", "--hold-for", "2", "--duration", "6",
                                     "--timeout", "15", "--stats", sa],
                               ["--stats", sb], transport=TRANSPORT, tag="hold")
    jb = load(lab, sb)
    order = []
    if a is not None:
        order = [line for line in a.lines if line in ("holding", "on hold", "resuming", "resumed")]
    checks = {
        "exit codes 0/0": ra == 0 and rb == 0,
        "caller held then resumed": order == ["holding", "on hold", "resuming", "resumed"],
        "callee saw one remote hold": jb.get("call", {}).get("remote_hold_count") == 1,
        "callee saw the resume": jb.get("call", {}).get("remote_held") is False,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s (order %s)\n%s\nbob stats %s" % (bad, order, L.dumps(a, b), jb)


def dtmf(lab):
    digits = "159*#0D"
    sa, sb = stats_pair(lab, "dtmf")
    before = lab.kamailio_text().count("dtmf-info: INFO")
    ra, a, rb, b = L.call_pair(lab, ["--dtmf", digits, "--duration", "5", "--timeout", "15",
                                     "--stats", sa],
                               ["--stats", sb], transport=TRANSPORT, tag="dtmf")
    jb = load(lab, sb)
    printed = "".join(line[5:] for line in b.lines if line.startswith("dtmf "))
    checks = {
        "exit codes 0/0": ra == 0 and rb == 0,
        "callee printed the digits in order": printed == digits,
        "callee stats dtmf_received": jb.get("call", {}).get("dtmf_received") == digits,
        "sent as RFC 4733 events, not SIP INFO":
            lab.kamailio_text().count("dtmf-info: INFO") == before,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s (printed %r)\n%s" % (bad, printed, L.dumps(a, b))


def dtmf_info(lab):
    """carol's registrar removes telephone-event from the offer: DTMF goes as SIP INFO."""
    digits = "2580#"
    sa, sb = stats_pair(lab, "dtmf-info")
    before = lab.kamailio_text().count("dtmf-info: INFO")
    ra, a, rb, b = L.call_pair(lab, ["--dtmf", digits, "--duration", "5", "--timeout", "15",
                                     "--stats", sa],
                               ["--stats", sb], transport=TRANSPORT, tag="dtmf-info",
                               callee="carol")
    jb = load(lab, sb)
    printed = "".join(line[5:] for line in b.lines if line.startswith("dtmf "))
    infos = lab.kamailio_text().count("dtmf-info: INFO") - before
    checks = {
        "exit codes 0/0": ra == 0 and rb == 0,
        "callee printed the digits in order": printed == digits,
        "callee stats dtmf_received": jb.get("call", {}).get("dtmf_received") == digits,
        "one SIP INFO per digit through the registrar": infos == len(digits),
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s (printed %r, %d INFO)\n%s" % (bad, printed, infos,
                                                              L.dumps(a, b))


def direct_call(lab):
    """No registrar: bob listens on a known port, alice dials sip:bob@127.0.0.1:PORT."""
    port = L.free_port()
    sa, sb = stats_pair(lab, "direct")
    script_lines = lab.kamailio_text().count("<script>")   # Kamailio logs every request
    bob = lab.spawn("bob", lab.config("bob", transport=TRANSPORT, register=False,
                                      local_port=port, name="bob-direct"),
                    "answer", "--timeout", "30", "--stats", sb)
    if bob.wait_line("ready", 20) is None:
        return False, "bob not ready\n" + L.dumps(bob)
    uri = "sip:bob@%s:%d%s" % (L.HOST, port, ";transport=tcp" if TRANSPORT == "tcp" else "")
    ra, a = lab.run("alice", lab.config("alice", transport=TRANSPORT, register=False,
                                        name="alice-direct"),
                    "call", uri, "--duration", "2", "--timeout", "15", "--stats", sa,
                    timeout=60)
    rb = bob.wait(20)
    ja, jb = load(lab, sa), load(lab, sb)
    checks = {
        "exit codes 0/0": ra == 0 and rb == 0,
        "caller 200": ja.get("call", {}).get("sip_status") == 200,
        "rtp both ways": (ja.get("media", {}).get("rtp_received") or 0) > 0 and
                         (jb.get("media", {}).get("rtp_received") or 0) > 0,
        "the registrar saw nothing": lab.kamailio_text().count("<script>") == script_lines,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, L.dumps(a, bob))


def via_proxy(lab):
    """alice does not register; [account] proxy = Kamailio. She dials sip:bob@127.0.0.1 (port
    5060 implied, where the lab runs nothing): only the outbound proxy can route that INVITE,
    answering Kamailio's 407 with her credentials."""
    sa, sb = stats_pair(lab, "proxy")
    bob = lab.spawn("bob", lab.config("bob", transport=TRANSPORT, name="bob-proxy"),
                    "answer", "--timeout", "30", "--stats", sb)
    if bob.wait_line("ready", 20) is None:
        return False, "bob not ready\n" + L.dumps(bob)
    challenges = lab.kamailio_text().count("auth: INVITE from sip:alice@")
    uri = "sip:bob@%s%s" % (L.HOST, ";transport=tcp" if TRANSPORT == "tcp" else "")
    ra, a = lab.run("alice", lab.config("alice", transport=TRANSPORT, register=False,
                                        proxy=lab.registrar(TRANSPORT), name="alice-proxy"),
                    "call", uri, "--duration", "2", "--timeout", "15", "--stats", sa,
                    timeout=60)
    rb = bob.wait(20)
    ja, jb = load(lab, sa), load(lab, sb)
    checks = {
        "exit codes 0/0": ra == 0 and rb == 0,
        "alice did not register": a is not None and
                                  a.wait_line("registered", 0) is None,
        "caller 200": ja.get("call", {}).get("sip_status") == 200,
        "the proxy challenged the INVITE":
            lab.kamailio_text().count("auth: INVITE from sip:alice@") > challenges,
        "rtp both ways": (ja.get("media", {}).get("rtp_received") or 0) > 0 and
                         (jb.get("media", {}).get("rtp_received") or 0) > 0,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s\n%s" % (bad, L.dumps(a, bob), lab.kamailio_text()[-1500:])


def answer_two_calls(lab):
    """answer --calls 2: bob takes two calls in a row, writes NAME.json and NAME-2.json, then
    exits 0 on his own."""
    sa, sb = stats_pair(lab, "calls2")
    sb2 = sb[:-len(".json")] + "-2.json"
    bob = lab.spawn("bob", lab.config("bob", transport=TRANSPORT, name="bob-calls2"),
                    "answer", "--calls", "2", "--timeout", "40", "--stats", sb)
    if bob.wait_line("ready", 20) is None:
        return False, "bob not ready\n" + L.dumps(bob)
    results = []
    for i in range(2):
        results.append(lab.run("alice", lab.config("alice", transport=TRANSPORT,
                                                    name="alice-calls2-%d" % i),
                               "call", lab.uri("bob", TRANSPORT), "--duration", "1",
                               "--timeout", "15", timeout=60))
    rb = bob.wait(20)
    j1, j2 = load(lab, sb), load(lab, sb2)
    checks = {
        "both calls exit 0": [rc for rc, _ in results] == [0, 0],
        "bob exits 0 after the second": rb == 0,
        "bob saw two incoming calls": sum(1 for line in bob.lines
                                          if line.startswith("incoming ")) == 2,
        "first call in NAME.json": j1.get("call", {}).get("direction") == "incoming" and
                                   j1.get("call", {}).get("end_reason") == "remote-hangup",
        "second call in NAME-2.json": j2.get("call", {}).get("direction") == "incoming" and
                                      j2.get("call", {}).get("end_reason") == "remote-hangup",
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, L.dumps(bob, *[p for _, p in results]))


def main():
    tap = L.Tap()
    tap.plan(13)
    with L.Lab("calls-" + TRANSPORT) as lab:
        t = " (%s)" % TRANSPORT
        tap.run_case("answer, BYE from the caller" + t, answered_bye_from, lab, "caller")
        tap.run_case("answer, BYE from the callee" + t, answered_bye_from, lab, "callee")
        tap.run_case("reject 486: caller exit 4 naming SIP 486" + t, reject, lab, 486)
        tap.run_case("reject 603: caller exit 4 naming SIP 603" + t, reject, lab, 603)
        tap.run_case("reject 488 without a Warning: not called a codec mismatch" + t, reject,
                     lab, 488)
        tap.run_case("cancel before answer" + t, cancel, lab)
        tap.run_case("hold and resume by re-INVITE" + t, hold_resume, lab)
        tap.run_case("DTMF digits received equal digits sent" + t, dtmf, lab)
        tap.run_case("DTMF as SIP INFO to a peer without telephone-event" + t, dtmf_info, lab)
        tap.run_case("registrar is clean afterwards (second call works)" + t,
                     answered_bye_from, lab, "caller")
        tap.run_case("direct call without registration" + t, direct_call, lab)
        tap.run_case("call through [account] proxy without registration" + t, via_proxy, lab)
        tap.run_case("answer --calls 2 takes two calls, stats per call" + t,
                     answer_two_calls, lab)
    tap.exit()


if __name__ == "__main__":
    main()
