#!/usr/bin/env bash
# Installs what Traverse needs, builds it with ASan+UBSan and runs the whole test suite
# (unit, integration against Kamailio, NAT lab, UI, packaging). Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

./tools/install-deps.sh test

builddir=${TRAVERSE_BUILDDIR:-_build-test}
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C "$builddir"

# GLib/GStreamer keep process-lifetime caches that LeakSanitizer reports as leaks;
# address and undefined-behaviour errors stay fatal.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

set +e
meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
rc=$?
set -e

# One plain closing line for CI: "tests: N passed, N failed, N skipped".
/usr/bin/python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1]) as f:
    for line in f:
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $rc
