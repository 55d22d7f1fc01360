# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 1: first run -> Echo test -> the call view shows connected -> hang up ->
recent calls lists the echo test. Zero configuration: no account, fresh HOME."""
import os
import re

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV, assert_controls_named, home_page_shows, recent_rows


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    home_page_shows(ui, frame)
    # Start-up is not news: once the account row is ready, no stale "Reading the
    # settings…" may stand in the window's announcement (shown and spoken).
    ui.find(pyatspi.ROLE_LABEL, "No account", root=frame)
    assert not ui.exists(pyatspi.ROLE_LABEL, "Reading the settings…", root=frame), \
        "start-up announcement lingers"
    assert "Reading the settings" not in (frame.description or ""), frame.description
    ui.screenshot("echo-1-main-window")
    assert_controls_named(ui, frame)
    ui.dump_tree(os.path.join(ui.artifacts, "echo-tree-home.txt"))

    # The shortcuts window (Ctrl+?) and the About window: named, and Escape closes them.
    ui.press("ctrl+question")
    ui.find_window("Keyboard Shortcuts")
    ui.press("Escape")
    trvui.wait_for(lambda: [w.name for w in ui.windows()] == ["Traverse"], 5,
                   "Escape to close the shortcuts window")
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Main menu", root=frame,
                        pred=lambda a: trvui.has_state(a, pyatspi.STATE_FOCUSABLE)))
    ui.activate(ui.find(pyatspi.ROLE_MENU_ITEM, "About Traverse", root=frame))
    ui.find_window("About")
    ui.press("Escape")
    trvui.wait_for(lambda: [w.name for w in ui.windows()] == ["Traverse"], 5,
                   "Escape to close the About window")

    # Digits typed with the focus elsewhere on the page, and the dial pad's keys, go to
    # the number field.
    entry = home_page_shows(ui, frame)
    echo = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Echo Test", root=frame)
    ui.focus(echo)
    ui.type_text("12")
    ui.wait_text(entry, "12", timeout=5)
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "3", root=frame))
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hash", root=frame))
    ui.wait_text(entry, "123#", timeout=5)
    ui.set_text(entry, "")

    ui.focus(echo)
    ui.press("Return")

    # The call view: the echo endpoint answers, the state reads "Connected".
    ui.find(pyatspi.ROLE_LABEL, "Echo test", root=frame)
    ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
    # Announced: the window's description carries the state change (what Orca speaks
    # on GTK 4.8, see trv_window_announce()).
    ui.wait_description(frame, "Connected", timeout=5)
    # Media flows: the codec is agreed and packets arrive (loss/jitter get measured).
    ui.find(pyatspi.ROLE_LABEL, re.compile(r"^(opus|G722|PCMU|PCMA), "), root=frame, timeout=10)
    ui.find(pyatspi.ROLE_LABEL, "Direct", root=frame, timeout=10)
    trvui.wait_for(lambda: ui.find_all(pyatspi.ROLE_LABEL, re.compile(r"^0:0[2-9]$"), root=frame),
                   10, "the call timer to run")
    ui.screenshot("echo-2-call-view")
    ui.press("alt+k")    # the keypad too
    ui.find(pyatspi.ROLE_PUSH_BUTTON, "Star", root=frame)
    assert_controls_named(ui, frame)
    ui.dump_tree(os.path.join(ui.artifacts, "echo-tree-call.txt"))

    hangup = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame)
    ui.activate(hangup)
    home_page_shows(ui, frame)
    ui.wait_description(frame, "Call ended.", timeout=5)
    rows = trvui.wait_for(lambda: recent_rows(ui, frame), 10, "a recent call row")
    assert len(rows) == 1, [r.name for r in rows]
    assert rows[0].name == "Echo test", rows[0].name
    assert re.match(r"^Outgoing call, \d\d:\d\d, 0:\d\d$", rows[0].description), \
        rows[0].description
    assert_controls_named(ui, frame)
    ui.screenshot("echo-3-recent-calls")

    # Calling back from the history: the row's call button starts the echo test again.
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Call Echo test", root=rows[0]))
    ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
    home_page_shows(ui, frame)
    rows = trvui.wait_for(lambda: len(recent_rows(ui, frame)) == 2 and recent_rows(ui, frame),
                          10, "the second echo test in the history")

    # The history survives a restart.
    ui.stop_app()
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    rows = trvui.wait_for(lambda: recent_rows(ui, frame), 10, "the recent calls after restart")
    assert len(rows) == 2, [r.name for r in rows]
    assert rows[0].name == "Echo test" and rows[0].description.startswith("Outgoing call"), \
        (rows[0].name, rows[0].description)
