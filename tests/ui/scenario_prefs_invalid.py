# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 5: an invalid server address shows an inline error next to the field (a
visible error row below it, the reason as the field's accessible description) and is not
stored -- and neither is a valid value changed while it is refused (never half-way). The
same for an account with a broken registrar. Screenshots of both pages with the error."""
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
    # The app remembers its direct-call port shortly after its first frame (deferred start-up
    # work): that write is the app's own, before the changes this test makes.
    trvui.wait_for(lambda: ui.run_cmd(["gsettings", "get", "io.github.traverse.Traverse",
                                       "direct-port"]).stdout.split()[-1] != "0", 10,
                   "the direct-call port remembered")
    before = ui.gsettings_dump()

    # Every control on the Audio and Network pages has a proper accessible name.
    show_page(ui, prefs, "Audio")
    assert_controls_named(ui, prefs)

    # ---- Network: changes apply as they are made (no Save button), but never half-way:
    # a valid TURN server typed while the STUN server is refused is not stored either.
    show_page(ui, prefs, "Network")
    assert_controls_named(ui, prefs)
    assert not ui.exists(pyatspi.ROLE_PUSH_BUTTON, re.compile(r"(?i)\bsave\b"), root=prefs), \
        "a Save button on the Network page"
    stun = field(ui, prefs, "STUN server")
    ui.set_text(stun, "stun..example.org:99999")
    err = trvui.wait_for(lambda: error_row_after(ui, stun), 10, "an error row below STUN server")
    ui.set_text(field(ui, prefs, "TURN server"), "127.0.0.1:3479")
    ui.press("Return")      # stores at once, if the form is valid: it is not
    reason = err.name
    # The reason in words, without the internal key name ("nat.stun-server: ").
    assert reason and not reason.startswith("nat."), reason
    ui.wait_description(stun, reason)          # the screen reader hears the reason
    assert trvui.has_state(stun, pyatspi.STATE_INVALID), "field not marked invalid"
    ui.screenshot("prefs-invalid-network")
    trvui.wait_for(lambda: error_row_after(ui, stun) is not None, 5, "the error row to stay")
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "stun-server") == "''"
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "turn-server") == "''", \
        "the valid half of a refused change was stored"

    # Fixing the field takes the error away and both values are stored.
    ui.set_text(stun, "127.0.0.1:3478")
    trvui.wait_for(lambda: error_row_after(ui, stun) is None, 5, "the error row to go away")
    trvui.wait_for(lambda: gsetting(ui, "io.github.traverse.Traverse.Nat", "stun-server")
                   == "'127.0.0.1:3478'", 10, "the corrected STUN server to be stored")
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "turn-server") == "'127.0.0.1:3479'"

    # The HTTP proxy for TURN over TCP/TLS: a https:// proxy is refused with the reason at
    # the field, nothing stored; an http:// one is stored.
    proxy = field(ui, prefs, "HTTP proxy")
    ui.set_text(proxy, "https://proxy.example.org:443")
    err = trvui.wait_for(lambda: error_row_after(ui, proxy), 10, "an error below HTTP proxy")
    assert "https://" in err.name and "nat." not in err.name, err.name
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "http-proxy") == "''"
    ui.set_text(proxy, "http://proxy.example.org:3128")
    trvui.wait_for(lambda: error_row_after(ui, proxy) is None, 5, "the proxy's error to go")
    trvui.wait_for(lambda: gsetting(ui, "io.github.traverse.Traverse.Nat", "http-proxy")
                   == "'http://proxy.example.org:3128'", 10, "the HTTP proxy to be stored")
    # A user and password: the password goes to the keyring, the address keeps the user;
    # without a user again, the password goes.
    ui.set_text(proxy, "http://bob:pr0xy-pw@proxy.example.org:3128")
    trvui.wait_for(lambda: ui.secret_lookup(kind="proxy") == "pr0xy-pw", 10,
                   "the proxy's password in the keyring")
    # The keyring first, then GSettings (trv-settings-save.c): wait for both.
    trvui.wait_for(lambda: gsetting(ui, "io.github.traverse.Traverse.Nat", "http-proxy")
                   == "'http://bob@proxy.example.org:3128'", 10,
                   "the proxy's address without its password in GSettings")
    ui.set_text(proxy, "http://proxy.example.org:3128")
    trvui.wait_for(lambda: ui.secret_lookup(kind="proxy") is None, 10,
                   "the proxy's password to leave the keyring")
    trvui.wait_for(lambda: gsetting(ui, "io.github.traverse.Traverse.Nat", "http-proxy")
                   == "'http://proxy.example.org:3128'", 10, "the proxy without a user stored")

    # TURN mode without credentials: refused, the reason at the user name.
    mode = ui.find(pyatspi.ROLE_COMBO_BOX, "NAT traversal mode", root=prefs)
    ui.choose(mode, "TURN")
    user = field(ui, prefs, "TURN user name")
    err = trvui.wait_for(lambda: error_row_after(ui, user), 10, "an error below TURN user name")
    # In words: what is missing, no config key names.
    assert re.search(r"user name and password", err.name), err.name
    assert "nat." not in err.name and "turn-username" not in err.name, err.name
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "mode") == "'ice'"

    # A public address (mode None shows it): a broken one is refused, a good one stored.
    ui.choose(mode, "None")
    trvui.wait_for(lambda: gsetting(ui, "io.github.traverse.Traverse.Nat", "mode") == "'none'",
                   10, "mode none to be stored")
    public = field(ui, prefs, "Public address")
    ui.set_text(public, "bad host!")
    trvui.wait_for(lambda: error_row_after(ui, public), 10, "an error below Public address")
    assert gsetting(ui, "io.github.traverse.Traverse.Nat", "public-address") == "''"
    ui.set_text(public, "198.51.100.7")
    trvui.wait_for(lambda: gsetting(ui, "io.github.traverse.Traverse.Nat", "public-address")
                   == "'198.51.100.7'", 10, "the public address to be stored")

    # ---- Accounts: a broken registrar; no account appears.
    show_page(ui, prefs, "Accounts")
    ui.press("alt+a")       # "_Add Account"
    ui.find(pyatspi.ROLE_TEXT, "SIP address", root=prefs)
    assert_controls_named(ui, prefs)    # the account editor's fields and buttons
    ui.set_text(field(ui, prefs, "SIP address"), "sip:alice@127.0.0.1")
    registrar = field(ui, prefs, "Registrar")
    ui.set_text(registrar, "bad host name:5060")
    press_button(ui, prefs, "Add the account")
    err = trvui.wait_for(lambda: error_row_after(ui, registrar), 10,
                         "an error row below Registrar")
    ui.wait_description(registrar, err.name)
    ui.screenshot("prefs-invalid-account")
    assert gsetting(ui, "io.github.traverse.Traverse", "accounts") in ("@as []", "[]")

    # An address without a user is refused at the address field.
    address = field(ui, prefs, "SIP address")
    ui.set_text(address, "not an address")
    ui.set_text(registrar, "")
    ui.press("alt+d")       # "A_dd"
    trvui.wait_for(lambda: error_row_after(ui, address), 10, "an error row below SIP address")
    ui.wait_description(prefs, re.compile(r"^Account not saved: "))
    assert gsetting(ui, "io.github.traverse.Traverse", "accounts") in ("@as []", "[]")
    # Escape closes the window at once, the focus still in the Registrar field (with a
    # toast showing, libadwaita 1.2 dropped that Escape).
    close_preferences(ui, prefs)

    # Nothing else changed on the way: only the keys of the valid changes.
    after = ui.gsettings_dump()
    changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
    assert all(re.search(r"Nat (stun-server|turn-server|public-address|http-proxy|mode) ", line)
               for line in changed), changed
