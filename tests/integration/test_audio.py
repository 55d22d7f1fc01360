#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two-way audio through a real Kamailio, checked by frequency analysis, for one codec.

alice plays tone A, bob plays tone B, both record; alice's recording must carry B (and not
A), bob's must carry A (and not B). Usage: test_audio.py CODEC [CODEC...] (as in [media] codecs).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

TONE_A = 700     # what alice sends
TONE_B = 1300    # what bob sends


def same_codec(a, b):
    return (a or "").lower() == (b or "").lower()


def two_way_audio(lab, codec):
    tag = "audio-" + codec.lower()
    tone_a, tone_b = lab.tone(TONE_A), lab.tone(TONE_B)
    rec_a, rec_b = lab.path("alice-%s.wav" % tag), lab.path("bob-%s.wav" % tag)
    sa, sb = lab.path("alice-%s.json" % tag), lab.path("bob-%s.json" % tag)
    ra, a, rb, b = L.call_pair(
        lab,
        ["--play", tone_a, "--record", rec_a, "--duration", "4", "--timeout", "10",
         "--stats", sa],
        ["--play", tone_b, "--record", rec_b, "--stats", sb],
        codecs=codec, tag=tag)
    diag = [L.dumps(a, b)]
    checks = {"exit codes 0/0": ra == 0 and rb == 0,
              "no stderr output": a is not None and not a.err and not b.err}
    for who, path in (("alice", sa), ("bob", sb)):
        try:
            st = lab.stats(path)
        except (OSError, ValueError) as e:
            checks["%s stats" % who] = False
            diag.append("%s stats: %s" % (who, e))
            continue
        media = st.get("media", {})
        checks["%s negotiated %s" % (who, codec)] = same_codec(media.get("codec"), codec)
        checks["%s received RTP" % who] = (media.get("rtp_received") or 0) > 50
        diag.append("%s media %s" % (who, media))
    for who, rec, want, other in (("alice", rec_a, TONE_B, TONE_A), ("bob", rec_b, TONE_A, TONE_B)):
        if not os.path.exists(rec):
            checks["%s recording exists" % who] = False
            continue
        rc, out = lab.tone_check(rec, want, min_fraction=0.5)
        checks["%s hears %d Hz" % (who, want)] = rc == 0
        diag.append("%s %s: %s" % (who, os.path.basename(rec), out))
        # Our own tone must not come back: catches a loop or a swapped stream.
        rc2, out2 = lab.tone_check(rec, other, max_fraction=0.1)
        checks["%s does not hear its own %d Hz" % (who, other)] = rc2 == 0
        diag.append("%s own tone: %s" % (who, out2))
    for line in diag[1:]:
        L.log(line)
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, diag[0])


def main():
    codecs = sys.argv[1:] or ["opus", "G722", "PCMU", "PCMA"]
    tap = L.Tap()
    tap.plan(len(codecs))
    with L.Lab("audio-" + "-".join(c.lower() for c in codecs)) as lab:
        for codec in codecs:
            tap.run_case("two-way audio with %s (%d Hz / %d Hz)" % (codec, TONE_A, TONE_B),
                         two_way_audio, lab, codec)
    tap.exit()


if __name__ == "__main__":
    main()
