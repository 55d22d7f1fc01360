# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared pieces of the Preferences scenarios: open the window by keyboard, switch pages,
read a field and its inline error."""
import pyatspi

import trvui


def open_preferences(ui):
    """Ctrl+, from the main window, as a keyboard user opens Preferences."""
    ui.find(pyatspi.ROLE_FRAME, "Traverse")
    ui.press("ctrl+comma")
    return ui.find_window("Preferences")


def close_preferences(ui, window):
    """Escape closes the Preferences window (one press, as the user expects)."""
    ui.press("Escape")
    trvui.wait_for(lambda: not any(w.name == "Preferences" for w in ui.windows()), 5,
                   "the Preferences window to close on Escape")


def show_page(ui, window, title):
    tab = ui.find(pyatspi.ROLE_PAGE_TAB, title, root=window)
    ui.activate(tab)
    trvui.wait_for(lambda: trvui.has_state(tab, pyatspi.STATE_SELECTED), 5,
                   f"the {title} page")


def field(ui, window, name):
    return ui.find(pyatspi.ROLE_TEXT, name, root=window)


def error_row_after(ui, field_acc):
    """The visible error row right below a field's row (the next list item), or None."""
    # An AdwEntryRow / AdwComboRow is itself the list's child; other fields sit in a row.
    if field_acc.parent is not None and field_acc.parent.getRole() == pyatspi.ROLE_LIST:
        row = field_acc
    else:
        row = next((a for a in trvui.ancestors(field_acc)
                    if a.getRole() == pyatspi.ROLE_LIST_ITEM), None)
    if row is None:
        return None
    lst = row.parent
    idx = row.getIndexInParent()
    following = trvui.children(lst)[idx + 1:]
    if following and following[0].getRole() == pyatspi.ROLE_LIST_ITEM:
        c = following[0]
        return c if trvui.is_showing(c) and c.name else None
    return None


def press_button(ui, window, name):
    """Moves the focus to a button by keyboard and presses it with Return."""
    button = ui.find(pyatspi.ROLE_PUSH_BUTTON, name, root=window)
    ui.focus(button)
    ui.press("Return")
    return button


def add_account(ui, address, password, registrar):
    """Preferences, Accounts, Add account with these fields, by keyboard; waits for the
    account's row there and closes Preferences."""
    prefs = open_preferences(ui)
    show_page(ui, prefs, "Accounts")
    press_button(ui, prefs, "Add account")
    ui.set_text(field(ui, prefs, "SIP address"), address)
    ui.set_text(field(ui, prefs, "Password"), password)
    ui.set_text(field(ui, prefs, "Registrar"), registrar)
    press_button(ui, prefs, "Add the account")
    ui.find(pyatspi.ROLE_PUSH_BUTTON, "Edit account %s" % address, root=prefs)
    close_preferences(ui, prefs)
