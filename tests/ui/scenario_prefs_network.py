# SPDX-License-Identifier: GPL-3.0-or-later
"""The Network page shows only what the chosen NAT mode uses, explains each mode in the
chooser, and applies changes as they are made (GNOME HIG: no Save button): None shows the
public address; STUN the STUN server; TURN the TURN server, transport, user name and
password; ICE both servers; Automatic both and what the last network test found. A value
confirmed with Return is stored at once, one typed is stored after a pause, a refused one
never (inline error), and the value in a field hidden by a mode change cannot hold up the
rest."""
import re

import pyatspi

import trvui
from trvui_calls import AUDIO_ENV, assert_controls_named
from trvui_prefs import close_preferences, error_row_after, field, open_preferences, show_page

NAT = "io.github.traverse.Traverse.Nat"
FIELDS = ("STUN server", "Public address", "TURN server", "TURN user name", "TURN password")
COMBOS = ("TURN transport",)

# mode -> (fields shown, the words its explanation starts with)
MODES = {
    "None": ({"Public address"}, "Uses local addresses only"),
    "STUN": ({"STUN server"}, "Announces the public address a STUN server sees"),
    "TURN": ({"TURN server", "TURN transport", "TURN user name", "TURN password"},
             "Always relays audio through the TURN server"),
    "ICE": ({"STUN server", "TURN server", "TURN transport", "TURN user name",
             "TURN password"}, "Tries every path"),
    "Automatic": ({"STUN server", "TURN server", "TURN transport", "TURN user name",
                   "TURN password", "Last network test"}, "Tests the network first"),
}


def gsetting(ui, key):
    return ui.run_cmd(["gsettings", "get", NAT, key]).stdout.strip()


def shown(ui, prefs):
    """The NAT fields (and the Automatic verdict row) visible on the page now, in one walk
    of the window's tree (each walk costs a D-Bus round trip per node)."""
    wanted = {pyatspi.ROLE_TEXT: FIELDS, pyatspi.ROLE_COMBO_BOX: COMBOS,
              pyatspi.ROLE_LIST_ITEM: ("Last network test",)}
    return {a.name for a in ui.find_all(tuple(wanted), root=prefs,
                                        pred=lambda a: a.name in wanted[a.getRole()])}


def run(ui):
    ui.start_app(env=dict(AUDIO_ENV, G_MESSAGES_DEBUG="all"))
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Network")
    mode = ui.find(pyatspi.ROLE_COMBO_BOX, "NAT traversal mode", root=prefs)

    # ---- Only what each mode uses, and a one-line explanation of the mode.
    for name, (fields, explanation) in MODES.items():
        ui.choose(mode, name)
        ui.wait_description(mode, re.compile("^" + re.escape(explanation)))
        trvui.wait_for(lambda: shown(ui, prefs) == fields, 5, f"the fields of mode {name}")
        if name in ("None", "Automatic"):
            # Between them every field of the page (kept to two: each walk is slow).
            assert_controls_named(ui, prefs)
            ui.screenshot("network-mode-" + name.lower())
        if name == "Automatic":
            verdict = ui.find(pyatspi.ROLE_LIST_ITEM, "Last network test", root=prefs)
            assert verdict.description, "the Automatic verdict row says nothing"
    # Each mode that needs nothing more was stored as it was chosen (TURN needs
    # credentials: refused, see below); Automatic is the last one chosen.
    trvui.wait_for(lambda: gsetting(ui, "mode") == "'auto'", 10, "mode auto to be stored")

    # ---- No Save button: settings apply as they are made.
    assert not ui.exists(pyatspi.ROLE_PUSH_BUTTON, re.compile(r"(?i)\bsave\b"), root=prefs), \
        "a Save button on the Network page"

    # Return stores at once (well within the typing pause).
    stun = field(ui, prefs, "STUN server")
    ui.set_text(stun, "127.0.0.1:3478")
    ui.press("Return")
    trvui.wait_for(lambda: gsetting(ui, "stun-server") == "'127.0.0.1:3478'", 0.5,
                   "the STUN server stored on Return")

    # Typing alone is stored once it pauses.
    turn = field(ui, prefs, "TURN server")
    ui.set_text(turn, "127.0.0.1:3479")
    trvui.wait_for(lambda: gsetting(ui, "turn-server") == "'127.0.0.1:3479'", 10,
                   "the TURN server stored after typing")

    # A refused value: inline error at the field (invalid, the reason as its description),
    # the stored value stays.
    ui.set_text(stun, "stun..example.org")
    err = trvui.wait_for(lambda: error_row_after(ui, stun), 10, "an error row below STUN server")
    ui.wait_description(stun, err.name)
    assert trvui.has_state(stun, pyatspi.STATE_INVALID), "field not marked invalid"
    assert not err.name.startswith("nat."), err.name
    assert gsetting(ui, "stun-server") == "'127.0.0.1:3478'"
    ui.screenshot("network-refused")

    # Switching to a mode that hides the refused field puts the stored value back, and the
    # mode is stored (the hidden value does not hold it up).
    ui.choose(mode, "None")
    trvui.wait_for(lambda: gsetting(ui, "mode") == "'none'", 10, "mode none to be stored")
    ui.choose(mode, "STUN")
    stun = field(ui, prefs, "STUN server")
    ui.wait_text(stun, "127.0.0.1:3478")
    assert error_row_after(ui, stun) is None, "the error row stayed"
    assert not trvui.has_state(stun, pyatspi.STATE_INVALID), "still marked invalid"
    trvui.wait_for(lambda: gsetting(ui, "mode") == "'stun'", 10, "mode stun to be stored")

    # TURN without credentials: refused at the user name, the mode is not stored; with
    # them it is (the password in the keyring).
    ui.choose(mode, "TURN")
    user = field(ui, prefs, "TURN user name")
    trvui.wait_for(lambda: error_row_after(ui, user), 10, "an error below TURN user name")
    assert gsetting(ui, "mode") == "'stun'", gsetting(ui, "mode")
    ui.set_text(user, "carol")
    ui.set_text(field(ui, prefs, "TURN password"), "pw-of-carol")
    trvui.wait_for(lambda: gsetting(ui, "mode") == "'turn'", 10, "mode turn to be stored")
    assert gsetting(ui, "turn-username") == "'carol'"
    trvui.wait_for(lambda: ui.secret_lookup(kind="turn") == "pw-of-carol", 10,
                   "the TURN password in the keyring")

    # A value typed just before Escape is not lost.
    ui.set_text(field(ui, prefs, "TURN server"), "127.0.0.1:3480")
    close_preferences(ui, prefs)
    trvui.wait_for(lambda: gsetting(ui, "turn-server") == "'127.0.0.1:3480'", 10,
                   "the TURN server typed before closing to be stored")
