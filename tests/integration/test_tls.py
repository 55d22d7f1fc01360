#!/usr/bin/python3
"""SIP over TLS against a real Kamailio with a CA the test generates: registration and a call
succeed with ca-file = that CA; another CA, or only the system store, is refused."""

import os
import sys

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


def call_over_tls(lab):
    tone_a, tone_b = lab.tone(700), lab.tone(1300)
    rec_a, rec_b = lab.path("alice-tls.wav"), lab.path("bob-tls.wav")
    sa, sb = lab.path("alice-tls.json"), lab.path("bob-tls.json")
    ra, a, rb, b = L.call_pair(
        lab,
        ["--play", tone_a, "--record", rec_a, "--duration", "3", "--timeout", "10",
         "--stats", sa],
        ["--play", tone_b, "--record", rec_b, "--stats", sb],
        transport="tls", codecs="PCMU", caller_ca=lab.ca, callee_ca=lab.ca, tag="tls")
    checks = {"exit codes 0/0": ra == 0 and rb == 0}
    diag = [L.dumps(a, b), lab.kamailio_text()[-1500:]]
    for who, rec, want in (("alice", rec_a, 1300), ("bob", rec_b, 700)):
        if os.path.exists(rec):
            rc, out = lab.tone_check(rec, want, min_fraction=0.5)
            checks["%s hears %d Hz" % (who, want)] = rc == 0
            diag.append("%s: %s" % (who, out))
        else:
            checks["%s recording exists" % who] = False
    try:
        checks["caller end_reason"] = lab.stats(sa)["call"]["end_reason"] == "local-hangup"
        checks["callee end_reason"] = lab.stats(sb)["call"]["end_reason"] == "remote-hangup"
    except (OSError, ValueError, KeyError) as e:
        checks["stats"] = False
        diag.append(str(e))
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, "\n".join(diag))


def main():
    tap = L.Tap()
    tap.plan(4)
    with L.Lab("tls", tls=True) as lab:
        tap.run_case("TLS register with ca-file = the test CA", register_trusted, lab)
        tap.run_case("TLS register with another CA is refused", register_refused, lab,
                     lab.other_ca)
        tap.run_case("TLS register with only the system store is refused", register_refused,
                     lab, None)
        tap.run_case("TLS call between two clients, audio both ways", call_over_tls, lab)
    tap.exit()


if __name__ == "__main__":
    main()
