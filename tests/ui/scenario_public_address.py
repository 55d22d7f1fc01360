# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 12 item 4: with a public address configured (Preferences, mode None), the main
window shows below "Your address for direct calls" the address people outside reach:
the public address with the port of the direct address, with its own Copy button
(announced, on the clipboard). Without a public address (and no network test) that row
is not there."""
import re

import pyatspi

import trvui
from scenario_direct_address import READ_CLIPBOARD, address, port_of
from trvui_calls import AUDIO_ENV
from trvui_prefs import close_preferences, field, open_preferences, show_page

PUBLIC = "203.0.113.10"
ROW = "From the internet"


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    _, direct = address(ui, frame)
    assert not ui.exists(pyatspi.ROLE_LIST_ITEM, ROW, root=frame), \
        "an internet address shown without anything known about it"

    # Mode None shows the public address field; it applies as it is made.
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Network")
    ui.choose(ui.find(pyatspi.ROLE_COMBO_BOX, "NAT traversal mode", root=prefs), "None")
    trvui.wait_for(lambda: "none" in ui.run_cmd(
        ["gsettings", "get", "io.github.traverse.Traverse.Nat", "mode"]).stdout, 10,
        "mode none to be stored")
    ui.set_text(field(ui, prefs, "Public address"), PUBLIC)
    ui.press("Return")
    trvui.wait_for(lambda: PUBLIC in ui.run_cmd(
        ["gsettings", "get", "io.github.traverse.Traverse.Nat", "public-address"]).stdout, 10,
        "the public address to be stored")
    close_preferences(ui, prefs)

    want = re.compile(r"^sip:traverse@%s:(\d+)$" % re.escape(PUBLIC))
    row = ui.find(pyatspi.ROLE_LIST_ITEM, ROW, root=frame, description=want, timeout=20)
    _, direct = address(ui, frame)
    assert int(want.match(row.description).group(1)) == port_of(direct), (row.description,
                                                                          direct)
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Copy internet address", root=row))
    ui.wait_description(frame, "Address copied", timeout=5)
    clip = ui.run_cmd(["/usr/bin/python3", "-c", READ_CLIPBOARD], timeout=30).stdout.strip()
    assert clip == row.description, (clip, row.description)
    ui.screenshot("public-address-1-configured")

    # After a restart too.
    ui.stop_app()
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    ui.find(pyatspi.ROLE_LIST_ITEM, ROW, root=frame, description=want, timeout=20)
