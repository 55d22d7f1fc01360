# SPDX-License-Identifier: GPL-3.0-or-later
"""No sound from the other side: a traverse-cli answerer whose microphone never delivers
a sample (so it sends no RTP). After a few seconds of the connected call the call view
says in words that nothing arrives and what to try, and the window announces it."""
import re

import pyatspi

from trvui_calls import AUDIO_ENV, CliPeer, home_page_shows

# A live source that never pushes a buffer: the peer's pipeline runs but sends nothing.
MUTE_SOURCE = {"TRAVERSE_AUDIOSRC": "appsrc is-live=true format=time "
                                    "caps=audio/x-raw,format=S16LE,layout=interleaved,"
                                    "rate=48000,channels=1"}
HINT = re.compile(r"^No sound has arrived from the other side: a firewall or NAT")


def run(ui):
    peer = CliPeer(ui, "judy")
    try:
        peer.start("answer", "--timeout", "90", audio_env=MUTE_SOURCE)
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        entry = home_page_shows(ui, frame)
        ui.set_text(entry, peer.uri)
        ui.press("Return")
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
        # Not before the threshold (5 s) ...
        assert not ui.find_all(pyatspi.ROLE_LABEL, HINT, root=frame)
        # ... then in the call view and announced.
        ui.find(pyatspi.ROLE_LABEL, HINT, root=frame, timeout=15)
        ui.wait_description(frame, HINT, timeout=5)
        ui.find(pyatspi.ROLE_LIST_ITEM, "Call quality", root=frame,
                description="No sound arriving", timeout=5)
        ui.screenshot("no-audio-1-call-view")
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
        peer.wait_output("ended: remote-hangup")
        home_page_shows(ui, frame)
        ui.screenshot("no-audio-2-main-window")
    finally:
        peer.stop()
