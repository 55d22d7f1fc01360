# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 2: add an account against a test Kamailio (the integration lab's, on loopback)
in Preferences. With a wrong password the main window shows the failure reason; after
correcting the password in the account editor it shows "Registered" -- without a restart.
The password lands in the keyring, not in GSettings."""
import os
import re
import sys

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV, assert_controls_named
from trvui_prefs import (close_preferences, field, open_preferences, press_button,
                         show_page)

USER = "alice"


def start_lab(ui):
    sys.path.insert(0, os.path.join(ui.source_root, "tests", "integration"))
    import lab  # noqa: E402 -- the Kamailio harness of tests/integration
    kam = lab.Lab("ui-account")
    try:
        kam.__enter__()
    except SystemExit as e:
        if e.code == lab.SKIP:
            raise trvui.Skip("the Kamailio lab cannot run here (see the lines above)")
        raise
    return kam


def account_row(ui, frame, address):
    return ui.find(pyatspi.ROLE_LIST_ITEM, address, root=frame)


def run_with_lab(ui, scenario):
    """scenario(ui, kam) with a Kamailio lab of its own, torn down whatever happens."""
    kam = start_lab(ui)
    try:
        scenario(ui, kam)
    finally:
        kam.__exit__(None, None, None)


def run(ui):
    run_with_lab(ui, scenario)


def scenario(ui, kam):
    address = "sip:%s@127.0.0.1" % USER
    right = kam.users[USER]
    wrong = right + "-wrong"

    # The core's debug log (registration events) goes to the app log artifact.
    ui.start_app(env=dict(AUDIO_ENV, G_MESSAGES_DEBUG="all"))
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Accounts")

    # Add the account with a wrong password.
    press_button(ui, prefs, "Add account")
    ui.set_text(field(ui, prefs, "SIP address"), address)
    ui.set_text(field(ui, prefs, "Display name"), "Alice")
    ui.set_text(field(ui, prefs, "Password"), wrong)
    ui.set_text(field(ui, prefs, "Registrar"), kam.registrar("udp"))
    press_button(ui, prefs, "Add the account")
    ui.find(pyatspi.ROLE_PUSH_BUTTON, "Edit account %s" % address, root=prefs)

    # The main window (below the Preferences) tells why the registration fails. Read at
    # once: the agent retries after a backoff and then shows "Registering…" again.
    row = account_row(ui, frame, address)
    ui.wait_description(row, re.compile(r"did not accept the user name or password"),
                        timeout=20)
    # ... and announces it (the window's description, what Orca speaks on GTK 4.8).
    ui.wait_description(frame, re.compile(r"^The server did not accept"), timeout=5)
    # The Retry button next to the reason, named "Retry" (not "_Retry Retry").
    ui.find(pyatspi.ROLE_PUSH_BUTTON, "Retry", root=row)
    assert_controls_named(ui, frame)
    ui.screenshot("prefs-account-1-added")
    close_preferences(ui, prefs)
    ui.screenshot("prefs-account-2-wrong-password")

    # Correct the password in the editor: the app registers without a restart.
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Accounts")
    press_button(ui, prefs, "Edit account %s" % address)
    pw = field(ui, prefs, "Password")
    # The stored password is loaded from the keyring into the field.
    ui.wait_text(pw, lambda t: t is not None and len(t) == len(wrong))
    ui.set_text(pw, right)
    # Direct calls (past the provider) are off by default; the switch says what it allows.
    direct = ui.find(pyatspi.ROLE_CHECK_BOX,
                     "Accept calls that do not come through your provider", root=prefs)
    assert not trvui.has_state(direct, pyatspi.STATE_CHECKED), "direct calls on by default"
    ui.find(pyatspi.ROLE_LABEL, "Anyone who knows your address can ring this computer",
            root=prefs)
    ui.activate(direct)
    trvui.wait_for(lambda: trvui.has_state(direct, pyatspi.STATE_CHECKED), 5,
                   "the direct-calls switch to turn on")
    press_button(ui, prefs, "Apply the changes to the account")
    trvui.wait_for(lambda: not ui.exists(pyatspi.ROLE_PUSH_BUTTON,
                                         "Apply the changes to the account", root=prefs),
                   10, "the account editor to close after saving")
    close_preferences(ui, prefs)

    row = account_row(ui, frame, address)
    ui.wait_description(row, re.compile(r"^Registered"), timeout=30)
    ui.wait_description(frame, re.compile(r"^Registered"), timeout=5)
    ui.screenshot("prefs-account-3-registered")

    # The password is in the keyring only.
    ids = re.findall(r"'([^']+)'", ui.run_cmd(["gsettings", "get", "io.github.traverse.Traverse",
                                               "accounts"]).stdout)
    assert len(ids) == 1, ids
    assert ui.secret_lookup(kind="sip", account=ids[0]) == right
    dump = ui.gsettings_dump()
    assert "address '%s'" % address in dump, dump
    assert "allow-direct-calls true" in dump, dump
    assert right not in dump and wrong not in dump, "a SIP password is in GSettings"

    # Remove it again: a confirmation, then the account and its password are gone and
    # the main window says there is no account.
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Accounts")
    press_button(ui, prefs, "Remove account %s" % address)
    dialog = trvui.wait_for(
        lambda: next((w for w in ui.windows()
                      if w.name != "Preferences" and w.name != "Traverse"
                      and ui.find_all(pyatspi.ROLE_LABEL, "Remove the account?", root=w)),
                     None), 10, "the confirmation dialog")
    confirm = ui.find(pyatspi.ROLE_PUSH_BUTTON, re.compile(r"Remove$"), root=dialog)
    ui.activate(confirm)
    ui.find(pyatspi.ROLE_LIST_ITEM, "No accounts", root=prefs)
    assert ui.run_cmd(["gsettings", "get", "io.github.traverse.Traverse",
                       "accounts"]).stdout.strip() in ("@as []", "[]")
    assert ui.secret_lookup(kind="sip", account=ids[0]) is None, "password left in the keyring"
    close_preferences(ui, prefs)
    ui.find(pyatspi.ROLE_LIST_ITEM, "No account", root=frame, timeout=20)
