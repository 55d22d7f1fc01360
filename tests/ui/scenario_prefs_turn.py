# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 3: set NAT mode TURN with server and credentials -> close and reopen the
Preferences -> the values persist; the TURN password is in the secret store (secret-tool)
and in no GSettings key (gsettings list-recursively) nor in any file under the config dir.
Saves a screenshot of the Network page. The TURN server is a loopback address: nothing
here sends a packet anywhere else."""
import os
import re

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV
from trvui_prefs import close_preferences, field, open_preferences, press_button, show_page

TURN_SERVER = "127.0.0.1:34780"
TURN_USER = "carol"
TURN_PASSWORD = "turn-Secret-UI-42"


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Network")

    mode = ui.find(pyatspi.ROLE_COMBO_BOX, "NAT traversal mode", root=prefs)
    assert ui.combo_value(mode) == "ICE", ui.combo_value(mode)      # the default
    ui.choose(mode, "TURN")
    # The one-line explanation follows the mode (row subtitle = accessible description).
    ui.wait_description(mode, re.compile("relays audio through the TURN server"))

    # Each change applies as it is made (no Save button); TURN without credentials is
    # refused, so the mode is stored once the user name and password are there.
    ui.set_text(field(ui, prefs, "TURN server"), TURN_SERVER)
    ui.choose(ui.find(pyatspi.ROLE_COMBO_BOX, "TURN transport", root=prefs), "TCP")
    ui.set_text(field(ui, prefs, "TURN user name"), TURN_USER)
    ui.set_text(field(ui, prefs, "TURN password"), TURN_PASSWORD)

    trvui.wait_for(lambda: "'turn'" in ui.run_cmd(
        ["gsettings", "get", "io.github.traverse.Traverse.Nat", "mode"]).stdout, 10,
        "the NAT mode to be stored")
    trvui.wait_for(lambda: ui.secret_lookup(kind="turn") == TURN_PASSWORD, 10,
                   "the TURN password to be stored")
    ui.screenshot("prefs-turn-1-saved")
    close_preferences(ui, prefs)

    # Reopen: every value comes back, the password from the keyring.
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Network")
    mode = ui.find(pyatspi.ROLE_COMBO_BOX, "NAT traversal mode", root=prefs)
    assert ui.combo_value(mode) == "TURN", ui.combo_value(mode)
    ui.wait_text(field(ui, prefs, "TURN server"), TURN_SERVER)
    transport = ui.find(pyatspi.ROLE_COMBO_BOX, "TURN transport", root=prefs)
    assert ui.combo_value(transport) == "TCP", ui.combo_value(transport)
    ui.wait_text(field(ui, prefs, "TURN user name"), TURN_USER)
    pw_field = field(ui, prefs, "TURN password")
    # GTK exposes either the text or one bullet per character: both prove it was loaded.
    ui.wait_text(pw_field, lambda t: t == TURN_PASSWORD or
                 (t is not None and len(t) == len(TURN_PASSWORD) and set(t) <= {"●", "•", "*"}))
    ui.screenshot("network-preferences")

    # Test network: runs the core's NAT probe in the background. Nothing listens on the
    # loopback TURN port, so the verdict says no server answered -- while it runs, the
    # window keeps working (switching pages goes through the same main loop).
    button = press_button(ui, prefs, "Test network")
    row = next(a for a in trvui.ancestors(button) if a.getRole() == pyatspi.ROLE_LIST_ITEM)
    show_page(ui, prefs, "Audio")
    show_page(ui, prefs, "Network")
    verdict = trvui.wait_for(lambda: row.name not in ("Not tested yet", "Testing the network…")
                             and row.name, 30, "the network test's verdict")
    assert trvui.has_state(button, pyatspi.STATE_SENSITIVE), "Test network stays disabled"
    with open(os.path.join(ui.artifacts, "network-test.txt"), "w") as f:
        f.write(f"{verdict}\n{row.description}\n")
    ui.screenshot("network-test-verdict")

    # Where the password is, and where it is not.
    stored = ui.secret_lookup(kind="turn")
    assert stored == TURN_PASSWORD, f"secret store has {stored!r}"
    dump = ui.gsettings_dump()
    with open(os.path.join(ui.artifacts, "gsettings.txt"), "w") as f:
        f.write(dump)
    assert "turn-server '%s'" % TURN_SERVER in dump, dump
    assert "turn-username '%s'" % TURN_USER in dump, dump
    assert TURN_PASSWORD not in dump, "the TURN password is in GSettings"
    for base, _dirs, files in os.walk(os.path.join(ui.home, "config")):
        for name in files:
            with open(os.path.join(base, name), "rb") as f:
                assert TURN_PASSWORD.encode() not in f.read(), \
                    f"the TURN password is in {os.path.join(base, name)}"
    close_preferences(ui, prefs)
