#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Retakes the AppStream screenshots (data/screenshots/*.png: main window, call view at 360 px,
# each NAT mode's page of the Preferences) from the built app under Xvfb, driven through AT-SPI
# like the UI tests (tools/screenshots.py). Needs the test dependencies
# (tools/install-deps.sh test). Usage: tools/screenshots.sh [BUILD_DIR]   (default: _build)
set -eu
cd "$(dirname "$0")/.."
build=${1:-_build}
meson compile -C "$build"
art=$(mktemp -d)
trap 'rm -rf "$art"' EXIT
/usr/bin/python3 tests/ui/run-ui.py --app "$build/src/ui/traverse" --schema-dir "$build/data" \
  --artifacts "$art" --build-root "$build" --source-root "$PWD" tools/screenshots.py
for shot in main-recent main-dial-pad call-360 network-none network-stun network-turn \
            network-ice network-automatic; do
  cp "$art/$shot.png" "data/screenshots/$shot.png"
  echo "data/screenshots/$shot.png"
done
