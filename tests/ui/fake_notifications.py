#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A minimal desktop notification server (org.freedesktop.Notifications) for the UI
tests, on the test's private session bus. It prints every Notify call as a JSON line on
stdout and, for each line "invoke ID ACTION" read on stdin, emits ActionInvoked(ID,
ACTION): what a notification popup does when a user presses one of its buttons."""
import json
import sys
import threading

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
</node>
"""
PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"


def main():
    loop = GLib.MainLoop()
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    state = {"next": 1}

    def say(obj):
        print(json.dumps(obj), flush=True)

    def on_call(conn, sender, path, iface, method, params, invocation):
        if method == "Notify":
            app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
            nid = replaces or state["next"]
            state["next"] += 1
            say({"event": "notify", "id": nid, "app": app, "summary": summary, "body": body,
                 "actions": actions})
            invocation.return_value(GLib.Variant("(u)", (nid,)))
        elif method == "CloseNotification":
            (nid,) = params.unpack()
            say({"event": "close", "id": nid})
            invocation.return_value(None)
            conn.emit_signal(None, PATH, IFACE, "NotificationClosed",
                             GLib.Variant("(uu)", (nid, 3)))
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
        else:
            invocation.return_value(GLib.Variant("(ssss)", ("fake", "traverse-tests", "1",
                                                            "1.2")))

    node = Gio.DBusNodeInfo.new_for_xml(XML)
    bus.register_object(PATH, node.interfaces[0], on_call, None, None)

    def on_acquired(conn, name):
        say({"event": "ready"})

    Gio.bus_own_name_on_connection(bus, IFACE, Gio.BusNameOwnerFlags.NONE, on_acquired, None)

    def emit(nid, action):
        bus.emit_signal(None, PATH, IFACE, "ActionInvoked", GLib.Variant("(us)", (nid, action)))
        say({"event": "invoked", "id": nid, "action": action})
        return False

    def read_stdin():
        for line in sys.stdin:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "invoke":
                GLib.idle_add(emit, int(parts[1]), parts[2])
        GLib.idle_add(loop.quit)

    threading.Thread(target=read_stdin, daemon=True).start()
    loop.run()


if __name__ == "__main__":
    main()
