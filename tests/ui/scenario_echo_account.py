# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 12: the echo test works in every account state. An account with a wrong password
(registration failing) and then a registered one: Ctrl+E connects each time, and the
INVITE never reaches the registrar (the test Kamailio's log has no request for echo@):
the echo endpoint is called straight on loopback, past the account's registrar/proxy."""
import re

import pyatspi

import trvui
from scenario_prefs_account import run_with_lab
from trvui_calls import AUDIO_ENV, home_page_shows
from trvui_prefs import (add_account, close_preferences, field, open_preferences, press_button,
                         show_page)

USER = "alice"


def echo_test_connects(ui, frame, what):
    home_page_shows(ui, frame)
    ui.press("ctrl+e")
    ui.find(pyatspi.ROLE_LABEL, "Echo test", root=frame)
    # Either it connects, or the window says why not (refused, authentication failed...).
    trvui.wait_for(lambda: ui.exists(pyatspi.ROLE_LABEL, "Connected", root=frame)
                   or ui.exists(pyatspi.ROLE_TEXT, "Number or address", root=frame), 25,
                   "the echo test %s to connect or end" % what)
    assert ui.exists(pyatspi.ROLE_LABEL, "Connected", root=frame), \
        "echo test %s: not connected; the window says %r" % (what, frame.description)
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Hang Up", root=frame))
    home_page_shows(ui, frame)


def run(ui):
    run_with_lab(ui, scenario)


def scenario(ui, kam):
    address = "sip:%s@127.0.0.1" % USER
    ui.start_app(env=dict(AUDIO_ENV, G_MESSAGES_DEBUG="all"))
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")

    add_account(ui, address, kam.users[USER] + "-wrong", kam.registrar("udp"))
    row = ui.find(pyatspi.ROLE_LIST_ITEM, address, root=frame)
    ui.wait_description(row, re.compile(r"^The server did not accept"), timeout=20)
    echo_test_connects(ui, frame, "with a wrong password")
    ui.screenshot("echo-account-1-wrong-password")

    prefs = open_preferences(ui)
    show_page(ui, prefs, "Accounts")
    press_button(ui, prefs, "Edit account %s" % address)
    ui.set_text(field(ui, prefs, "Password"), kam.users[USER])
    press_button(ui, prefs, "Apply the changes to the account")
    trvui.wait_for(lambda: not ui.exists(pyatspi.ROLE_PUSH_BUTTON,
                                         "Apply the changes to the account", root=prefs),
                   10, "the account editor to close after applying")
    close_preferences(ui, prefs)
    row = ui.find(pyatspi.ROLE_LIST_ITEM, address, root=frame)
    ui.wait_description(row, re.compile(r"^Registered"), timeout=30)
    echo_test_connects(ui, frame, "while registered")
    ui.screenshot("echo-account-2-registered")

    # Nothing of the echo test went to the registrar.
    log = kam.kamailio_text()
    assert not re.search(r"echo@", log), \
        "the echo test went through the registrar:\n" + "\n".join(
            l for l in log.splitlines() if "echo@" in l)
