# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 12 item 5: what the user sees says what happened and what to do in plain words,
with an action button; the SIP status and URI are in a "Details" expander. Against the
integration lab's Kamailio: a wrong password shows plain words (no SIP code, no URI),
Details holds "SIP 401" and the registrar's URI, and Edit Account opens that account's
editor, where the right password registers it (the problem goes away). A call to a user
who is not registered is refused (404): plain words, the 404 and the address in Details."""
import re

import pyatspi

import trvui
from scenario_prefs_account import run_with_lab
from trvui_calls import AUDIO_ENV, assert_controls_named, home_page_shows
from trvui_prefs import add_account, close_preferences, field, press_button

USER = "alice"
TECHNICAL = re.compile(r"SIP \d{3}|sips?:|\(SIP|transport=")


def problem_label(ui, frame, pattern, timeout=20):
    return ui.find(pyatspi.ROLE_LABEL, re.compile(pattern), root=frame, timeout=timeout)


def problem_box(label):
    """The bar around a problem's label: its parent's parent holds the expander."""
    return label.parent.parent


def open_details(ui, bar):
    details = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Details", root=bar)
    assert trvui.has_state(details, pyatspi.STATE_EXPANDABLE), "Details not expandable"
    assert trvui.has_state(details, pyatspi.STATE_FOCUSABLE), "Details not reachable by Tab"
    assert not trvui.has_state(details, pyatspi.STATE_EXPANDED), "Details open at first"
    ui.activate(details)
    trvui.wait_for(lambda: trvui.has_state(details, pyatspi.STATE_EXPANDED), 5,
                   "the Details expander to open")
    return details


def detail_text(ui, bar, pattern, timeout=5):
    label = ui.find(pyatspi.ROLE_LABEL, re.compile(pattern, re.S), root=bar, timeout=timeout)
    return label.name


def run(ui):
    run_with_lab(ui, scenario)


def scenario(ui, kam):
    address = "sip:%s@127.0.0.1" % USER
    ui.start_app(env=dict(AUDIO_ENV, G_MESSAGES_DEBUG="all"))
    frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
    add_account(ui, address, kam.users[USER] + "-wrong", kam.registrar("udp"))

    # Plain words on the account's row, announced, and in the problem bar.
    row = ui.find(pyatspi.ROLE_LIST_ITEM, address, root=frame)
    ui.wait_description(row, re.compile(r"did not accept the user name or password"),
                        timeout=20)
    assert not TECHNICAL.search(row.description), row.description
    ui.wait_description(frame, re.compile(r"did not accept the user name or password"),
                        timeout=5)
    label = problem_label(ui, frame, r"did not accept the user name or password")
    assert not TECHNICAL.search(label.name), label.name
    bar = problem_box(label)
    # The detail is hidden until asked for; then it names the status and the registrar.
    assert not ui.find_all(pyatspi.ROLE_LABEL, re.compile(r"SIP 401"), root=bar)
    open_details(ui, bar)
    detail = detail_text(ui, bar, r"SIP 401")
    registrar = "sip:%s" % kam.registrar("udp")
    assert registrar in detail, (registrar, detail)
    assert_controls_named(ui, frame)
    ui.screenshot("plain-messages-1-wrong-password")

    # Edit Account opens the editor of that account, its password loaded.
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Edit Account", root=bar))
    prefs = ui.find_window("Preferences")
    apply = ui.find(pyatspi.ROLE_PUSH_BUTTON, "Apply the changes to the account", root=prefs,
                    timeout=10)
    assert apply is not None
    addr = field(ui, prefs, "SIP address")
    assert ui.text(addr) == address, ui.text(addr)
    pw = field(ui, prefs, "Password")
    ui.wait_text(pw, lambda t: t is not None and len(t) == len(kam.users[USER] + "-wrong"))
    ui.set_text(pw, kam.users[USER])
    press_button(ui, prefs, "Apply the changes to the account")
    trvui.wait_for(lambda: not ui.exists(pyatspi.ROLE_PUSH_BUTTON,
                                         "Apply the changes to the account", root=prefs),
                   10, "the account editor to close after applying")
    close_preferences(ui, prefs)
    row = ui.find(pyatspi.ROLE_LIST_ITEM, address, root=frame)
    ui.wait_description(row, re.compile(r"^Registered"), timeout=30)
    ui.wait_gone(pyatspi.ROLE_LABEL, re.compile(r"did not accept the user name"), root=frame,
                 timeout=10)

    # carol is not registered: the registrar refuses the call with 404.
    entry = home_page_shows(ui, frame)
    ui.set_text(entry, kam.uri("carol"))
    ui.press("Return")
    label = problem_label(ui, frame, r"^Nobody can be reached at this address", timeout=20)
    assert not TECHNICAL.search(label.name), label.name
    bar = problem_box(label)
    open_details(ui, bar)
    detail = detail_text(ui, bar, r"SIP 404")
    assert "sip:carol@127.0.0.1" in detail, detail
    home_page_shows(ui, frame, timeout=15)
    # It stays after the window went back home, until dismissed.
    label = problem_label(ui, frame, r"^Nobody can be reached at this address", timeout=5)
    assert_controls_named(ui, frame)
    ui.screenshot("plain-messages-2-refused-call")
    ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Dismiss", root=problem_box(label)))
    ui.wait_gone(pyatspi.ROLE_LABEL, re.compile(r"^Nobody can be reached"), root=frame,
                 timeout=5)
