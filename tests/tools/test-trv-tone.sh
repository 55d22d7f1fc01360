#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Self-test of trv-tone: the audio checks of every other test rest on it, so it must
# find a tone that is there, refuse one that is not, and reject bad input with 2.
set -u
tone=${TRV_TONE:?TRV_TONE not set}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
n=0
fail=0
check() {  # check EXPECTED_RC DESCRIPTION -- command...
  want=$1; what=$2; shift 3
  n=$((n + 1))
  "$@" >"$dir/out" 2>&1
  rc=$?
  if [ "$rc" -eq "$want" ]; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what (exit $rc, wanted $want)"
    sed 's/^/# /' "$dir/out"
    fail=1
  fi
}

check 0 "gen 1000 Hz at 48 kHz" -- "$tone" gen --freq 1000 --seconds 1 "$dir/a.wav"
check 0 "gen 440 Hz at 8 kHz" -- "$tone" gen --freq 440 --rate 8000 --seconds 1 "$dir/b.wav"
check 0 "1000 Hz found" -- "$tone" check --freq 1000 "$dir/a.wav"
check 1 "600 Hz not found in a 1000 Hz tone" -- "$tone" check --freq 600 "$dir/a.wav"
check 0 "--absent holds for 600 Hz" -- "$tone" check --freq 600 --absent "$dir/a.wav"
check 1 "--absent fails for 1000 Hz" -- "$tone" check --freq 1000 --absent "$dir/a.wav"
check 0 "440 Hz found at 8 kHz" -- "$tone" check --freq 440 --skip-seconds 0.5 "$dir/b.wav"
check 2 "5 kHz cannot exist at 8 kHz" -- "$tone" check --freq 5000 "$dir/b.wav"
check 2 "skip past the end" -- "$tone" check --freq 440 --skip-seconds 2 "$dir/b.wav"
printf 'not a wav file at all' >"$dir/bad.wav"
check 2 "not a WAV" -- "$tone" check --freq 440 "$dir/bad.wav"
check 2 "missing file" -- "$tone" check --freq 440 "$dir/none.wav"
check 2 "no frequency" -- "$tone" check "$dir/a.wav"
check 2 "unknown command" -- "$tone" play --freq 440 "$dir/a.wav"
# Half tone, half silence: 50 % of the frames; min-fraction decides.
head -c 48044 "$dir/a.wav" >"$dir/half.wav"
head -c 48000 /dev/zero >>"$dir/half.wav"
check 0 "half-tone file passes 0.4" -- "$tone" check --freq 1000 --min-fraction 0.4 "$dir/half.wav"
check 1 "half-tone file fails 0.6" -- "$tone" check --freq 1000 --min-fraction 0.6 "$dir/half.wav"
echo "1..$n"
exit $fail
