#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Registration against a real Kamailio: right/wrong password, UDP and TCP, an unreachable
registrar, and unregistration on exit (the registrar then no longer finds the user)."""

import os
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402


def register_ok(lab, transport):
    conf = lab.config("alice", transport=transport)
    rc, p = lab.run("alice", conf, "register", "--timeout", "20", timeout=60)
    return (rc == 0 and p.wait_line("registered sip:alice@", 0) is not None,
            "exit %s\n%s\n%s" % (rc, p.dump(), lab.kamailio_text()[-2000:]))


def register_wrong_password(lab):
    conf = lab.config("alice", password="not-the-password")
    rc, p = lab.run("alice", conf, "register", "--timeout", "20", timeout=60)
    err = p.stderr
    good = (rc == 3 and "registration failed" in err and "authentication failed" in err
            and "password" in err and len(p.err) == 1)
    return good, "exit %s (want 3 and one clear line naming the password)\n%s" % (rc, p.dump())


def register_unknown_user(lab):
    conf = lab.config("mallory", password="whatever")
    rc, p = lab.run("mallory", conf, "register", "--timeout", "20", timeout=60)
    return (rc == 3 and "authentication failed" in p.stderr,
            "exit %s (want 3)\n%s" % (rc, p.dump()))


def register_unreachable(lab, transport):
    # A loopback port where nothing listens: the error must say unreachable, not password.
    port = L.free_port()
    conf = lab.config("alice", transport=transport, registrar="%s:%d" % (L.HOST, port))
    rc, p = lab.run("alice", conf, "register", "--timeout", "20", timeout=60)
    err = p.stderr
    good = (rc == 3 and "unreachable" in err and "password" not in err and len(p.err) == 1)
    return good, "exit %s (want 3 and 'unreachable')\n%s" % (rc, p.dump())


def register_without_password(lab):
    # The registrar challenges for its realm; the account has nothing to answer with.
    conf = lab.config("alice", password=False)
    rc, p = lab.run("alice", conf, "register", "--timeout", "20", timeout=60)
    err = p.stderr
    good = (rc == 3 and "realm" in err and L.HOST in err and "no password" in err
            and len(p.err) == 1)
    return good, "exit %s (want 3 naming the realm)\n%s" % (rc, p.dump())


def register_silent(lab):
    # A registrar that swallows every packet: bounded by --timeout, its own message.
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind((L.HOST, 0))
    try:
        conf = lab.config("alice", registrar="%s:%d" % (L.HOST, sink.getsockname()[1]))
        t0 = time.monotonic()
        rc, p = lab.run("alice", conf, "register", "--timeout", "3", timeout=60)
        elapsed = time.monotonic() - t0
    finally:
        sink.close()
    good = (rc == 3 and "did not complete within 3 s" in p.stderr and len(p.err) == 1
            and elapsed < 10)
    return good, "exit %s after %.1f s (want 3 within the timeout)\n%s" % (rc, elapsed,
                                                                          p.dump())


def register_unresolvable(lab):
    # Inside a namespace of its own, so the lookup never reaches a real resolver.
    conf = lab.config("alice", registrar="sip.traverse-lab.invalid")
    rc, p = lab.run_isolated("alice", conf, "register", "--timeout", "10", timeout=60)
    err = p.stderr
    good = (rc == 3 and "cannot resolve" in err and "sip.traverse-lab.invalid" in err
            and "password" not in err and len(p.err) == 1)
    return good, "exit %s (want 3 and 'cannot resolve')\n%s" % (rc, p.dump())


def unregister_on_exit(lab):
    # bob registers and exits cleanly; a call to bob must then find no binding (404).
    rc, p = lab.run("bob", lab.config("bob"), "register", "--timeout", "20", timeout=60)
    if rc != 0:
        return False, "bob could not register\n" + p.dump()
    rc2, a = lab.run("alice", lab.config("alice"), "call", lab.uri("bob"), "--timeout", "10",
                     timeout=60)
    good = rc2 == 4 and "404" in a.stderr
    return good, "exit %s (want 4 naming SIP 404)\n%s\n%s" % (rc2, a.dump(), p.dump())


def unregister_on_sigterm(lab):
    # bob waits for calls (answer) and is stopped by SIGTERM, as a service manager or a
    # logout would: he must still unregister, so a call to him then finds no binding (404).
    bob = lab.spawn("bob", lab.config("bob", name="bob-sigterm"), "answer", "--timeout", "60")
    if bob.wait_line("ready", 20) is None:
        return False, "bob not ready\n" + bob.dump()
    bob.p.send_signal(signal.SIGTERM)
    rb = bob.wait(15)
    rc, a = lab.run("alice", lab.config("alice"), "call", lab.uri("bob"), "--timeout", "10",
                    timeout=60)
    good = rb == 0 and rc == 4 and "404" in a.stderr
    return good, "bob exit %s (want 0), alice exit %s (want 4 naming SIP 404)\n%s\n%s" % (
        rb, rc, bob.dump(), a.dump())


def main():
    tap = L.Tap()
    tap.plan(11)
    with L.Lab("register") as lab:
        tap.run_case("register over UDP with the right password", register_ok, lab, "udp")
        tap.run_case("register over TCP with the right password", register_ok, lab, "tcp")
        tap.run_case("wrong password: exit 3, clear message", register_wrong_password, lab)
        tap.run_case("unknown user: exit 3", register_unknown_user, lab)
        tap.run_case("unreachable registrar (UDP): exit 3, distinct message",
                     register_unreachable, lab, "udp")
        tap.run_case("unreachable registrar (TCP): exit 3, distinct message",
                     register_unreachable, lab, "tcp")
        tap.run_case("account without password: exit 3 naming the realm",
                     register_without_password, lab)
        tap.run_case("silent registrar: exit 3 within --timeout", register_silent, lab)
        if lab.can_isolate():
            tap.run_case("unresolvable registrar: exit 3, distinct message",
                         register_unresolvable, lab)
        else:
            tap.skip("unresolvable registrar", "needs root for a network namespace")
        tap.run_case("unregister on clean exit", unregister_on_exit, lab)
        tap.run_case("answer stopped by SIGTERM unregisters", unregister_on_sigterm, lab)
    tap.exit()


if __name__ == "__main__":
    main()
