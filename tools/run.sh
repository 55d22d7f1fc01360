#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what Traverse needs, builds it and launches it. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

./tools/install-deps.sh build
builddir=${TRAVERSE_BUILDDIR:-_build}
[ -f "$builddir/build.ninja" ] || meson setup "$builddir"
meson compile -C "$builddir"

if [ -x "$builddir/src/ui/traverse" ] && { [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; }; then
  exec "$builddir/src/ui/traverse" "$@"
fi
# No desktop session: the echo test through the full SIP + RTP path, from the terminal.
exec "$builddir/src/cli/traverse-cli" call echo --duration 10 "$@"
