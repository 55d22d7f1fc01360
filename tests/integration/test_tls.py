#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SIP over TLS against a real Kamailio with a CA the test generates: registration and a call
succeed with ca-file = that CA; another CA, or only the system store, is refused."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402


def register_trusted(lab):
    conf = lab.config("alice", transport="tls", ca_file=lab.ca)
    rc, p = lab.run("alice", conf, "register", "--timeout", "20", timeout=60)
    return (rc == 0 and p.wait_line("registered sip:alice@", 0) is not None,
            "exit %s\n%s\n%s" % (rc, p.dump(), lab.kamailio_text()[-2000:]))


def register_refused(lab, ca_file):
    conf = lab.config("alice", transport="tls", ca_file=ca_file)
    rc, p = lab.run("alice", conf, "register", "--timeout", "20", timeout=60)
    err = p.stderr
    good = (rc == 3 and "TLS" in err and "certificate" in err and "password" not in err
            and len(p.err) == 1)
    return good, "exit %s (want 3 and a TLS certificate error)\n%s" % (rc, p.dump())


def call_refused_certificate(lab):
    # A direct sips: call (no registration checked the server first) to a server whose
    # certificate is not trusted: the certificate problem at once, not a timeout.
    conf = lab.config("alice", transport="tls", ca_file=lab.other_ca, register=False,
                      name="alice-untrusted-call")
    t0 = time.monotonic()
    rc, p = lab.run("alice", conf, "call", lab.uri("bob", "tls"), "--timeout", "10", timeout=60)
    elapsed = time.monotonic() - t0
    err = p.stderr
    good = (rc == 4 and "certificate" in err and "no answer" not in err and elapsed < 8)
    return good, "exit %s after %.1f s (want 4 and the certificate problem at once)\n%s" % (
        rc, elapsed, p.dump())


def call_over_tls(lab, bye_from):
    """alice calls bob, both over TLS; audio both ways; the BYE (from either side) must
    reach the other side at once over the connection that side opened."""
    tag = "tls-" + bye_from
    tone_a, tone_b = lab.tone(700), lab.tone(1300)
    rec_a, rec_b = lab.path("alice-%s.wav" % tag), lab.path("bob-%s.wav" % tag)
    sa, sb = lab.path("alice-%s.json" % tag), lab.path("bob-%s.json" % tag)
    caller = ["--play", tone_a, "--record", rec_a, "--timeout", "10", "--stats", sa]
    callee = ["--play", tone_b, "--record", rec_b, "--stats", sb]
    if bye_from == "caller":
        caller += ["--duration", "3"]
    else:
        caller += ["--duration", "30"]
        callee += ["--duration", "3"]
    ra, a, rb, b = L.call_pair(lab, caller, callee, transport="tls", codecs="PCMU",
                               caller_ca=lab.ca, callee_ca=lab.ca, tag=tag)
    checks = {"exit codes 0/0": ra == 0 and rb == 0,
              "no stderr output": a is not None and not a.err and not b.err}
    diag = [L.dumps(a, b), lab.kamailio_text()[-1500:]]
    for who, rec, want in (("alice", rec_a, 1300), ("bob", rec_b, 700)):
        if os.path.exists(rec):
            rc, out = lab.tone_check(rec, want, min_fraction=0.5)
            checks["%s hears %d Hz" % (who, want)] = rc == 0
            diag.append("%s: %s" % (who, out))
        else:
            checks["%s recording exists" % who] = False
    try:
        ca, cb = lab.stats(sa)["call"], lab.stats(sb)["call"]
        hung, other = (ca, cb) if bye_from == "caller" else (cb, ca)
        checks["hangup side local-hangup"] = hung["end_reason"] == "local-hangup"
        checks["other side remote-hangup"] = other["end_reason"] == "remote-hangup"
        # A BYE that cannot be delivered over the client's own connection shows up as
        # the other side ending much later (or by timeout).
        checks["BYE arrived at once"] = abs(ca["duration_s"] - cb["duration_s"]) < 1.5
    except (OSError, ValueError, KeyError, TypeError) as e:
        checks["stats"] = False
        diag.append(str(e))
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, "\n".join(diag))


def main():
    tap = L.Tap()
    tap.plan(6)
    with L.Lab("tls", tls=True) as lab:
        tap.run_case("TLS register with ca-file = the test CA", register_trusted, lab)
        tap.run_case("TLS register with another CA is refused", register_refused, lab,
                     lab.other_ca)
        tap.run_case("TLS register with only the system store is refused", register_refused,
                     lab, None)
        tap.run_case("sips: call to an untrusted server names the certificate problem",
                     call_refused_certificate, lab)
        tap.run_case("TLS call, audio both ways, BYE from the caller", call_over_tls, lab,
                     "caller")
        tap.run_case("TLS call, audio both ways, BYE from the callee", call_over_tls, lab,
                     "callee")
    tap.exit()


if __name__ == "__main__":
    main()
