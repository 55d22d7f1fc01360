#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test program inside a private D-Bus session with its own unlocked gnome-keyring
# (secrets component only) and throw-away HOME/XDG directories, then sets
# TRV_TEST_KEYRING=1 so the test knows its Secret Service is private. Without
# dbus-run-session or gnome-keyring-daemon the test runs without it and skips the
# keyring cases (it must never touch the keyring of whoever runs it).
set -u
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "# dbus-run-session or gnome-keyring-daemon not found (packages dbus, gnome-keyring):" \
       "keyring cases skipped" >&2
  exec "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/trv-keyring.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

dbus-run-session -- sh -c '
  # An empty password does not create the login keyring non-interactively: use one.
  printf %s traverse-test | gnome-keyring-daemon --foreground --unlock --components=secrets \
      >"$HOME/keyring.log" 2>&1 &
  kr=$!
  i=0
  ready=0
  while [ $i -lt 100 ]; do
    if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
         --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null |
       grep -q true; then
      ready=1
      break
    fi
    sleep 0.1
    i=$((i + 1))
  done
  if [ $ready = 1 ]; then
    TRV_TEST_KEYRING=1 "$@"
  else
    echo "# gnome-keyring did not come up in 10 s: keyring cases skipped" >&2
    cat "$HOME/keyring.log" >&2
    "$@"
  fi
  rc=$?
  kill $kr 2>/dev/null
  wait $kr 2>/dev/null
  exit $rc
' sh "$@"
