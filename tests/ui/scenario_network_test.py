# SPDX-License-Identifier: GPL-3.0-or-later
"""The network test says what it tested, in words: with an account whose domain is an IP
address (nothing to look servers up for in DNS) and a TURN server (coturn on loopback) with
its credentials, "Test network" reports the TURN relay working -- and nothing that claims no
server is set, nor any config key name ("nat.turn-server"). Then the account is removed: the
confirmation's buttons read "Cancel" and "Remove" to a screen reader (no mnemonic underscore,
no doubled label)."""
import os
import re
import shutil
import subprocess

import pyatspi

import trvui
from scenario_turn import start_turn
from trvui_calls import AUDIO_ENV, assert_controls_named
from trvui_prefs import close_preferences, field, open_preferences, press_button, show_page

ADDRESS = "sip:alice@127.0.0.1"


def add_account(ui, prefs):
    """An account on an IP literal, not registering (nothing listens there)."""
    show_page(ui, prefs, "Accounts")
    press_button(ui, prefs, "Add account")
    ui.set_text(field(ui, prefs, "SIP address"), ADDRESS)
    register = ui.find(pyatspi.ROLE_CHECK_BOX, "Register", root=prefs)
    ui.activate(register)
    trvui.wait_for(lambda: not trvui.has_state(register, pyatspi.STATE_CHECKED), 5,
                   "the Register switch to turn off")
    press_button(ui, prefs, "Add the account")
    ui.find(pyatspi.ROLE_PUSH_BUTTON, "Edit account %s" % ADDRESS, root=prefs)


def network_test(ui, prefs, port):
    show_page(ui, prefs, "Network")
    mode = ui.find(pyatspi.ROLE_COMBO_BOX, "NAT traversal mode", root=prefs)
    assert ui.combo_value(mode) == "ICE", ui.combo_value(mode)      # the default: both
    # The STUN server stays empty: the probe asks the TURN server for the public address.
    ui.set_text(field(ui, prefs, "TURN server"), "127.0.0.1:%d" % port)
    ui.set_text(field(ui, prefs, "TURN user name"), "alice")
    ui.set_text(field(ui, prefs, "TURN password"), "secret")

    button = press_button(ui, prefs, "Test network")
    row = next(a for a in trvui.ancestors(button) if a.getRole() == pyatspi.ROLE_LIST_ITEM)
    verdict = trvui.wait_for(lambda: row.name not in ("Not tested yet", "Testing the network…")
                             and row.name, 30, "the network test's verdict")
    details = row.description or ""
    with open(os.path.join(ui.artifacts, "network-test.txt"), "w") as f:
        f.write(f"{verdict}\n{details}\n")
    ui.screenshot("network-test-verdict")
    text = f"{verdict} {details}"
    # What was tested: the relay, over both transports.
    assert re.search(r"TURN over UDP: works; over TCP: works", details), text
    # Nothing that contradicts it, and no setting names for the user to decode.
    assert not re.search(r"no (STUN/TURN|STUN or TURN) server|not configured|cannot be "
                         r"discovered", text, re.I), text
    assert not re.search(r"\bnat\.[a-z-]+", text), text


def remove_account(ui, prefs):
    show_page(ui, prefs, "Accounts")
    press_button(ui, prefs, "Remove account %s" % ADDRESS)
    dialog = trvui.wait_for(
        lambda: next((w for w in ui.windows()
                      if w.name != "Preferences" and w.name != "Traverse"
                      and ui.find_all(pyatspi.ROLE_LABEL, "Remove the account?", root=w)),
                     None), 10, "the confirmation dialog")
    # (AdwMessageDialog keeps a row and a column of the same buttons, for narrow windows.)
    names = sorted(b.name for b in ui.find_all(pyatspi.ROLE_PUSH_BUTTON, root=dialog))
    assert names and set(names) == {"Cancel", "Remove"}, names
    assert_controls_named(ui, dialog)
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Remove", root=dialog))
    ui.find(pyatspi.ROLE_LIST_ITEM, "No accounts", root=prefs)


def run(ui):
    turn, port, workdir = start_turn(ui)
    try:
        ui.start_app(env=dict(AUDIO_ENV, G_MESSAGES_DEBUG="all"))
        prefs = open_preferences(ui)
        add_account(ui, prefs)
        network_test(ui, prefs, port)
        remove_account(ui, prefs)
        close_preferences(ui, prefs)
    finally:
        if turn.poll() is None:
            os.killpg(turn.pid, 15)
            try:
                turn.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(turn.pid, 9)
        shutil.rmtree(workdir, ignore_errors=True)
