# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 4: place a call to a traverse-cli answerer by keyboard (type the address,
Enter dials) -> the Connection section names the path in words -> hang up -> the
answerer saw our hang-up and recent calls lists the call."""
import os
import re

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV, CliPeer, home_page_shows, recent_rows

PATH_WORDS = re.compile(r"^(Direct|Through NAT \(STUN\)|Relayed via .+)$")


def run(ui):
    peer = CliPeer(ui, "bob")
    try:
        peer.start("answer", "--timeout", "90")
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        entry = home_page_shows(ui, frame)
        ui.set_text(entry, peer.uri)
        ui.press("Return")

        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
        peer.wait_output("incoming")
        # The path in plain words, with candidate types and addresses (loopback: direct,
        # host candidates on both sides).
        path = ui.find(pyatspi.ROLE_LIST_ITEM, "Path", root=frame, description=PATH_WORDS,
                       timeout=10)
        assert path.description == "Direct", path.description
        local = ui.find(pyatspi.ROLE_LIST_ITEM, "This device", root=frame,
                        description=re.compile(r"^Host .* — [0-9.]+:\d+$"))
        remote = ui.find(pyatspi.ROLE_LIST_ITEM, "Other side", root=frame,
                         description=re.compile(r"^Host .* — [0-9.]+:\d+$"))
        ui.find(pyatspi.ROLE_LIST_ITEM, "Codec", root=frame,
                description=re.compile(r"^(opus|G722|PCMU|PCMA), "))
        # Live figures: jitter and loss become measured once packets arrive.
        ui.find(pyatspi.ROLE_LIST_ITEM, "Jitter", root=frame,
                description=re.compile(r"^\d+ ms$"), timeout=10)
        # The E-model estimate once RTCP has reported (every few seconds).
        ui.find(pyatspi.ROLE_LIST_ITEM, "Call quality", root=frame,
                description=re.compile(r"^(Excellent|Good|Fair|Poor|Bad) \(estimated MOS "
                                       r"[1-4]\.\d\)$"), timeout=20)
        ui.find(pyatspi.ROLE_LIST_ITEM, "Packet loss", root=frame,
                description=re.compile(r"^(None|\d+\.\d %.*)$"), timeout=10)
        print(f"path: {path.description}; local: {local.description}; "
              f"remote: {remote.description}")
        ui.screenshot("call-cli-1-call-view")

        # Keyboard only: digits are tones (RFC 4733 or SIP INFO), mnemonics work the buttons.
        hangup = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame)
        ui.focus(hangup)
        ui.type_text("1#")
        peer.wait_output("dtmf 1")
        peer.wait_output("dtmf #")
        ui.find(pyatspi.ROLE_LABEL, "1#", root=frame)
        # GTK 4.8 exposes a toggle button as a push button with the "pressed" state.
        mute = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Mute", root=frame)
        ui.press("alt+m")
        trvui.wait_for(lambda: trvui.has_state(mute, pyatspi.STATE_CHECKED) or
                       trvui.has_state(mute, pyatspi.STATE_PRESSED), 5, "Mute to be on")
        ui.press("alt+o")
        ui.find(pyatspi.ROLE_LABEL, "On hold", root=frame, timeout=10)
        ui.press("alt+o")
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=10)

        ui.focus(hangup)
        ui.press("space")
        peer.wait_output("ended: remote-hangup")
        assert peer.wait_exit() == 0, peer.output()

        home_page_shows(ui, frame)
        rows = trvui.wait_for(lambda: recent_rows(ui, frame), 10, "a recent call row")
        assert rows[0].name == peer.uri, rows[0].name
        assert rows[0].description.startswith("Outgoing call, "), rows[0].description
        ui.screenshot("call-cli-2-main-window")

        # Addresses are text, never markup: a failed call to one full of <&> shows it as
        # typed (loopback port 9: nothing listens, the call fails at once).
        odd = "sip:<b&o>@127.0.0.1:9"
        entry = home_page_shows(ui, frame)
        ui.set_text(entry, odd)
        ui.press("Return")
        rows = trvui.wait_for(lambda: [r for r in recent_rows(ui, frame) if r.name == odd], 20,
                              "the failed call in the history")
        assert rows[0].description.startswith("Call not accepted") or \
            rows[0].description.startswith("Failed call"), rows[0].description
        with open(os.path.join(ui.artifacts, "app-1.log")) as f:
            log = f.read()
        assert "markup" not in log, log
    finally:
        peer.stop()
