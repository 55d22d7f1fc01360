#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer harnesses with clang (ASan+UBSan) and fuzzes each for a while.
# Usage: tests/fuzz/run-fuzz.sh [SECONDS_PER_HARNESS] [HARNESS...]
#   default: 20 s each, all five. New crashes are written to _build-fuzz/crashes/ and fail the run;
#   inputs that add coverage stay in _build-fuzz/corpus/ (copy the useful ones to tests/fuzz/corpus).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
secs=${1:-20}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(sdp config host-port candidates message-summary)
builddir=${TRAVERSE_FUZZ_BUILDDIR:-_build-fuzz}
if ! command -v clang >/dev/null; then
  echo "fuzz: skipped: clang is not installed (Debian packages clang, libclang-rt-14-dev)"
  exit 77
fi
if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized -Dwerror=false >/dev/null
fi
targets=()
for h in "${harnesses[@]}"; do targets+=("tests/fuzz/fuzz-$h"); done
# A build dir configured before a harness was added knows no such target yet: let ninja
# regenerate it first. A build failure is shown, not swallowed.
if ! { ninja -C "$builddir" build.ninja && meson compile -C "$builddir" "${targets[@]}"; } \
     >"$builddir/fuzz-build.log" 2>&1; then
  echo "fuzz: the harnesses did not build:"
  tail -n 30 "$builddir/fuzz-build.log"
  exit 1
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$builddir/crashes"
rc=0
for h in "${harnesses[@]}"; do
  work="$builddir/corpus/$h"
  mkdir -p "$work"
  log="$builddir/fuzz-$h.log"
  if "$builddir/tests/fuzz/fuzz-$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$builddir/crashes/$h-" -print_final_stats=1 \
       "$work" "tests/fuzz/corpus/$h" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
    echo "fuzz $h: ${secs} s, $runs runs, $cov, no crash"
  else
    echo "fuzz $h: FAILED (see $log; the input is in $builddir/crashes/)"
    tail -n 30 "$log"
    rc=1
  fi
done
exit $rc
