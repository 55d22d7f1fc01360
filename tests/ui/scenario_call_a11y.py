# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 12 item 9: the call view by keyboard and screen reader (an echo test call). The
tones label is neither shown nor focusable while no tone was sent; Mute and unmute are
announced (the window's accessible description, what Orca speaks on GTK 4.8); the keypad
is one Tab stop, its keys reached with the arrow keys, and Tab leaves it."""
import re

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV, assert_controls_named, home_page_shows


def key_name(acc):
    return acc.name if acc is not None else None


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    home_page_shows(ui, frame)
    ui.press("ctrl+e")
    ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)

    # The keypad open, no tone sent yet: no empty label in the way.
    ui.press("alt+k")
    pad = ui.find(None, "Keypad for tones", root=frame)
    one = ui.find(pyatspi.ROLE_PUSH_BUTTON, "1", root=pad)
    tones = [a for a in ui.find_all(pyatspi.ROLE_LABEL, root=frame)
             if (a.description or "") == "Tones sent"]
    assert not tones, "an empty tones label is shown: %r" % [
        (a.name, trvui.has_state(a, pyatspi.STATE_FOCUSABLE)) for a in tones]
    unnamed = [a for a in ui.find_all(pyatspi.ROLE_LABEL, root=frame)
               if trvui.has_state(a, pyatspi.STATE_FOCUSABLE) and
               (not a.name or a.name == "GtkLabel")]
    assert not unnamed, "focusable labels without words: %r" % [
        trvui.describe(a) for a in unnamed]
    assert_controls_named(ui, frame)

    # One Tab stop: Tab enters on "1", the arrows move inside, Tab leaves.
    ui.focus(one)
    ui.press("Right")
    trvui.wait_for(lambda: key_name(ui.focused(pad)) == "2", 5, "Right to move to key 2")
    ui.press("Down")
    trvui.wait_for(lambda: key_name(ui.focused(pad)) == "5", 5, "Down to move to key 5")
    ui.press("Tab")
    trvui.wait_for(lambda: ui.focused(frame) is not None and ui.focused(pad) is None, 5,
                   "Tab to leave the keypad (focus on %r)" % key_name(ui.focused(frame)))
    ui.press("shift+Tab")
    trvui.wait_for(lambda: key_name(ui.focused(pad)) == "5", 5,
                   "Shift+Tab to come back to the key used last")
    ui.press("Return")
    tones = ui.find(pyatspi.ROLE_LABEL, "5", root=frame, description="Tones sent")
    assert trvui.is_showing(tones)

    # Mute and unmute, announced.
    mute = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Mute", root=frame)   # GTK 4.8: push button + pressed
    ui.activate(mute)
    ui.wait_description(frame, "Microphone muted", timeout=5)
    ui.activate(mute)
    ui.wait_description(frame, "Microphone on", timeout=5)

    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
    home_page_shows(ui, frame)
    ui.wait_description(frame, re.compile("Call ended"), timeout=5)
