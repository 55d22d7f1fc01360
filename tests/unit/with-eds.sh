#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test program in a private D-Bus session with throw-away HOME/XDG directories, where
# evolution-data-server's registry and address book factory start on demand (D-Bus
# activation) with an empty system address book. Sets TRV_TEST_EDS=1 when they can; without
# dbus-run-session or evolution-data-server the test runs alone and skips its EDS cases
# (it must never read or write the address books of whoever runs it).
set -u
if ! command -v dbus-run-session >/dev/null 2>&1 ||
   [ ! -x /usr/libexec/evolution-source-registry ] ||
   [ ! -x /usr/libexec/evolution-addressbook-factory ]; then
  echo "# dbus-run-session or evolution-data-server not found (packages dbus," \
       "evolution-data-server): address book cases skipped" >&2
  exec "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/trv-eds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS

dbus-run-session -- sh -c '
  TRV_TEST_EDS=1 "$@"
  rc=$?
  # The services the bus started for the test, by PID (they would go with the bus, but
  # a factory busy writing may outlive it for a while).
  for name in $(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
                  --method org.freedesktop.DBus.ListNames | grep -o "org\.gnome\.evolution\.dataserver\.[A-Za-z0-9]*"); do
    pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.GetConnectionUnixProcessID "$name" 2>/dev/null |
          grep -o "[0-9][0-9]*" | tail -n 1)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
  done
  exit $rc
' sh "$@"
