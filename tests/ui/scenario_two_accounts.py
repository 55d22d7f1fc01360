# SPDX-License-Identifier: GPL-3.0-or-later
"""Two accounts against the test Kamailio (issue 4: each account's registration state, and
the account calls go out from). alice (first) and bob are added in Preferences; the main
window shows both registered -- bob under "Other Accounts" -- and a call from a
traverse-cli (carol, registered with the same Kamailio) to bob's address rings in the app
and is answered. "Call from" (alice by default) is set to bob by keyboard and a call to
carol through the registrar reaches her from bob's address (her `incoming` line), then to
alice and the next call comes from alice; a `traverse sip:carol...` launch waits for the
account to register and then calls from it. Then bob's password is made wrong: his row says
why the registration fails, with a Retry button of its own, while alice stays registered,
and a call from bob is refused with a message naming him instead of leaving from alice."""
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
    press_button(ui, prefs, "Add the account")
    ui.find(pyatspi.ROLE_PUSH_BUTTON, "Edit account sip:%s@127.0.0.1" % user, root=prefs)


def carol_answers(ui, kam, name, place):
    """Starts carol's answerer (a traverse-cli registered with the Kamailio), runs place()
    to call her from the app, and returns the address her answerer saw the call from."""
    log_path = os.path.join(ui.artifacts, "carol-answer-%s.log" % name)
    with open(log_path, "w") as log:
        answerer = subprocess.Popen(
            [kam.cli, "--config", kam.config("carol"), "answer", "--calls", "1",
             "--duration", "2", "--timeout", "40"], env=dict(kam.env(), **AUDIO_ENV),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        trvui.wait_for(lambda: "ready" in open(log_path).read() or answerer.poll() is not None,
                       20, "carol's answerer to register")
        assert answerer.poll() is None, open(log_path).read()
        place()
        assert answerer.wait(timeout=30) == 0, open(log_path).read()
    finally:
        if answerer.poll() is None:
            os.killpg(answerer.pid, 9)
    seen = re.search(r"^incoming (\S+)$", open(log_path).read(), re.M)
    assert seen, open(log_path).read()
    return seen.group(1)


def call_carol_from(ui, frame, kam, account):
    """Chooses `account` under "Call from" by keyboard, calls carol by typing her address,
    and returns the address her answerer saw the call from."""
    ui.choose(ui.find(pyatspi.ROLE_COMBO_BOX, "Call from", root=frame), account)

    def place():
        entry = home_page_shows(ui, frame)
        ui.set_text(entry, kam.uri("carol"))
        ui.press("Return")
        ui.find(pyatspi.ROLE_LABEL, "Connected", root=frame, timeout=20)
    came_from = carol_answers(ui, kam, account.split(":")[1], place)
    home_page_shows(ui, frame, timeout=15)
    return came_from


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

        # "Call from": alice (the first) by default; bob chosen by keyboard, then alice again.
        combo = ui.find(pyatspi.ROLE_COMBO_BOX, "Call from", root=frame)
        assert ui.combo_value(combo) == "sip:alice@127.0.0.1", ui.combo_value(combo)
        assert combo.description == "sip:alice@127.0.0.1", combo.description
        # Its mnemonic (Alt+F) opens its list from the number field, on the current choice;
        # Escape closes it unchanged.
        home_page_shows(ui, frame)
        ui.press("ctrl+l")
        ui.press("alt+f")

        def focused_item():
            cur = ui.focused(root=combo)
            if cur is None or cur.getRole() != pyatspi.ROLE_LIST_ITEM:
                return None
            return trvui.first_label(cur)
        trvui.wait_for(lambda: focused_item() == "sip:alice@127.0.0.1", 5,
                       "Alt+F to open Call from on alice")
        ui.press("Escape")
        trvui.wait_for(lambda: focused_item() is None, 5, "the list to close")
        assert ui.combo_value(combo) == "sip:alice@127.0.0.1", ui.combo_value(combo)
        assert_controls_named(ui, frame)
        came_from = call_carol_from(ui, frame, kam, "sip:bob@127.0.0.1")
        assert came_from == "sip:bob@127.0.0.1", "the call came from %s" % came_from
        ui.screenshot("two-accounts-3-call-from-bob")
        came_from = call_carol_from(ui, frame, kam, "sip:alice@127.0.0.1")
        assert came_from == "sip:alice@127.0.0.1", "the call came from %s" % came_from

        # Launched by a link with two accounts: the call waits until the account it goes out
        # from (alice again: the choice lasts for the session) has registered, instead of
        # being refused while it registers.
        ui.stop_app()

        def launch_with_link():
            ui.start_app(args=[kam.uri("carol")], env=AUDIO_ENV)
            linked = ui.find(pyatspi.ROLE_FRAME, "Traverse")
            ui.find(pyatspi.ROLE_LABEL, "Connected", root=linked, timeout=30)
        came_from = carol_answers(ui, kam, "link", launch_with_link)
        assert came_from == "sip:alice@127.0.0.1", "the link's call came from %s" % came_from
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        home_page_shows(ui, frame, timeout=15)

        prefs = open_preferences(ui)
        show_page(ui, prefs, "Accounts")
        press_button(ui, prefs, "Edit account sip:bob@127.0.0.1")
        pw = field(ui, prefs, "Password")
        ui.wait_text(pw, lambda t: t is not None and len(t) == len(kam.users["bob"]))
        ui.set_text(pw, "not-bobs-password")
        press_button(ui, prefs, "Apply the changes to the account")
        trvui.wait_for(lambda: not ui.exists(pyatspi.ROLE_PUSH_BUTTON,
                                             "Apply the changes to the account",
                                             root=prefs), 10, "the account editor to close")
        close_preferences(ui, prefs)
        bob = trvui.wait_for(
            lambda: next((r for r in ui.find_all(pyatspi.ROLE_LIST_ITEM, "sip:bob@127.0.0.1",
                                                 root=frame)
                          if re.match(r"The server did not accept the user name or password",
                                      r.description or "")), None),
            30, "bob's row to say why the registration fails")
        ui.find(pyatspi.ROLE_PUSH_BUTTON, "Retry registering sip:bob@127.0.0.1", root=bob)
        # The problem bar names bob (alice is fine), in plain words, with the 401 in its
        # Details; its Edit Account opens bob's editor.
        label = ui.find(pyatspi.ROLE_LABEL, re.compile(r"^The server did not accept"),
                        root=frame)
        bar = label.parent.parent
        ui.find(pyatspi.ROLE_LABEL, "sip:bob@127.0.0.1", root=bar)
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Details", root=bar))
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"SIP 401"), root=bar, timeout=5)
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Edit Account", root=bar))
        prefs = ui.find_window("Preferences")
        addr = field(ui, prefs, "SIP address")
        trvui.wait_for(lambda: ui.text(addr) == "sip:bob@127.0.0.1", 10,
                       "bob's account in the editor")
        close_preferences(ui, prefs)
        alice = ui.find(pyatspi.ROLE_LIST_ITEM, "sip:alice@127.0.0.1", root=frame)
        ui.wait_description(alice, re.compile(r"^Registered"), timeout=30)
        assert_controls_named(ui, frame)
        ui.screenshot("two-accounts-4-bob-failed")

        # bob chosen but not registered: the call is refused, naming him; nothing goes out
        # from alice instead.
        ui.choose(ui.find(pyatspi.ROLE_COMBO_BOX, "Call from", root=frame),
                  "sip:bob@127.0.0.1")
        entry = home_page_shows(ui, frame)
        ui.set_text(entry, kam.uri("carol"))
        ui.press("Return")
        ui.wait_description(frame, re.compile(
            r"^Cannot call from sip:bob@127\.0\.0\.1: it is not registered"), timeout=10)
        assert not ui.exists(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame)
    finally:
        if caller is not None and caller.poll() is None:
            os.killpg(caller.pid, 9)
        kam.__exit__(None, None, None)
