# SPDX-License-Identifier: GPL-3.0-or-later
"""Start at login (issue 12): in Preferences > Accounts, the "Start at login" switch writes
the autostart entry ($XDG_CONFIG_HOME/autostart/io.github.traverse.Traverse.desktop running
`traverse --gapplication-service`) and says so; switched off, the entry goes. With the
Background portal in use (TRAVERSE_BACKGROUND_PORTAL=1, as in a Flatpak) and no portal on
the session bus, the switch goes back off and the page says why; nothing is stored."""
import configparser
import os
import re

import pyatspi

import trvui
from trvui_prefs import open_preferences, show_page

ENTRY = "io.github.traverse.Traverse.desktop"


def switch_in(ui, prefs):
    return ui.find(pyatspi.ROLE_CHECK_BOX, "Start at login", root=prefs)


def checked(acc):
    return trvui.has_state(acc, pyatspi.STATE_CHECKED)


def stored(ui):
    return ui.run_cmd(["gsettings", "get", "io.github.traverse.Traverse",
                       "start-at-login"]).stdout.strip()


def run(ui):
    autostart = os.path.join(ui.home, "config", "autostart", ENTRY)
    ui.start_app()
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Accounts")
    switch = switch_in(ui, prefs)
    assert not checked(switch)
    ui.focus(switch)
    ui.press("space")
    trvui.wait_for(lambda: os.path.exists(autostart), 10, "the autostart entry")
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(autostart)
    assert entry["Desktop Entry"]["Exec"] == "traverse --gapplication-service", dict(
        entry["Desktop Entry"])
    ui.wait_description(prefs, "Traverse will start when you log in.", timeout=5)
    trvui.wait_for(lambda: stored(ui) == "true", 5, "start-at-login stored")

    ui.press("space")
    trvui.wait_for(lambda: not os.path.exists(autostart), 10, "the autostart entry to go")
    trvui.wait_for(lambda: stored(ui) == "false", 5, "start-at-login cleared")
    ui.stop_app()

    # A sandbox whose desktop has no Background portal: refused, in words.
    ui.start_app(env={"TRAVERSE_BACKGROUND_PORTAL": "1"})
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Accounts")
    switch = switch_in(ui, prefs)
    ui.focus(switch)
    ui.press("space")
    ui.wait_description(prefs, re.compile(r"background portal.*not available"), timeout=10)
    trvui.wait_for(lambda: not checked(switch), 5, "the switch to go back off")
    assert stored(ui) == "false"
    assert not os.path.exists(autostart)
