# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 12 item 4: "Your address for direct calls" stays the same across network-setting
saves and restarts (the port is remembered), its Copy button puts it on the clipboard
(announced), and when the port of last time is taken by another program the address
changes and the row says so in words."""
import re
import socket
import subprocess
import time

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV
from trvui_prefs import close_preferences, field, open_preferences, show_page

ROW = "Your address for direct calls"
# Reads the clipboard as another program on the display would.
READ_CLIPBOARD = """
import sys, gi
gi.require_version("Gtk", "4.0")
from gi.repository import Gtk, Gdk, GLib
Gtk.init()
loop, out = GLib.MainLoop(), []
def done(clipboard, result):
    out.append(clipboard.read_text_finish(result))
    loop.quit()
Gdk.Display.get_default().get_clipboard().read_text_async(None, done)
GLib.timeout_add_seconds(10, loop.quit)
loop.run()
print(out[0] if out and out[0] else "")
"""


def address(ui, frame, timeout=15):
    """The row's address (its first line) once the agent listens."""
    row = ui.find(pyatspi.ROLE_LIST_ITEM, ROW, root=frame, description=re.compile(r"^sips?:"),
                  timeout=timeout)
    return row, row.description.split("\n")[0]


def port_of(uri):
    return int(re.search(r":(\d+)(;|$)", uri).group(1))


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    row, first = address(ui, frame)
    assert "\n" not in row.description, row.description

    # Copy: on the clipboard, and said.
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Copy address", root=row))
    ui.wait_description(frame, "Address copied", timeout=5)
    clip = ui.run_cmd(["/usr/bin/python3", "-c", READ_CLIPBOARD], timeout=30).stdout.strip()
    assert clip == first, (clip, first)

    # Saving the network settings restarts the agent: same address.
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Network")
    ui.set_text(field(ui, prefs, "STUN server"), "127.0.0.1:3478")
    ui.press("Return")   # network settings apply as they are made; Return at once
    trvui.wait_for(lambda: "127.0.0.1:3478" in ui.run_cmd(
        ["gsettings", "get", "io.github.traverse.Traverse.Nat", "stun-server"]).stdout, 10,
        "the STUN server to be stored")
    close_preferences(ui, prefs)
    time.sleep(2)   # the agent restarts meanwhile
    _, after_save = address(ui, frame)
    assert after_save == first, "changed by saving the network settings: %s -> %s" % (
        first, after_save)

    # A restart: same address.
    ui.stop_app()
    ui.start_app(env=AUDIO_ENV)
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    row, after_restart = address(ui, frame)
    assert after_restart == first, "changed by a restart: %s -> %s" % (first, after_restart)
    assert "\n" not in row.description, row.description
    ui.screenshot("direct-address-1-same")

    # Another program holds the port: a new address, and the row says why.
    ui.stop_app()
    squatter = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        squatter.bind(("0.0.0.0", port_of(first)))
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        row, moved = address(ui, frame)
        assert moved != first, moved
        assert re.search(r"Port %d was in use .* this address has changed" % port_of(first),
                         row.description), row.description
        ui.screenshot("direct-address-2-moved")
    finally:
        squatter.close()
