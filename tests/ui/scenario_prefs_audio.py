# SPDX-License-Identifier: GPL-3.0-or-later
"""Preferences, Audio page by keyboard: move a codec up, switch one off, turn echo
cancellation off -- each change is stored at once (GSettings); switching every codec off
is refused with a message and nothing changes. Screenshot of the Audio page."""
import re
import time

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV
from trvui_prefs import close_preferences, open_preferences, show_page

SCHEMA = "io.github.traverse.Traverse.Audio"


def gsetting(ui, key):
    return ui.run_cmd(["gsettings", "get", SCHEMA, key]).stdout.strip()


def wait_setting(ui, key, value):
    trvui.wait_for(lambda: gsetting(ui, key) == value, 10,
                   f"{key} to become {value} (is {gsetting(ui, key)})")


def press(ui, window, role, name):
    acc = ui.find(role, name, root=window)
    ui.focus(acc)
    ui.press("space" if role == pyatspi.ROLE_CHECK_BOX else "Return")
    return acc


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Audio")
    assert gsetting(ui, "codecs") == "['opus', 'G722', 'PCMU', 'PCMA']"

    ui.find(pyatspi.ROLE_COMBO_BOX, "Microphone", root=prefs)
    ui.find(pyatspi.ROLE_COMBO_BOX, "Speaker", root=prefs)

    press(ui, prefs, pyatspi.ROLE_PUSH_BUTTON, "Move PCMA up")
    wait_setting(ui, "codecs", "['opus', 'G722', 'PCMA', 'PCMU']")
    # The focus stays on the moved codec's button: pressing again moves it further.
    ui.press("Return")
    wait_setting(ui, "codecs", "['opus', 'PCMA', 'G722', 'PCMU']")

    press(ui, prefs, pyatspi.ROLE_CHECK_BOX, "Use G722")
    wait_setting(ui, "codecs", "['opus', 'PCMA', 'PCMU']")

    echo = press(ui, prefs, pyatspi.ROLE_CHECK_BOX, "Echo cancellation")
    wait_setting(ui, "echo-cancellation", "false")
    assert not trvui.has_state(echo, pyatspi.STATE_CHECKED)
    ui.screenshot("audio-preferences")

    # Every codec off: the last one is refused and its switch comes back on.
    for name in ("opus", "PCMA"):
        press(ui, prefs, pyatspi.ROLE_CHECK_BOX, f"Use {name}")
    wait_setting(ui, "codecs", "['PCMU']")
    press(ui, prefs, pyatspi.ROLE_CHECK_BOX, "Use PCMU")
    last = trvui.wait_for(
        lambda: next((a for a in ui.find_all(pyatspi.ROLE_CHECK_BOX, "Use PCMU", root=prefs)
                      if trvui.has_state(a, pyatspi.STATE_CHECKED)), None),
        10, "the PCMU switch to come back on")
    assert last is not None
    # The reason is shown on the page, next to the codecs.
    ui.find(pyatspi.ROLE_LABEL, re.compile(r"^Not saved: empty list"), root=prefs)
    assert gsetting(ui, "codecs") == "['PCMU']", gsetting(ui, "codecs")
    close_preferences(ui, prefs)

    # Reopened, the page shows what is stored.
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Audio")
    rows = [a.name for a in ui.find_all(pyatspi.ROLE_LIST_ITEM, root=prefs)
            if a.name in ("opus", "G722", "PCMU", "PCMA")]
    assert rows[:1] == ["PCMU"], rows

    # One Preferences window: choosing Preferences again in the main window's menu while
    # it is open brings the open one back instead of a second copy.
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Main menu", root=frame,
                        pred=lambda a: trvui.has_state(a, pyatspi.STATE_FOCUSABLE)))
    ui.activate(ui.find(pyatspi.ROLE_MENU_ITEM, "Preferences", root=frame))
    time.sleep(1)
    open_prefs = [w for w in ui.windows() if w.name == "Preferences"]
    assert len(open_prefs) == 1, f"{len(open_prefs)} Preferences windows"
    close_preferences(ui, open_prefs[0])
    assert re.match(r"^false$", gsetting(ui, "echo-cancellation"))
