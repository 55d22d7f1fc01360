# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 12: nothing is announced when nothing is wrong. Without an account, at start-up
and after the network settings are saved (the agent restarts), the window never says
"Calls are not possible" or "Not ready" -- neither shown nor in the window's accessible
description (what a screen reader speaks on GTK 4.8)."""
import time

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV
from trvui_prefs import close_preferences, field, open_preferences, show_page

FALSE_ALERTS = ("Calls are not possible", "Not ready")


def stays_quiet(ui, frame, when, seconds=4.0):
    """Polls the window for `seconds`: no false alert in its description or its rows."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        said = frame.description or ""
        rows = [(r.name or "") + " " + (r.description or "")
                for r in ui.find_all(pyatspi.ROLE_LIST_ITEM, root=frame)]
        for text in [said] + rows:
            assert not any(a in text for a in FALSE_ALERTS), \
                "%s: false alert %r" % (when, text)
        time.sleep(0.15)


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    stays_quiet(ui, frame, "at start-up")
    ui.find(pyatspi.ROLE_LIST_ITEM, "No account", root=frame)

    prefs = open_preferences(ui)
    show_page(ui, prefs, "Network")
    ui.set_text(field(ui, prefs, "STUN server"), "127.0.0.1:3478")
    ui.press("Return")   # network settings apply as they are made; Return at once
    trvui.wait_for(lambda: "127.0.0.1:3478" in ui.run_cmd(
        ["gsettings", "get", "io.github.traverse.Traverse.Nat", "stun-server"]).stdout, 10,
        "the STUN server to be stored")
    stays_quiet(ui, frame, "after saving the network settings")
    close_preferences(ui, prefs)
    stays_quiet(ui, frame, "after closing the Preferences", seconds=1.0)
    ui.find(pyatspi.ROLE_LIST_ITEM, "No account", root=frame)
