#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks that every C file in src/, tests/ and bench/ is formatted as .uncrustify.cfg says.
# Usage: tools/check-format.sh [--fix] [FILE...]   (no FILE: every tracked .c/.h)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fix=0
if [ "${1:-}" = "--fix" ]; then fix=1; shift; fi
if ! command -v uncrustify >/dev/null; then
  echo "format: uncrustify is not installed (Debian package uncrustify; tools/install-deps.sh test)"
  exit 1
fi
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' 2>/dev/null ||
                       find src tests bench -name '*.[ch]')
fi
bad=0
for f in "${files[@]}"; do
  if [ "$fix" = 1 ]; then
    uncrustify -q -c .uncrustify.cfg --no-backup "$f"
  elif ! uncrustify -q -c .uncrustify.cfg -f "$f" | diff -u --label "$f" --label "$f (formatted)" "$f" - ; then
    bad=$((bad + 1))
  fi
done
if [ "$fix" = 0 ]; then
  echo "format: $bad of ${#files[@]} files need formatting (tools/check-format.sh --fix)"
  [ "$bad" -eq 0 ]
fi
