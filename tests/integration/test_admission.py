#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Who may call a registered traverse-cli (issue 13, item 5).

bob registers with the lab's Kamailio. INVITEs sent straight to his contact from another
loopback address (127.0.0.2, not the registrar's) are refused: 403 to his user, 404 to
another user. A call routed through the registrar still works. With
account.allow-direct-calls = true the direct INVITE is answered. An account that only sends
through an outbound proxy (no registration) refuses direct INVITEs as well."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402
import invite_probe  # noqa: E402

FOREIGN = "127.0.0.2"     # loopback, but not where the registrar (127.0.0.1) sends from


def bob_config(lab, tag, port, allow_direct=None):
    path = lab.config("bob", local_port=port, name="bob-" + tag)
    if allow_direct is not None:
        with open(path) as f:
            text = f.read()
        text = text.replace("[account]\n", "[account]\nallow-direct-calls = %s\n" % (
            "true" if allow_direct else "false"), 1)
        with open(path, "w") as f:
            f.write(text)
    return path


def ghosts_refused(lab):
    port = L.free_port()
    bob = lab.spawn("bob", bob_config(lab, "default", port), "answer", "--timeout", "40")
    if bob.wait_line("ready", 20) is None:
        bob.kill()
        return False, "bob did not get ready\n" + bob.dump()
    prober = invite_probe.Prober(FOREIGN, L.HOST, port)
    try:
        ghost, ghost_all = prober.probe("bob")
        wrong, wrong_all = prober.probe("mallory")
    finally:
        prober.close()
    # The same agent still takes a call that comes through the registrar.
    alice = lab.spawn("alice", lab.config("alice", name="alice-admission"), "call",
                      lab.uri("bob"), "--duration", "2", "--timeout", "15")
    ra = alice.wait(40)
    rb = bob.wait(20)
    incoming = [line for line in bob.lines if line.startswith("incoming")]
    checks = {
        "direct INVITE to bob: 403": ghost == 403 and 180 not in ghost_all,
        "direct INVITE to mallory: 404": wrong == 404 and 180 not in wrong_all,
        "call through the registrar: exit 0/0": ra == 0 and rb == 0,
        "only that call reached bob": len(incoming) == 1,
        "no stderr output": not alice.err and not bob.err,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s (ghost %s %s, wrong user %s %s)\n%s" % (
        bad, ghost, ghost_all, wrong, wrong_all, L.dumps(alice, bob))


def direct_allowed(lab):
    port = L.free_port()
    bob = lab.spawn("bob", bob_config(lab, "direct", port, allow_direct=True), "answer",
                    "--timeout", "40")
    if bob.wait_line("ready", 20) is None:
        bob.kill()
        return False, "bob did not get ready\n" + bob.dump()
    prober = invite_probe.Prober(FOREIGN, L.HOST, port)
    try:
        wrong, _ = prober.probe("mallory")     # first: bob ends after one call
        final, statuses = prober.probe("bob", timeout=10)
    finally:
        prober.close()
    rb = bob.wait(20)     # the prober ended the call with BYE
    checks = {
        "direct INVITE answered: 180 then 200": final == 200 and 180 in statuses,
        "another user still 404": wrong == 404,
        "bob saw the call from the prober": any(
            line.startswith("incoming sip:probe@" + FOREIGN) for line in bob.lines),
        # The prober sends no RTP and hangs up at once: a call without media exits 5.
        "bob answered, then exit 5 (the prober sent no media)":
            rb == 5 and any(line.startswith("answered") for line in bob.lines),
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s (statuses %s)\n%s" % (bad, statuses, bob.dump())


def proxy_only(lab):
    """An account that does not register but sends everything through an outbound proxy
    takes INVITEs only from that proxy too."""
    port = L.free_port()
    conf = lab.config("bob", register=False, proxy=lab.registrar(), local_port=port,
                      name="bob-proxy")
    bob = lab.spawn("bob", conf, "answer", "--timeout", "30")
    if bob.wait_line("ready", 20) is None:
        bob.kill()
        return False, "bob did not get ready\n" + bob.dump()
    prober = invite_probe.Prober(FOREIGN, L.HOST, port)
    try:
        ghost, statuses = prober.probe("bob")
    finally:
        prober.close()
    alive = bob.p.poll() is None
    bob.kill()
    checks = {
        "direct INVITE past the proxy: 403": ghost == 403 and 180 not in statuses,
        "bob still waiting": alive,
        "no call reached bob": not any(line.startswith("incoming") for line in bob.lines),
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s (statuses %s)\n%s" % (bad, statuses, bob.dump())


def main():
    tap = L.Tap()
    tap.plan(3)
    with L.Lab("admission") as lab:
        tap.run_case("registered: direct INVITEs refused (403/404), calls via the registrar "
                     "taken", ghosts_refused, lab)
        tap.run_case("allow-direct-calls = true: a direct INVITE is answered",
                     direct_allowed, lab)
        tap.run_case("outbound proxy without registration: direct INVITEs refused (403)",
                     proxy_only, lab)
    tap.exit()


if __name__ == "__main__":
    main()
