# SPDX-License-Identifier: GPL-3.0-or-later
"""Links: `traverse sip:...` starts a call, both when it launches the app and when the
app already runs (the second launch hands the link over and exits). Bad links are
refused with a message and an exit status."""
import subprocess

import pyatspi

from trvui_calls import AUDIO_ENV, CliPeer, home_page_shows


def second_launch(ui, *args):
    return subprocess.run([ui.app_path, *args], env=ui.app_env(AUDIO_ENV),
                          capture_output=True, text=True, timeout=30)


def hang_up(ui, frame, peer):
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
    peer.wait_output("ended: remote-hangup")
    home_page_shows(ui, frame)


def run(ui):
    peers = []
    try:
        # The app's first launch by a link (as from a web page) calls it.
        first = CliPeer(ui, "frank")
        peers.append(first)
        first.start("answer", "--timeout", "60")
        ui.start_app(args=[first.uri], env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
        ui.find(pyatspi.ROLE_LABEL, first.uri, root=frame)
        first.wait_output("incoming")
        hang_up(ui, frame, first)

        # A second launch hands its link to the running instance and exits.
        peer = CliPeer(ui, "grace")
        peers.append(peer)
        peer.start("answer", "--timeout", "60")
        r = second_launch(ui, peer.uri)
        assert r.returncode == 0, (r.returncode, r.stderr)
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
        ui.find(pyatspi.ROLE_LABEL, peer.uri, root=frame)
        ui.screenshot("links-1-call-view")
        hang_up(ui, frame, peer)

        # Not a call link: refused by the running instance, with the reason.
        r = second_launch(ui, "https://example.org/")
        assert r.returncode == 2, (r.returncode, r.stderr)
        assert "not a sip:, sips: or tel: link" in r.stderr, r.stderr
        # tel: needs an account to route the number through: a clear error, no call.
        r = second_launch(ui, "tel:+15551234567")
        assert r.returncode == 1, (r.returncode, r.stderr)
        assert "Cannot call" in r.stderr, r.stderr
        ui.find(pyatspi.ROLE_ALERT, r.stderr.strip().removeprefix("traverse: "), root=frame)
        ui.screenshot("links-2-main-window")
    finally:
        for p in peers:
            p.stop()
