# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 12 item 4, from a network test: Preferences' Test network against a STUN server on
loopback (coturn) finds no NAT (the address it sees is our own), and the main window then
says below "Your address for direct calls" that this address works from the internet
too. Before the test nothing is said about the internet."""
import os
import shutil
import subprocess

import pyatspi

import trvui
from scenario_turn import start_turn
from trvui_calls import AUDIO_ENV
from trvui_prefs import close_preferences, field, open_preferences, press_button, show_page

ROW = "From the internet"


def run(ui):
    proc, port, workdir = start_turn(ui)
    try:
        scenario(ui, port)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
        shutil.rmtree(workdir, ignore_errors=True)


def scenario(ui, port):
    ui.start_app(env=dict(AUDIO_ENV, G_MESSAGES_DEBUG="all"))
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    ui.find(pyatspi.ROLE_LIST_ITEM, "Your address for direct calls", root=frame, timeout=15)
    assert not ui.exists(pyatspi.ROLE_LIST_ITEM, ROW, root=frame), "shown before any test"

    prefs = open_preferences(ui)
    show_page(ui, prefs, "Network")
    ui.set_text(field(ui, prefs, "STUN server"), "127.0.0.1:%d" % port)
    ui.press("Return")
    trvui.wait_for(lambda: str(port) in ui.run_cmd(
        ["gsettings", "get", "io.github.traverse.Traverse.Nat", "stun-server"]).stdout, 10,
        "the STUN server to be stored")
    button = press_button(ui, prefs, "Test network")
    row = next(a for a in trvui.ancestors(button) if a.getRole() == pyatspi.ROLE_LIST_ITEM)
    trvui.wait_for(lambda: row.name not in ("Not tested yet", "Testing the network…")
                   and row.name, 30, "the network test's verdict")
    close_preferences(ui, prefs)

    ui.find(pyatspi.ROLE_LIST_ITEM, ROW, root=frame,
            description="The address above works from the internet too.", timeout=10)
    ui.screenshot("public-address-probe-1-no-nat")
