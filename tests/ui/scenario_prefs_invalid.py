# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 5: an invalid server address shows an inline error next to the field (a
visible error row below it, the reason as the field's accessible description) and is not
saved -- and neither is a valid value saved together with it (never half-way). The same
for an account with a broken registrar. Screenshots of both pages with the error."""
import re

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV, assert_controls_named
from trvui_prefs import (close_preferences, error_row_after, field, open_preferences,
                         press_button, show_page)


def gsetting(ui, schema, key):
    return ui.run_cmd(["gsettings", "get", schema, key]).stdout.strip()


def run(ui):
    ui.start_app(env=AUDIO_ENV)
    prefs = open_preferences(ui)
    before = ui.gsettings_dump()

    # Every control on the Audio and Network pages has a proper accessible name.
    show_page(ui, prefs, "Audio")
    assert_controls_named(ui, prefs)

    # ---- Network: a valid public address together with a broken STUN server.
    show_page(ui, prefs, "Network")
    assert_controls_named(ui, prefs)
    ui.set_text(field(ui, prefs, "Public address"), "198.51.100.7")
    stun = field(ui, prefs, "STUN server")
    ui.set_text(stun, "stun..example.org:99999")
    press_button(ui, prefs, "Save network settings")

    err = trvui.wait_for(lambda: error_row_after(ui, stun), 10, "an error row below STUN server")
    reason = err.name
    # The reason in words, without the internal key name ("nat.stun-server: ").
    assert reason and not reason.startswith("nat."), reason
    ui.wait_description(stun, reason)          # the screen reader hears the reason
    assert trvui.has_state(stun, pyatspi.STATE_INVALID), "field not marked invalid"
    ui.screenshot("prefs-invalid-network")
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "stun-server") == "''"
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "public-address") == "''", \
        "the valid half of a refused save was stored"

    # Fixing the field takes the error away and the save goes through.
    ui.set_text(stun, "127.0.0.1:3478")
    trvui.wait_for(lambda: error_row_after(ui, stun) is None, 5, "the error row to go away")
    ui.press("alt+s")       # the mnemonic of "_Save Network Settings", from the field
    # Said on the page and announced (the window's description), not in a toast.
    ui.wait_description(prefs, "Network settings saved. They apply from the next call on.")
    trvui.wait_for(lambda: gsetting(ui, "io.github.traverse.Traverse.Nat", "stun-server")
                   == "'127.0.0.1:3478'", 10, "the corrected STUN server to be stored")
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "public-address") == "'198.51.100.7'"

    # TURN mode without credentials: refused, the reason at the user name.
    mode = ui.find(pyatspi.ROLE_COMBO_BOX, "NAT traversal mode", root=prefs)
    ui.choose(mode, "TURN")
    press_button(ui, prefs, "Save network settings")
    user = field(ui, prefs, "TURN user name")
    err = trvui.wait_for(lambda: error_row_after(ui, user), 10, "an error below TURN user name")
    assert re.search(r"credentials|turn-username", err.name), err.name
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "mode") == "'ice'"

    # ---- Accounts: a broken registrar; no account appears.
    show_page(ui, prefs, "Accounts")
    ui.press("alt+a")       # "_Add Account"
    ui.find(pyatspi.ROLE_TEXT, "SIP address", root=prefs)
    assert_controls_named(ui, prefs)    # the account editor's fields and buttons
    ui.set_text(field(ui, prefs, "SIP address"), "sip:alice@127.0.0.1")
    registrar = field(ui, prefs, "Registrar")
    ui.set_text(registrar, "bad host name:5060")
    press_button(ui, prefs, "Save account")
    err = trvui.wait_for(lambda: error_row_after(ui, registrar), 10,
                         "an error row below Registrar")
    ui.wait_description(registrar, err.name)
    ui.screenshot("prefs-invalid-account")
    assert gsetting(ui, "io.github.traverse.Traverse", "accounts") in ("@as []", "[]")

    # An address without a user is refused at the address field.
    address = field(ui, prefs, "SIP address")
    ui.set_text(address, "not an address")
    ui.set_text(registrar, "")
    ui.press("alt+s")       # "_Save Account"
    trvui.wait_for(lambda: error_row_after(ui, address), 10, "an error row below SIP address")
    ui.wait_description(prefs, re.compile(r"^Account not saved: "))
    assert gsetting(ui, "io.github.traverse.Traverse", "accounts") in ("@as []", "[]")
    # Escape closes the window at once, the focus still in the Registrar field (with a
    # toast showing, libadwaita 1.2 dropped that Escape).
    close_preferences(ui, prefs)

    # Nothing else changed on the way: only the two keys of the one valid save.
    after = ui.gsettings_dump()
    changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
    assert all("stun-server" in line or "public-address" in line for line in changed), changed
