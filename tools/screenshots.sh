#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Retakes the AppStream screenshots (data/screenshots/dialer.png, call.png) from the built app
# under Xvfb, driven through AT-SPI like the UI tests. Needs the test dependencies
# (tools/install-deps.sh test). Usage: tools/screenshots.sh [BUILD_DIR]   (default: _build)
set -eu
cd "$(dirname "$0")/.."
build=${1:-_build}
meson compile -C "$build"
art=$(mktemp -d)
trap 'rm -rf "$art"' EXIT
/usr/bin/python3 tests/ui/run-ui.py --app "$build/src/ui/traverse" --schema-dir "$build/data" \
  --artifacts "$art" --build-root "$build" --source-root "$PWD" tools/screenshots.py
for shot in dialer call; do
  cp "$art/$shot.png" "data/screenshots/$shot.png"
  echo "data/screenshots/$shot.png"
done
