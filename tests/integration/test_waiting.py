#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Call waiting (issue 11, item 6), three traverse-cli through the lab's Kamailio.

bob answers alice; carol calls bob during that call. Without --accept-waiting bob refuses
carol with 486 Busy Here (carol exits 4 naming it) and alice and bob go on talking. With
--accept-waiting bob holds alice (she hears of it), answers carol, they talk (tone check
both ways), and when carol hangs up bob resumes alice."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

TONE_A = 700     # alice
TONE_B = 1300    # bob
TONE_C = 1900    # carol


def start_first_call(lab, tag, bob_args, alice_seconds):
    """bob answers, alice calls him; returns (alice, bob, alice's recording) once media
    flows, or a failure text."""
    bob = lab.spawn("bob", lab.config("bob", name="bob-" + tag), "answer", "--timeout", "30",
                    "--play", lab.tone(TONE_B), *bob_args)
    if bob.wait_line("ready", 20) is None:
        bob.kill()
        return None, None, None, "bob did not get ready\n" + bob.dump()
    rec_a = lab.path("alice-%s.wav" % tag)
    alice = lab.spawn("alice", lab.config("alice", name="alice-" + tag), "call",
                      lab.uri("bob"), "--play", lab.tone(TONE_A), "--record", rec_a,
                      "--duration", str(alice_seconds), "--timeout", "15")
    if alice.wait_line("media flowing", 15) is None:
        alice.kill()
        bob.kill()
        return None, None, None, "alice's call did not get media\n" + L.dumps(alice, bob)
    return alice, bob, rec_a, None


def heard(lab, wav, freq, fraction=0.5):
    if not os.path.exists(wav):
        return False, "%s: no recording" % wav
    rc, report = lab.tone_check(wav, freq, min_fraction=fraction)
    return rc == 0, report


def busy(lab):
    alice, bob, rec_a, failure = start_first_call(lab, "busy", [], 10)
    if failure:
        return False, failure
    t0 = time.monotonic()
    carol = lab.spawn("carol", lab.config("carol", name="carol-busy"), "call", lab.uri("bob"),
                      "--timeout", "10")
    rc = carol.wait(20)
    carol_s = time.monotonic() - t0
    ra = alice.wait(30)
    rb = bob.wait(20)
    a_heard, a_report = heard(lab, rec_a, TONE_B)
    checks = {
        "carol exit 4": rc == 4,
        "carol names 486 Busy Here": "486 Busy Here" in carol.stderr,
        "carol refused at once": carol_s < 5,
        "bob says call waiting": bob.wait_line("call waiting sip:carol@", 0) is not None,
        "bob says busy": bob.wait_line("busy: refused sip:carol@", 0) is not None,
        "bob answered once": sum(1 for line in bob.lines if line.startswith("answered")) == 1,
        "alice never held": alice.wait_line("held by the other side", 0) is None,
        "alice's call went on: exit 0": ra == 0,
        "bob exit 0 after alice's call": rb == 0,
        "alice hears bob's %d Hz" % TONE_B: a_heard,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nalice's recording: %s\n%s" % (bad, a_report,
                                                              L.dumps(alice, bob, carol))


def order_of(proc, words):
    return [w for line in proc.lines for w in words if line.startswith(w)]


def accepted(lab):
    rec_b = lab.path("bob-waiting.wav")
    alice, bob, rec_a, failure = start_first_call(lab, "waiting",
                                                  ["--accept-waiting", "--record", rec_b], 16)
    if failure:
        return False, failure
    rec_c = lab.path("carol-waiting.wav")
    carol = lab.spawn("carol", lab.config("carol", name="carol-waiting"), "call",
                      lab.uri("bob"), "--play", lab.tone(TONE_C), "--record", rec_c,
                      "--duration", "5", "--timeout", "15")
    rc = carol.wait(30)
    ra = alice.wait(30)
    rb = bob.wait(20)
    c_heard, c_report = heard(lab, rec_c, TONE_B)
    # bob's recording of carol's call has a file of its own (NAME-2.wav).
    bc_heard, bc_report = heard(lab, lab.path("bob-waiting-2.wav"), TONE_C)
    ba_heard, ba_report = heard(lab, rec_b, TONE_A, fraction=0.2)
    bob_order = order_of(bob, ("call waiting", "holding", "on hold", "answered", "resuming",
                               "resumed"))
    checks = {
        "carol exit 0": rc == 0,
        "carol answered": carol.wait_line("answered", 0) is not None,
        "bob: call waiting, holding, on hold, answered, resuming, resumed":
            bob_order == ["answered", "call waiting", "holding", "on hold", "answered",
                          "resuming", "resumed"]
            or bob_order == ["answered", "call waiting", "holding", "answered", "on hold",
                             "resuming", "resumed"],
        "alice held, then resumed": order_of(alice, ("held by", "resumed by")) ==
            ["held by", "resumed by"],
        "carol hears bob's %d Hz" % TONE_B: c_heard,
        "bob hears carol's %d Hz" % TONE_C: bc_heard,
        "bob heard alice's %d Hz in her call" % TONE_A: ba_heard,
        "alice's call went on to the end: exit 0": ra == 0,
        "bob exit 0 after both calls": rb == 0,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s (bob's order %s)\ncarol: %s\nbob/carol: %s\nbob/alice: %s\n%s" % (
        bad, bob_order, c_report, bc_report, ba_report, L.dumps(alice, bob, carol))


def main():
    tap = L.Tap()
    tap.plan(2)
    with L.Lab("waiting") as lab:
        tap.run_case("a call during a call: 486 Busy Here, the first call goes on", busy, lab)
        tap.run_case("answer --accept-waiting: first call held, second answered and heard, "
                     "first resumed", accepted, lab)
    tap.exit()


if __name__ == "__main__":
    main()
