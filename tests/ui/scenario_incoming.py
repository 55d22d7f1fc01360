"""Scenario 6: incoming calls from traverse-cli. The first is answered by keyboard in the
window and hung up by the caller; the second is declined with the window's Decline
button; the third is declined the way a desktop notification's button does it, by
activating app.decline-call over D-Bus. Recent calls lists all three."""
import re

import pyatspi
from gi.repository import Gio, GLib

import trvui
from trvui_calls import (AUDIO_ENV, CliPeer, assert_controls_named, direct_uri, home_page_shows,
                         recent_rows)

APP_PATH = "/io/github/traverse/Traverse"
APP_ID = "io.github.traverse.Traverse"


def loopback_uri(uri):
    """sip:traverse@HOST:PORT -> the same port on 127.0.0.1 (the app listens on all)."""
    port = re.search(r":(\d+)$", uri).group(1)
    return f"sip:traverse@127.0.0.1:{port}"


def ring(ui, frame, name, target, *args):
    caller = CliPeer(ui, name)
    caller.start("call", target, "--timeout", "30", *args, wait_ready=False)
    answer = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Answer", root=frame, timeout=20)
    ui.find(pyatspi.ROLE_LABEL, re.compile(rf"^sip:{name}@127\.0\.0\.1"), root=frame)
    return caller, answer


def activate_app_action(action):
    """What a notification server does when its button is pressed."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    bus.call_sync(APP_ID, APP_PATH, "org.freedesktop.Application", "ActivateAction",
                  GLib.Variant("(sava{sv})", (action, [], {})), None,
                  Gio.DBusCallFlags.NONE, 5000, None)


def run(ui):
    callers = []
    try:
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        target = loopback_uri(direct_uri(ui, frame))

        # 1: answered from the keyboard (focus is on Answer), the caller hangs up.
        caller, answer = ring(ui, frame, "carol", target, "--duration", "4")
        callers.append(caller)
        ui.find(pyatspi.ROLE_ALERT, re.compile(r"^Incoming call from "), root=frame)
        ui.wait_description(frame, "Incoming call from sip:carol@127.0.0.1", timeout=5)
        ui.screenshot("incoming-1-ringing")
        assert_controls_named(ui, frame)
        ui.focus(answer)
        ui.press("Return")
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=15)
        caller.wait_output("answered")
        ui.screenshot("incoming-2-call-view")
        ui.find(pyatspi.ROLE_LABEL, "The other side hung up.", root=frame, timeout=20)
        assert caller.wait_exit() == 0, caller.output()
        home_page_shows(ui, frame)

        # 2: declined with the window's Decline button.
        caller, answer = ring(ui, frame, "dave", target)
        callers.append(caller)
        decline = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Decline", root=frame)
        ui.activate(decline)
        home_page_shows(ui, frame)
        assert caller.wait_exit() == 4, caller.output()
        assert "SIP 603" in caller.output(), caller.output()

        # 3: declined through the notification's action.
        caller, answer = ring(ui, frame, "erin", target)
        callers.append(caller)
        activate_app_action("decline-call")
        home_page_shows(ui, frame)
        assert caller.wait_exit() == 4, caller.output()

        def three_rows():
            rows = recent_rows(ui, frame)
            return rows if len(rows) >= 3 else None
        rows = trvui.wait_for(three_rows, 10, "three recent calls")
        got = [(r.name.split("@")[0], r.description.split(",")[0]) for r in rows[:3]]
        assert got == [("sip:erin", "Declined call"), ("sip:dave", "Declined call"),
                       ("sip:carol", "Incoming call")], got
        ui.screenshot("incoming-3-main-window")
    finally:
        for c in callers:
            c.stop()
