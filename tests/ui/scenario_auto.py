# SPDX-License-Identifier: GPL-3.0-or-later
"""NAT mode Automatic: the app tests the network before it starts its SIP agent and the
main window says which method was picked and why. No server configured -> the fallback
(ICE) with the reason; then a STUN server (coturn on loopback) is set while the app runs ->
it tests again and picks Direct (loopback has no NAT); an echo test call still connects."""
import os
import re
import shutil
import subprocess

import pyatspi

import trvui
from scenario_turn import set_nat, start_turn
from trvui_calls import AUDIO_ENV, home_page_shows

FALLBACK = re.compile(r"^Best path \(ICE\) — the network test could not decide \(.+\), so every "
                      r"path will be tried$")
CHOSEN = re.compile(r"^Direct \(no NAT traversal\) — chosen automatically: Your computer has a "
                    r"public address \(127\.0\.0\.1:\d+\)")


def run(ui):
    turn, port, workdir = start_turn(ui)
    try:
        set_nat(ui, {"mode": "auto"})
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        row = ui.find(pyatspi.ROLE_LIST_ITEM, "Network", root=frame, description=FALLBACK,
                      timeout=20)
        print(f"no server: {row.description}")
        ui.find(pyatspi.ROLE_LIST_ITEM, re.compile(r"^Your address for direct calls"),
                root=frame, timeout=10)

        # coturn answers STUN on its TURN port.
        set_nat(ui, {"stun-server": f"127.0.0.1:{port}"})
        row = ui.find(pyatspi.ROLE_LIST_ITEM, "Network", root=frame, description=CHOSEN,
                      timeout=20)
        print(f"stun: {row.description}")
        ui.screenshot("auto-1-main-window")

        echo = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Echo Test", root=frame)
        ui.focus(echo)
        ui.press("Return")
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"^(opus|G722|PCMU|PCMA), "), root=frame, timeout=10)
        ui.screenshot("auto-2-echo-call")
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
        home_page_shows(ui, frame)
    finally:
        if turn.poll() is None:
            os.killpg(turn.pid, 15)
            try:
                turn.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(turn.pid, 9)
        shutil.rmtree(workdir, ignore_errors=True)
