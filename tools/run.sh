#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what Traverse needs, builds it and launches it from the build tree. Run as root
# on Debian 12.
#   tools/run.sh [--no-build] [ARGS...]
# --no-build skips installing and building and only launches (the UI test ui-run-sh starts
# the app this way, so it runs with exactly this environment). TRAVERSE_BUILDDIR: the build
# directory (default _build).
set -euo pipefail
cd "$(dirname "$0")/.."
srcdir=$PWD

build=1
if [ "${1:-}" = "--no-build" ]; then
  build=0
  shift
fi
builddir=${TRAVERSE_BUILDDIR:-_build}
if [ "$build" = 1 ]; then
  ./tools/install-deps.sh build
  [ -f "$builddir/build.ninja" ] || meson setup "$builddir"
  meson compile -C "$builddir"
fi
builddir=$(cd "$builddir" && pwd)

if [ -x "$builddir/src/ui/traverse" ] && { [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; }; then
  # Not installed: the GSettings schema is the one compiled into the build dir (without it
  # no setting can be saved), the app icon comes from the source tree's data/icons.
  export GSETTINGS_SCHEMA_DIR="$builddir/data"
  export XDG_DATA_DIRS="$srcdir/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  exec "$builddir/src/ui/traverse" "$@"
fi
# No desktop session: the echo test through the full SIP + RTP path, from the terminal.
exec "$builddir/src/cli/traverse-cli" call echo --duration 10 "$@"
