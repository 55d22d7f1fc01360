# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 6: incoming calls from traverse-cli, with a desktop notification server on
the test's session bus. Each ringing call shows the in-window incoming view and a
notification with Answer and Decline buttons (withdrawn once the call is handled).
Call 1 is answered by keyboard in the window and hung up by the caller; call 2 is
declined with the window's Decline button; call 3 is declined and call 4 answered with
the notification's buttons. Recent calls lists all four. Call 5 rings while the
Preferences window is in front: clicking the notification itself raises the main window
(not the Preferences), where the call is answered."""
import json
import os
import re
import subprocess

import pyatspi

import trvui
from trvui_calls import (AUDIO_ENV, CliPeer, assert_controls_named, direct_uri, home_page_shows,
                         recent_rows)
from trvui_prefs import open_preferences

HERE = os.path.dirname(os.path.abspath(__file__))


class Notifications:
    """fake_notifications.py: records Notify calls, presses buttons on request."""

    def __init__(self, ui):
        self.log_path = os.path.join(ui.artifacts, "notifications.jsonl")
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "fake_notifications.py")],
                                     stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        log.close()
        trvui.wait_for(lambda: self.events("ready"), 10, "the notification server")

    def events(self, kind):
        with open(self.log_path) as f:
            lines = [json.loads(line) for line in f if line.startswith("{")]
        return [e for e in lines if e["event"] == kind]

    def wait_notification(self, caller):
        def find():
            for n in self.events("notify"):
                if n["summary"] == "Incoming call" and f"sip:{caller}@" in n["body"]:
                    return n
            return None
        return trvui.wait_for(find, 15, f"a notification of the call from {caller}")

    def wait_closed(self, note):
        trvui.wait_for(lambda: any(e["id"] == note["id"] for e in self.events("close")), 10,
                       f"notification {note['id']} to be withdrawn")

    def press(self, note, label):
        pairs = dict(zip(note["actions"][1::2], note["actions"][0::2]))
        assert label in pairs, note["actions"]
        self.invoke(note, pairs[label])

    def invoke(self, note, key):
        """ActionInvoked with this action key ("default": a click on the popup itself)."""
        self.proc.stdin.write(f"invoke {note['id']} {key}\n")
        self.proc.stdin.flush()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)


def x_stacking(ui, *titles):
    """The app's mapped X top-level windows with these titles, bottom to top (XQueryTree
    order, as xwininfo lists them)."""
    xids = {trvui._x_window_for(t, ui.proc.pid): t for t in titles}
    out = subprocess.run(["xwininfo", "-root", "-children", "-int"], capture_output=True,
                         text=True, timeout=10).stdout
    order = [xids[int(m.group(1))] for m in re.finditer(r"^\s+(\d+) ", out, re.M)
             if int(m.group(1)) in xids]
    assert len(order) == len(titles), (titles, order)
    return order


def loopback_uri(uri):
    """sip:traverse@HOST:PORT -> the same port on 127.0.0.1 (the app listens on all)."""
    port = re.search(r":(\d+)$", uri).group(1)
    return f"sip:traverse@127.0.0.1:{port}"


def ring(ui, frame, notes, name, target, *args):
    caller = CliPeer(ui, name)
    caller.start("call", target, "--timeout", "30", *args, wait_ready=False)
    answer = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Answer", root=frame, timeout=20)
    ui.find(pyatspi.ROLE_LABEL, re.compile(rf"^sip:{name}@127\.0\.0\.1"), root=frame)
    note = notes.wait_notification(name)
    labels = note["actions"][1::2]
    assert "Answer" in labels and "Decline" in labels, note["actions"]
    return caller, answer, note


def run(ui):
    callers = []
    notes = Notifications(ui)
    try:
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        target = loopback_uri(direct_uri(ui, frame))

        # 1: answered from the keyboard in the window, the caller hangs up.
        caller, answer, note = ring(ui, frame, notes, "carol", target, "--duration", "4")
        callers.append(caller)
        ui.find(pyatspi.ROLE_ALERT, re.compile(r"^Incoming call from "), root=frame)
        ui.wait_description(frame, "Incoming call from sip:carol@127.0.0.1", timeout=5)
        ui.screenshot("incoming-1-ringing")
        assert_controls_named(ui, frame)
        ui.focus(answer)
        ui.press("Return")
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=15)
        caller.wait_output("answered")
        notes.wait_closed(note)
        ui.screenshot("incoming-2-call-view")
        ui.find(pyatspi.ROLE_LABEL, "The other side hung up.", root=frame, timeout=20)
        # The reason stays on screen for 3 s; Escape goes back at once.
        ui.press("Escape")
        home_page_shows(ui, frame, timeout=1.5)
        assert caller.wait_exit() == 0, caller.output()

        # 2: declined with the window's Decline button.
        caller, answer, note = ring(ui, frame, notes, "dave", target)
        callers.append(caller)
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Decline", root=frame))
        home_page_shows(ui, frame)
        notes.wait_closed(note)
        assert caller.wait_exit() == 4, caller.output()
        assert "SIP 603" in caller.output(), caller.output()

        # 3: declined with the notification's Decline button.
        caller, answer, note = ring(ui, frame, notes, "erin", target)
        callers.append(caller)
        notes.press(note, "Decline")
        home_page_shows(ui, frame)
        assert caller.wait_exit() == 4, caller.output()

        # 4: answered with the notification's Answer button; the caller puts us on hold
        # for a while, which the call view says (and announces).
        caller, answer, note = ring(ui, frame, notes, "frank", target, "--duration", "8",
                                    "--hold-after", "2", "--hold-for", "3")
        callers.append(caller)
        notes.press(note, "Answer")
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=15)
        caller.wait_output("answered")
        held = "Connected. The other side has put you on hold."
        ui.find(pyatspi.ROLE_LABEL, held, root=frame, timeout=10)
        ui.wait_description(frame, held, timeout=5)
        caller.wait_output("resuming", timeout=10)
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=5)
        assert caller.wait_exit() == 0, caller.output()
        home_page_shows(ui, frame)

        def four_rows():
            rows = recent_rows(ui, frame)
            return rows if len(rows) >= 4 else None
        rows = trvui.wait_for(four_rows, 10, "four recent calls")
        got = [(r.name.split("@")[0], r.description.split(",")[0]) for r in rows[:4]]
        assert got == [("sip:frank", "Incoming call"), ("sip:erin", "Declined call"),
                       ("sip:dave", "Declined call"), ("sip:carol", "Incoming call")], got
        ui.screenshot("incoming-3-main-window")

        # 5: the Preferences window is in front when the call rings; the notification's
        # default action (a click on the popup) raises the main window with the call.
        open_preferences(ui)
        caller, answer, note = ring(ui, frame, notes, "grace", target, "--duration", "3")
        callers.append(caller)
        assert "default" in note["actions"][0::2], note["actions"]
        # No window manager here: the X stacking order shows which window is in front.
        before = x_stacking(ui, "Traverse", "Preferences")
        notes.invoke(note, "default")
        trvui.wait_for(lambda: x_stacking(ui, "Traverse", "Preferences") == before[::-1], 10,
                       f"the main window to be raised above the Preferences ({before})")
        ui.screenshot("incoming-4-raised")
        ui.activate(answer)
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=15)
        caller.wait_output("answered")
        # (A clicked popup is closed by the notification server itself, so GLib has nothing
        # left to withdraw here.)
        assert caller.wait_exit() == 0, caller.output()
    finally:
        for c in callers:
            c.stop()
        notes.stop()
