#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Registration refresh: Kamailio grants only a few seconds; bob must refresh before expiry
so that alice still reaches him well after the first registration would have lapsed."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

EXPIRES = 6


def refresh_keeps_binding(lab):
    bob = lab.spawn("bob", lab.config("bob", name="bob-refresh"), "answer", "--timeout", "60")
    if bob.wait_line("ready", 20) is None:
        return False, "bob not ready\n" + L.dumps(bob)
    t0 = time.monotonic()
    time.sleep(3 * EXPIRES)   # three lifetimes of the first registration
    registers = lab.kamailio_text().count("registrar: sip:bob@")
    ra, a = lab.run("alice", lab.config("alice", name="alice-refresh"), "call",
                    lab.uri("bob"), "--duration", "1", "--timeout", "10", timeout=60)
    rb = bob.wait(20)
    checks = {
        "call reached bob %.0f s after he registered" % (time.monotonic() - t0): ra == 0 and rb == 0,
        # first REGISTER (+ its challenge) then at least two refreshes
        "bob refreshed (%d REGISTERs saved)" % registers: registers >= 3,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, L.dumps(a, bob))


def main():
    tap = L.Tap()
    tap.plan(1)
    with L.Lab("refresh", max_expires=EXPIRES) as lab:
        tap.run_case("registration refreshed before a %d s expiry" % EXPIRES,
                     refresh_keeps_binding, lab)
    tap.exit()


if __name__ == "__main__":
    main()
