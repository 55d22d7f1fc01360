# SPDX-License-Identifier: GPL-3.0-or-later
"""Transfer: the app answers traverse-cli alice; Alt+T (the call view's Transfer button)
opens the Transfer dialog, the target (traverse-cli carol) is typed and Consult First
chosen (Alt+O): alice is held (the held row shows her) while the app calls carol. Complete
Transfer hands alice over with REFER and Replaces: alice calls carol ("transferred to"),
carol's call from the app is replaced by alice's ("replaced by"), the app's two calls end
and it shows the home page again; alice and carol talk (carol receives alice's audio)
until carol hangs up. Then a blind transfer: bob calls, Transfer (Return) hands him
straight to a second traverse-cli, bob says "transferred to" and the app's call ends.
Last the app is transferred itself: it calls dave, whose REFER sends it on to a third
traverse-cli; the window says "Transferred to ..." and shows the new call."""
import json
import os
import re

import pyatspi

import trvui
from scenario_incoming import loopback_uri
from trvui_calls import AUDIO_ENV, CliPeer, assert_controls_named, direct_uri, home_page_shows


def answer_in_window(ui, frame, peer):
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Answer", root=frame, timeout=20))
    peer.wait_output("answered")
    ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=15)


def transfer_dialog(ui, frame, target, choice):
    """Alt+T in the call view, the target typed into the field that has the focus, then
    `choice` by keyboard: Consult First by its mnemonic (Alt+O), Transfer with Return (the
    default response)."""
    transfer = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Transfer", root=frame)
    assert trvui.has_state(transfer, pyatspi.STATE_SENSITIVE), trvui.describe(transfer)
    ui.press("alt+t")
    entry = ui.find(pyatspi.ROLE_TEXT, "Transfer to", timeout=10)
    dialog = next(a for a in trvui.ancestors(entry) if a.getRole() in
                  (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FRAME, pyatspi.ROLE_WINDOW))
    for label in ("Cancel", "Consult First", "Transfer"):
        ui.find(pyatspi.ROLE_PUSH_BUTTON, label, root=dialog)
    assert_controls_named(ui, dialog)
    ui.type_text(target)
    trvui.wait_for(lambda: trvui.text_of(entry) == target, 5,
                   f"the target field to read {target!r} (reads {trvui.text_of(entry)!r})")
    ui.screenshot(f"transfer-dialog-{choice.split()[0].lower()}")
    ui.press("alt+o" if choice == "Consult First" else "Return")
    ui.wait_gone(pyatspi.ROLE_TEXT, "Transfer to", timeout=10)


def run(ui):
    peers = []
    try:
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        target = loopback_uri(direct_uri(ui, frame))

        carol = CliPeer(ui, "carol")
        peers.append(carol)
        stats = os.path.join(carol.dir, "carol.json")
        carol.start("answer", "--timeout", "60", "--duration", "15", "--stats", stats)
        alice = CliPeer(ui, "alice")
        peers.append(alice)
        alice.start("call", target, "--timeout", "60", "--duration", "60", wait_ready=False)
        answer_in_window(ui, frame, alice)

        # Consult First: alice held beside the call to carol.
        transfer_dialog(ui, frame, carol.uri, "Consult First")
        carol.wait_output("answered")
        alice.wait_output("held by the other side")
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"^On hold: sip:alice@127\.0\.0\.1"), root=frame,
                timeout=10)
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"^sip:carol@127\.0\.0\.1"), root=frame)
        complete = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Complete Transfer", root=frame,
                           timeout=10)
        transfer = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Transfer", root=frame)
        assert not trvui.has_state(transfer, pyatspi.STATE_SENSITIVE), trvui.describe(transfer)
        assert_controls_named(ui, frame)
        ui.screenshot("transfer-consulting")

        # Complete Transfer: alice and carol talk, the app's calls end.
        ui.activate(complete)
        alice.wait_output("transferred to sip:carol@127.0.0.1")
        carol.wait_output("replaced by sip:alice@127.0.0.1")
        home_page_shows(ui, frame, timeout=20)
        assert carol.wait_exit(30) == 0, carol.output()
        assert alice.wait_exit(20) == 0, alice.output()
        with open(stats) as f:
            st = json.load(f)
        assert st["call"]["remote"].startswith("sip:alice@127.0.0.1"), st
        assert st["media"]["rtp_received"] > 100, st
        assert "ended: remote-hangup" in alice.output(), alice.output()

        # Blind: bob is handed to carol at once.
        carol2 = CliPeer(ui, "carol2")
        peers.append(carol2)
        carol2.start("answer", "--timeout", "60", "--duration", "3")
        bob = CliPeer(ui, "bob")
        peers.append(bob)
        bob.start("call", target, "--timeout", "60", "--duration", "60", wait_ready=False)
        answer_in_window(ui, frame, bob)
        transfer_dialog(ui, frame, carol2.uri, "Transfer")
        bob.wait_output("transferred to sip:carol2@127.0.0.1")
        carol2.wait_output("answered")
        home_page_shows(ui, frame, timeout=20)
        assert carol2.wait_exit(30) == 0, carol2.output()
        assert bob.wait_exit(20) == 0, bob.output()

        # Being transferred: dave REFERs the app to carol3; the app follows and says so.
        carol3 = CliPeer(ui, "carol3")
        peers.append(carol3)
        carol3.start("answer", "--timeout", "60", "--duration", "4")
        dave = CliPeer(ui, "dave")
        peers.append(dave)
        dave.start("answer", "--timeout", "60", "--transfer-to", carol3.uri,
                   "--transfer-after", "1")
        entry = home_page_shows(ui, frame)
        ui.set_text(entry, dave.uri)
        ui.press("Return")
        dave.wait_output("transferring " + carol3.uri)
        ui.find(pyatspi.ROLE_LABEL, "Transferred to " + carol3.uri, root=frame, timeout=15)
        carol3.wait_output("answered")
        ui.find(pyatspi.ROLE_LABEL, carol3.uri, root=frame, timeout=10)
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=10)
        ui.screenshot("transfer-followed")
        assert dave.wait_exit(20) == 0, dave.output()
        assert re.search(r"^transferred$", dave.output(), re.M), dave.output()
        assert carol3.wait_exit(30) == 0, carol3.output()
        home_page_shows(ui, frame, timeout=20)
    finally:
        for peer in peers:
            peer.stop()
