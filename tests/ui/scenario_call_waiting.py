# SPDX-License-Identifier: GPL-3.0-or-later
"""Call waiting: the app answers a call from traverse-cli alice; bob calls during it and
the call view shows (and announces) a waiting row with Answer, End & Answer and Decline,
and the notification says "Call waiting". Answer holds alice and takes bob; alice's row
says how long she has been on hold; Switch resumes alice and holds bob. carol's waiting
call is declined (603); dave's is taken with End & Answer, which hangs up alice. When
dave hangs up, bob (held) takes his place in the call view. The waiting row's buttons fit
a 360 px window."""
import re

import pyatspi

import trvui
from scenario_incoming import Notifications, loopback_uri
from trvui_calls import AUDIO_ENV, CliPeer, assert_controls_named, direct_uri


def call_in(ui, callers, name, target):
    peer = CliPeer(ui, name)
    callers.append(peer)
    peer.start("call", target, "--timeout", "60", wait_ready=False)
    return peer


def waiting_notification(notes, name):
    def find():
        for n in notes.events("notify"):
            if n["summary"] == "Call waiting" and f"sip:{name}@" in n["body"]:
                return n
        return None
    return trvui.wait_for(find, 15, f"a call-waiting notification for {name}")


def wait_waiting_row(ui, frame, name):
    ui.find(pyatspi.ROLE_LABEL, re.compile(rf"^Call waiting: sip:{name}@127\.0\.0\.1"),
            root=frame, timeout=20)
    ui.wait_description(frame, re.compile(rf"^Call waiting from sip:{name}@127\.0\.0\.1"),
                        timeout=5)


def held_row_shows(ui, frame, name):
    ui.find(pyatspi.ROLE_LABEL, re.compile(rf"^On hold: sip:{name}@127\.0\.0\.1"), root=frame,
            timeout=10)


def run(ui):
    callers = []
    notes = Notifications(ui)
    try:
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        target = loopback_uri(direct_uri(ui, frame))

        # alice's call is answered in the window.
        alice = call_in(ui, callers, "alice", target)
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Answer", root=frame, timeout=20))
        alice.wait_output("answered")
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=15)

        # bob calls during it: a waiting row, announced, and a "Call waiting" notification.
        bob = call_in(ui, callers, "bob", target)
        wait_waiting_row(ui, frame, "bob")
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"^sip:bob@127\.0\.0\.1"), root=frame)
        note = waiting_notification(notes, "bob")
        assert note["actions"][3::2] == ["Answer", "Decline"], note["actions"]
        # At 360 px (issue 12 item 8) the row's buttons stay inside the window.
        ui.resize_window("Traverse", 360, 720)
        win = trvui.extents(frame)
        for label in ("Answer", "End & Answer", "Decline"):
            x, _, w, _ = trvui.extents(ui.find(pyatspi.ROLE_PUSH_BUTTON, label, root=frame))
            assert w > 0 and x >= win[0] and x + w <= win[0] + win[2], \
                f"{label} at x={x} w={w} outside the {win[2]} px window"
        # The call goes on meanwhile: alice is neither held nor hung up.
        assert "held by the other side" not in alice.output(), alice.output()
        ui.screenshot("waiting-1-bob-waiting")
        assert_controls_named(ui, frame)

        # Answer: alice is held, bob answered; alice's row counts the time on hold.
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Answer", root=frame))
        bob.wait_output("answered")
        alice.wait_output("held by the other side")
        notes.wait_closed(note)
        held_row_shows(ui, frame, "alice")
        ui.wait_description(frame, re.compile(r"sip:alice@127\.0\.0\.1 is on hold$"), timeout=5)
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"^on hold for 0:0[2-9]$"), root=frame,
                timeout=10)
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"^sip:bob@127\.0\.0\.1"), root=frame)
        ui.screenshot("waiting-2-alice-held")

        # Switch: alice back, bob held.
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Switch", root=frame))
        alice.wait_output("resumed by the other side")
        bob.wait_output("held by the other side")
        held_row_shows(ui, frame, "bob")
        ui.wait_description(frame, re.compile(r"sip:bob@127\.0\.0\.1 is on hold$"), timeout=5)

        # carol's waiting call is declined: 603, and bob stays held beside alice.
        carol = call_in(ui, callers, "carol", target)
        wait_waiting_row(ui, frame, "carol")
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Decline", root=frame))
        assert carol.wait_exit() == 4, carol.output()
        assert "SIP 603" in carol.output(), carol.output()
        held_row_shows(ui, frame, "bob")

        # dave's: End & Answer hangs alice up and takes dave; bob stays held.
        dave = call_in(ui, callers, "dave", target)
        wait_waiting_row(ui, frame, "dave")
        answer = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Answer", root=frame)
        assert not trvui.has_state(answer, pyatspi.STATE_SENSITIVE), trvui.describe(answer)
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "End & Answer", root=frame))
        dave.wait_output("answered")
        assert alice.wait_exit() == 0, alice.output()
        assert "ended: remote-hangup" in alice.output(), alice.output()
        held_row_shows(ui, frame, "bob")
        # bob is still held: Answer (which would hold dave too) is not offered with a call
        # on hold, only End & Answer.

        # We hang up dave: bob, still held, takes his place in the call view.
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
        assert dave.wait_exit() == 0, dave.output()
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"^sip:bob@127\.0\.0\.1"), root=frame,
                timeout=10)
        ui.wait_gone(pyatspi.ROLE_LABEL, re.compile(r"^On hold: "), root=frame, timeout=5)
        ui.screenshot("waiting-3-bob-alone")
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
        assert bob.wait_exit() == 0, bob.output()
    finally:
        for peer in callers:
            peer.stop()
        notes.stop()
