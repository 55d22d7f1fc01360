# SPDX-License-Identifier: GPL-3.0-or-later
"""About -> Troubleshooting -> Debugging Information: after an echo test the app hands over its
recent debug log (for a bug report) although G_MESSAGES_DEBUG is not set: the call's and the
media's state changes are in it."""
import pyatspi

import trvui
from trvui_calls import AUDIO_ENV, home_page_shows


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    home_page_shows(ui, frame)
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Echo Test", root=frame))
    ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
    home_page_shows(ui, frame)

    # F10 opens the main menu (its popover is built on first use: trv-window.c).
    ui.press("F10")
    ui.activate(ui.find(pyatspi.ROLE_MENU_ITEM, "About Traverse", root=frame))
    about = ui.find_window("About")
    # The rows carry no accessible action: by keyboard, as a person would.
    for row in ("Troubleshooting", "Debugging Information"):
        ui.focus(ui.find(pyatspi.ROLE_LIST_ITEM, row, root=about, showing=False))
        ui.press("Return")

    def debug_text():
        for acc in ui.find_all(pyatspi.ROLE_TEXT, root=about):
            text = ui.text(acc)
            if text.startswith("Traverse "):
                return text
        return None

    text = trvui.wait_for(debug_text, 10, "the debug information text")
    ui.screenshot("about-debug-info")
    for wanted in ("Traverse-Sip-DEBUG: call sip:echo@", "-> active", "-> ended",
                   "Traverse-Media-DEBUG: media ", "pipeline built", "first RTP received",
                   "pipeline teardown"):
        assert wanted in text, (wanted, text[-3000:])
