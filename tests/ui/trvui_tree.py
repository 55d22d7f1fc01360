# SPDX-License-Identifier: GPL-3.0-or-later
"""Walks of the accessibility tree for trvui: children, iter_tree, search (find, find_all,
exists and focused are built on it), matches. Split from trvui.py, which re-exports them.

GTK 4.8 has no AT-SPI cache interface, and libatspi asks the app over D-Bus for every
child, role, name and state, one blocking round trip each. The walks here talk to the app
directly on the accessibility bus instead: each node's states and role asked once per
walk, and the calls for a whole level of the tree sent at once rather than one after the
other. Only the nodes a caller gets back become pyatspi accessibles (through their
parents, by child index).
"""

import re

import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Gio, GLib  # noqa: E402
import pyatspi  # noqa: E402


def _name_matches(actual, wanted):
    if wanted is None:
        return True
    if callable(wanted):
        return wanted(actual)
    if isinstance(wanted, re.Pattern):
        return wanted.search(actual or "") is not None
    return actual == wanted


def children(acc):
    try:
        n = acc.childCount
    except GLib.Error:
        return []
    out = []
    for i in range(n):
        try:
            c = acc.getChildAtIndex(i)
        except GLib.Error:
            continue
        if c is not None:
            out.append(c)
    return out


# ---- tree walks over raw D-Bus (see the module's docstring) -------------------------------

_ATSPI_IFACE = "org.a11y.atspi.Accessible"
_a11y = {}


def _a11y_conn():
    """Our own connection to the accessibility bus and the main context of its replies."""
    if "conn" not in _a11y:
        session = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        reply = session.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                                         "GetAddress", None, GLib.VariantType("(s)"),
                                         Gio.DBusCallFlags.NONE, 5000, None)
        ctx = GLib.MainContext.new()
        ctx.push_thread_default()
        try:
            conn = Gio.DBusConnection.new_for_address_sync(
                reply.unpack()[0], Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
                Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        finally:
            ctx.pop_thread_default()
        _a11y.update(conn=conn, ctx=ctx)
    return _a11y["conn"], _a11y["ctx"]


# The calls a walk makes: interface, method, reply type, and how to read the reply (the
# one value in it; GLib.Variant.unpack is slow enough to matter at 100000 calls a test).
_PROPS = "org.freedesktop.DBus.Properties"
_CALLS = {
    "ChildCount": (_PROPS, "Get", "(v)", lambda r: r.get_child_value(0).get_variant().get_int32()),
    "GetChildAtIndex": (_ATSPI_IFACE, "GetChildAtIndex", "((so))",
                        lambda r: (r.get_child_value(0).get_child_value(0).get_string(),
                                   r.get_child_value(0).get_child_value(1).get_string())),
    "states": (_ATSPI_IFACE, "GetState", "(au)", lambda r: _bits(r.get_child_value(0).unpack())),
    "role": (_ATSPI_IFACE, "GetRole", "(u)", lambda r: r.get_child_value(0).get_uint32()),
    "name": (_PROPS, "Get", "(v)", lambda r: r.get_child_value(0).get_variant().get_string()),
    "description": (_PROPS, "Get", "(v)",
                    lambda r: r.get_child_value(0).get_variant().get_string()),
}
_ARGS = {p: GLib.Variant("(ss)", (_ATSPI_IFACE, p[0].upper() + p[1:]))
         for p in ("ChildCount", "name", "description")}
_TYPES = {t: GLib.VariantType(t) for _, _, t, _ in _CALLS.values()}


def _index_arg(i, _cache=[]):  # noqa: B006 -- a cache on purpose
    while len(_cache) <= i:
        _cache.append(GLib.Variant("(i)", (len(_cache),)))
    return _cache[i]


def _call_all(calls):
    """Sends every (bus name, path, what, args) at once (what: a key of _CALLS; args
    None for the default) and returns the values read from the replies in order, a
    GLib.Error in place of a failed one."""
    if not calls:
        return []
    conn, ctx = _a11y_conn()
    results = [None] * len(calls)
    pending = [len(calls)]

    def done(c, res, slot):
        i, read = slot
        try:
            results[i] = read(c.call_finish(res))
        except GLib.Error as e:
            results[i] = e
        pending[0] -= 1
    ctx.push_thread_default()
    try:
        for i, (bus, path, what, args) in enumerate(calls):
            iface, method, rtype, read = _CALLS[what]
            conn.call(bus, path, iface, method, args if args is not None else _ARGS.get(what),
                      _TYPES[rtype], Gio.DBusCallFlags.NONE, 10000, None, done, (i, read))
        while pending[0]:
            ctx.iteration(True)
    finally:
        ctx.pop_thread_default()
    return results


def _bits(states):
    """The set of state numbers in an AT-SPI GetState reply (two 32-bit words)."""
    return {w * 32 + b for w, word in enumerate(states) for b in range(32) if word >> b & 1}


class _Node:
    """One accessible seen on a walk: where it is, and what the walk asked it."""
    __slots__ = ("bus", "path", "parent", "index", "acc", "role", "states", "name",
                 "description")

    def __init__(self, bus, path, parent, index, acc=None):
        self.bus, self.path, self.parent, self.index, self.acc = bus, path, parent, index, acc
        self.role = self.states = self.name = self.description = None

    def accessible(self):
        """The pyatspi accessible of this node (one GetChildAtIndex per node not yet
        made one), or None if it went away."""
        if self.acc is None and self.parent is not None:
            parent = self.parent.accessible()
            if parent is None:
                return None
            try:
                c = parent.getChildAtIndex(self.index)
            except GLib.Error:
                c = None
            if c is None or c.path != self.path:
                # The children changed since we asked: look for it by its path.
                c = next((x for x in children(parent) if x.path == self.path), None)
            self.acc = c
        return self.acc


def _fetch(nodes, what):
    """Asks every node for the given properties ("states", "role", "name",
    "description") in one batch; a node that fails keeps None."""
    calls, slots = [], []
    for n in nodes:
        for w in what:
            if getattr(n, w) is not None:
                continue
            calls.append((n.bus, n.path, w, None))
            slots.append((n, w))
    for (n, w), r in zip(slots, _call_all(calls)):
        if not isinstance(r, GLib.Error):
            setattr(n, w, r)


def _levels(root, showing=True, what=(), max_nodes=20000):
    """The nodes below root (root excluded) level by level, breadth first, as iter_tree
    walks them: a node not VISIBLE is left out with its subtree if showing. Each level
    comes with the properties in `what` asked; the next level is asked for only when the
    caller wants it, so a search that stops early asks no more."""
    try:
        top = _Node(root.app.bus_name, root.path, None, 0, root)
    except (AttributeError, GLib.Error):
        return
    parents, seen = [top], 0
    while parents and seen < max_nodes:
        # GetChildren would be one call, but GTK 4.8 answers it with another list than
        # GetChildAtIndex (stack pages): ask ChildCount, then every index, all at once.
        counts = _call_all([(p.bus, p.path, "ChildCount", None) for p in parents])
        slots = [(p, i) for p, c in zip(parents, counts) if not isinstance(c, GLib.Error)
                 for i in range(c)]
        replies = _call_all([(p.bus, p.path, "GetChildAtIndex", _index_arg(i))
                             for p, i in slots])
        level = [_Node(r[0], r[1], p, i) for (p, i), r in zip(slots, replies)
                 if not isinstance(r, GLib.Error) and r[1] != "/org/a11y/atspi/null"]
        level = level[:max_nodes - seen]
        seen += len(level)
        if showing:
            # States first: what else the caller wants is asked of visible nodes only.
            _fetch(level, ("states",))
            level = [n for n in level if n.states is not None and _VISIBLE in n.states]
        _fetch(level, what)
        if level:
            yield level
        parents = level


_VISIBLE = int(pyatspi.STATE_VISIBLE)


def _roles(role):
    """role as a set of role numbers (a role or several), or None for any role."""
    if role is None:
        return None
    return {int(r) for r in (role if isinstance(role, (tuple, list, set, frozenset))
                             else (role,))}


def search(root, role=None, name=None, description=None, pred=None, showing=True,
           state=None, first=False, nodes=False):
    """The accessibles below root, in iter_tree's order, that match (see matches; role
    may also be a tuple of roles, state a state they must have), in one walk. first:
    stop at the first. nodes: return the walk's nodes, not accessibles (for a caller
    that only counts them)."""
    roles = _roles(role)
    state = int(state) if state is not None else None
    out = []
    for level in _levels(root, showing, ("role",) if roles is not None else ()):
        cands = [n for n in level if roles is None or n.role in roles]
        if state is not None:
            _fetch(cands, ("states",))
            cands = [n for n in cands if n.states is not None and state in n.states]
        if name is not None:
            _fetch(cands, ("name",))
            cands = [n for n in cands if n.name is not None and _name_matches(n.name, name)]
        if description is not None:
            _fetch(cands, ("description",))
            cands = [n for n in cands
                     if n.description is not None and _name_matches(n.description, description)]
        for n in cands:
            if pred is not None or not nodes:
                acc = n.accessible()
                if acc is None:
                    continue
                try:
                    if pred is not None and not pred(acc):
                        continue
                except GLib.Error:
                    continue
            out.append(n if nodes else n.accessible())
            if first:
                return out
    return out


def iter_tree(root, showing=True, max_nodes=20000):
    """Breadth-first walk below root (root excluded); skips hidden subtrees if showing."""
    for level in _levels(root, showing, max_nodes=max_nodes):
        for n in level:
            acc = n.accessible()
            if acc is not None:
                yield acc


def matches(acc, role=None, name=None, description=None, pred=None):
    try:
        if role is not None and int(acc.getRole()) not in _roles(role):
            return False
        if not _name_matches(acc.name, name):
            return False
        if description is not None and not _name_matches(acc.description, description):
            return False
        return pred is None or pred(acc)
    except GLib.Error:
        return False


def first_label(root):
    """The name of the first label below root (iter_tree's order), or None."""
    labels = search(root, pyatspi.ROLE_LABEL, first=True, nodes=True)
    if not labels:
        return None
    _fetch(labels, ("name",))
    return labels[0].name
