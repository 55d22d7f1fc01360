"""Two accounts against the test Kamailio (issue 4: each account's registration state).
alice (first: calls go out through it) and bob are added in Preferences; the main window
shows both registered -- bob under "Other Accounts" -- and a call from a traverse-cli
(carol, registered with the same Kamailio) to bob's address rings in the app and is
answered. Then bob's password is made wrong: his row says why the registration fails,
with a Retry button of its own, while alice stays registered."""
import os
import re
import subprocess

import pyatspi

import trvui
from scenario_prefs_account import start_lab
from trvui_calls import AUDIO_ENV, assert_controls_named, home_page_shows
from trvui_prefs import close_preferences, field, open_preferences, press_button, show_page


def add_account(ui, prefs, kam, user):
    press_button(ui, prefs, "Add account")
    ui.set_text(field(ui, prefs, "SIP address"), "sip:%s@127.0.0.1" % user)
    ui.set_text(field(ui, prefs, "Password"), kam.users[user])
    ui.set_text(field(ui, prefs, "Registrar"), kam.registrar("udp"))
    press_button(ui, prefs, "Save account")
    ui.find(pyatspi.ROLE_PUSH_BUTTON, "Edit account sip:%s@127.0.0.1" % user, root=prefs)


def run(ui):
    kam = start_lab(ui)
    caller = None
    try:
        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        prefs = open_preferences(ui)
        show_page(ui, prefs, "Accounts")
        add_account(ui, prefs, kam, "alice")
        add_account(ui, prefs, kam, "bob")
        ui.find(pyatspi.ROLE_LIST_ITEM, "sip:bob@127.0.0.1", root=prefs,
                description=re.compile(r"^Receives calls"))
        close_preferences(ui, prefs)

        # Both registered: alice in the Account group, bob in Other Accounts.
        alice = ui.find(pyatspi.ROLE_LIST_ITEM, "sip:alice@127.0.0.1", root=frame)
        ui.wait_description(alice, re.compile(r"^Registered"), timeout=30)
        others = ui.find(pyatspi.ROLE_LIST, "Other Accounts", root=frame)
        bob = ui.find(pyatspi.ROLE_LIST_ITEM, "sip:bob@127.0.0.1", root=others)
        ui.wait_description(bob, re.compile(r"^Registered"), timeout=30)
        assert_controls_named(ui, frame)
        ui.screenshot("two-accounts-1-registered")

        # carol calls bob through the registrar: the app rings and answers.
        conf = kam.config("carol")
        log_path = os.path.join(ui.artifacts, "carol.log")
        with open(log_path, "w") as log:
            caller = subprocess.Popen(
                [kam.cli, "--config", conf, "call", kam.uri("bob"), "--duration", "3",
                 "--timeout", "30"], env=dict(kam.env(), **AUDIO_ENV), stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        answer = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Answer", root=frame, timeout=20)
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"^sip:carol@127\.0\.0\.1"), root=frame)
        ui.activate(answer)
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=15)
        ui.screenshot("two-accounts-2-call")
        assert caller.wait(timeout=30) == 0, open(log_path).read()
        home_page_shows(ui, frame)

        prefs = open_preferences(ui)
        show_page(ui, prefs, "Accounts")
        press_button(ui, prefs, "Edit account sip:bob@127.0.0.1")
        pw = field(ui, prefs, "Password")
        ui.wait_text(pw, lambda t: t is not None and len(t) == len(kam.users["bob"]))
        ui.set_text(pw, "not-bobs-password")
        press_button(ui, prefs, "Save account")
        trvui.wait_for(lambda: not ui.exists(pyatspi.ROLE_PUSH_BUTTON, "Save account",
                                             root=prefs), 10, "the account editor to close")
        close_preferences(ui, prefs)
        bob = trvui.wait_for(
            lambda: next((r for r in ui.find_all(pyatspi.ROLE_LIST_ITEM, "sip:bob@127.0.0.1",
                                                 root=frame)
                          if re.match(r"Registration failed: .*wrong password",
                                      r.description or "")), None),
            30, "bob's row to say why the registration fails")
        ui.find(pyatspi.ROLE_PUSH_BUTTON, "Retry registering sip:bob@127.0.0.1", root=bob)
        alice = ui.find(pyatspi.ROLE_LIST_ITEM, "sip:alice@127.0.0.1", root=frame)
        ui.wait_description(alice, re.compile(r"^Registered"), timeout=30)
        assert_controls_named(ui, frame)
        ui.screenshot("two-accounts-3-bob-failed")
    finally:
        if caller is not None and caller.poll() is None:
            os.killpg(caller.pid, 9)
        kam.__exit__(None, None, None)
