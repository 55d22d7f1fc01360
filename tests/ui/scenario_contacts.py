# SPDX-License-Identifier: GPL-3.0-or-later
"""Contacts from the GNOME address books (issue 12), against a real evolution-data-server
on the test's own D-Bus session (started on demand by D-Bus activation, with the test's
throw-away HOME): the test adds "Erin Example" (SIP address of a traverse-cli caller) and
"Frank Phone" (a traverse-cli answerer's address), then
- a call from erin rings with her name in the window, the announcement and the
  notification, and the history row shows her name;
- typing "fra" in the number field lists "Frank Phone" below it, and Enter on "Frank"
  (the only match) calls his address: his answerer takes the call;
- the Contacts view lists both, its search narrows to Frank, Enter dials him, and a search
  without a match says "No Matching Contacts".
Skips when evolution-data-server is not installed."""
import os
import re
import subprocess

import pyatspi

import trvui
from scenario_incoming import Notifications, loopback_uri
from trvui_calls import AUDIO_ENV, CliPeer, direct_uri, home_page_shows, recent_rows

EDS = ("/usr/libexec/evolution-source-registry", "/usr/libexec/evolution-addressbook-factory")


def add_contact(ui, name, *args):
    tool = os.path.join(ui.build_root, "tests", "tools", "trv-add-contact")
    r = ui.run_cmd([tool, name, *args], check=False, timeout=60)
    assert r.returncode == 0, f"trv-add-contact {name}: {r.stdout}{r.stderr}"


def run(ui):
    for path in EDS:
        if not os.access(path, os.X_OK):
            raise trvui.Skip(f"{path} not found (package evolution-data-server)")
    notes = Notifications(ui)
    peers = []
    try:
        erin = CliPeer(ui, "erin")
        frank = CliPeer(ui, "frank")
        peers += [erin, frank]
        add_contact(ui, "Erin Example", "--sip", f"sip:erin@127.0.0.1")
        add_contact(ui, "Frank Phone", "--sip", frank.uri)

        ui.start_app(env=AUDIO_ENV)
        frame = ui.find(pyatspi.ROLE_FRAME, "Traverse")
        target = loopback_uri(direct_uri(ui, frame))

        # An incoming call from a contact: her name, not only her address.
        erin.start("call", target, "--timeout", "30", wait_ready=False)
        ui.find(pyatspi.ROLE_PUSH_BUTTON, "Answer", root=frame, timeout=20)
        ui.find(pyatspi.ROLE_LABEL, re.compile(r"^Erin Example\n"), root=frame)
        ui.wait_description(frame, "Incoming call from Erin Example", timeout=5)
        note = notes.wait_notification("erin")
        assert note["body"].startswith("Erin Example\n"), note
        ui.screenshot("contacts-incoming")
        ui.activate(ui.find(pyatspi.ROLE_PUSH_BUTTON, "Decline", root=frame))
        home_page_shows(ui, frame)
        assert erin.wait_exit() == 4, erin.output()

        def named_row():
            rows = recent_rows(ui, frame)
            return rows[0] if rows and rows[0].name == "Erin Example" else None
        trvui.wait_for(named_row, 10, "the history row named Erin Example")

        # Dialling by name: the matching contact is listed; Enter calls the only match.
        frank.start("answer", "--timeout", "30", "--duration", "2")
        entry = home_page_shows(ui, frame)
        ui.set_text(entry, "fra")
        matches = ui.find(pyatspi.ROLE_LIST, "Matching contacts", root=frame, timeout=10)
        ui.find(pyatspi.ROLE_LIST_ITEM, "Frank Phone", root=matches,
                description=f"Call {frank.uri}")
        ui.screenshot("contacts-search")
        ui.set_text(entry, "Frank")
        ui.press("Return")
        frank.wait_output("answered", timeout=20)
        assert frank.wait_exit() == 0, frank.output()
        assert re.search(r"^incoming sip:", frank.output(), re.M), frank.output()

        # The Contacts view lists both; its search narrows to Frank, and Enter there dials
        # him (a row activated by keyboard would too).
        home_page_shows(ui, frame, timeout=20)
        tab = next(t for t in ui.find_all(pyatspi.ROLE_PAGE_TAB, "Contacts", root=frame)
                   if trvui.has_state(t, pyatspi.STATE_FOCUSABLE) and trvui.extents(t)[2] > 0)
        ui.activate(tab)
        contacts = ui.find(pyatspi.ROLE_LIST, "Contacts", root=frame, timeout=10)
        ui.find(pyatspi.ROLE_LIST_ITEM, "Erin Example", root=contacts)
        ui.find(pyatspi.ROLE_LIST_ITEM, "Frank Phone", root=contacts,
                description=f"Call {frank.uri}")
        ui.screenshot("contacts-view")
        search = ui.find(pyatspi.ROLE_ENTRY, "Search contacts", root=frame)
        ui.set_text(search, "fra")
        trvui.wait_for(lambda: not ui.exists(pyatspi.ROLE_LIST_ITEM, "Erin Example",
                                             root=contacts), 5, "the search to leave Erin out")
        frank.start("answer", "--timeout", "30", "--duration", "2")
        ui.press("Return")
        frank.wait_output("answered", timeout=20)
        assert frank.wait_exit() == 0, frank.output()
        ui.set_text(search, "nobody")
        ui.find(pyatspi.ROLE_LABEL, "No Matching Contacts", root=frame, timeout=10)
    finally:
        for p in peers:
            p.stop()
        notes.stop()
