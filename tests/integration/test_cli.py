#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The traverse-cli contract without a registrar: the built-in echo test (`call echo`, no
config) carries a tone there and back, checked by frequency analysis, and loops --play; the
--stats JSON has every key tooling relies on; without a sound server the CLI says so in one
line; bad usage and bad config exit 2 with one stderr line naming the option or key."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

TONE = 700


def env_for(tmp, devices=False):
    """A clean environment: an empty runtime dir (so no PulseAudio/PipeWire socket) and no
    TRAVERSE_AUDIOSRC/SINK unless devices=True stands in test elements for the devices."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PULSE_SERVER", "TRAVERSE_AUDIOSRC", "TRAVERSE_AUDIOSINK")}
    env.setdefault("SU_DEBUG", "0")
    run = os.path.join(tmp, "run")
    os.makedirs(run, exist_ok=True)
    env["XDG_RUNTIME_DIR"] = run
    env["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
    if devices:
        env["TRAVERSE_AUDIOSRC"] = "audiotestsrc is-live=true wave=silence"
        env["TRAVERSE_AUDIOSINK"] = "fakesink sync=false"
    return env


def run_cli(tmp, name, *args, env=None, timeout=40):
    p = L.Proc(name, [os.environ["TRAVERSE_CLI"]] + [str(a) for a in args],
               env if env is not None else env_for(tmp))
    t0 = time.monotonic()
    rc = p.wait(timeout)
    return rc, p, time.monotonic() - t0


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def tone_check(wav, freq, min_fraction=0.5):
    r = subprocess.run([os.environ["TRV_TONE"], "check", "--freq", str(freq),
                        "--min-fraction", str(min_fraction), wav],
                       capture_output=True, text=True, timeout=60)
    return r.returncode, (r.stdout + r.stderr).strip()


def make_tone(tmp, seconds=10):
    path = os.path.join(tmp, "tone-%d-%ds.wav" % (TONE, seconds))
    if not os.path.exists(path):
        r = subprocess.run([os.environ["TRV_TONE"], "gen", "--freq", str(TONE), "--seconds",
                            str(seconds), path], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("trv-tone gen failed: %s%s" % (r.stdout, r.stderr))
    return path


def load_stats(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": str(e)}


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_addr(v):
    host, _, port = (v or "").rpartition(":")
    return host == L.HOST and port.isdigit() and 0 < int(port) < 65536


def echo_call(tmp, codec):
    """`call echo` with --play/--record (optionally a [media] codecs config, no account)."""
    tag = (codec or "default").lower()
    rec, stats = os.path.join(tmp, "echo-%s.wav" % tag), os.path.join(tmp, "echo-%s.json" % tag)
    args = ["call", "echo", "--play", make_tone(tmp), "--record", rec, "--duration", "3",
            "--timeout", "10", "--stats", stats]
    if codec:
        args = ["--config", write(tmp, "echo-%s.conf" % tag,
                                  "[media]\ncodecs = %s\n" % codec)] + args
    rc, p, took = run_cli(tmp, "echo-" + tag, *args)
    order = [w for w in ("calling sip:echo@", "answered (", "media flowing", "ended: local-hangup")
             if any(line.startswith(w) for line in p.lines)]
    st = load_stats(stats)
    checks = {
        "exit 0": rc == 0,
        "nothing on stderr": p.err == [],
        "progress lines calling/answered/media flowing/ended": len(order) == 4,
        "ended by --duration (%.1f s)" % took: took < 12,
        "stats end_reason local-hangup": st.get("call", {}).get("end_reason") == "local-hangup",
    }
    if codec:
        checks["negotiated %s" % codec] = st.get("media", {}).get("codec") == codec
    diag = ""
    if os.path.exists(rec):
        trc, out = tone_check(rec, TONE)
        checks["the %d Hz tone came back" % TONE] = trc == 0
        diag = out
    else:
        checks["recording exists"] = False
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\ntone: %s\nstats: %s\n%s" % (bad, diag, st, p.dump())


def play_loops(tmp):
    """--play loops the file: a 1 s tone over a 5 s echo call must fill most of the recording
    (played once it would cover at most a fifth)."""
    rec = os.path.join(tmp, "loop.wav")
    rc, p, _ = run_cli(tmp, "loop", "call", "echo", "--play", make_tone(tmp, 1), "--record", rec,
                       "--duration", "5", "--timeout", "10")
    if rc != 0 or not os.path.exists(rec):
        return False, "echo call failed (exit %s)\n%s" % (rc, p.dump())
    trc, out = tone_check(rec, TONE, min_fraction=0.7)
    return trc == 0, "tone in too little of the recording: %s\n%s" % (out, p.dump())


def stats_contract(tmp):
    """The keys of --stats that other tooling reads, with the types and values they promise."""
    stats = os.path.join(tmp, "echo-default.json")
    if not os.path.exists(stats):
        rc, p, _ = run_cli(tmp, "echo-stats", "call", "echo", "--play", make_tone(tmp),
                           "--record", os.path.join(tmp, "stats.wav"), "--duration", "3",
                           "--timeout", "10", "--stats", stats)
        if rc != 0:
            return False, "echo call for stats failed (exit %s)\n%s" % (rc, p.dump())
    st = load_stats(stats)
    call, media = st.get("call") or {}, st.get("media") or {}
    missing = ["call." + k for k in ("direction", "remote", "setup_ms", "first_rtp_ms",
                                     "duration_s", "end_reason", "sip_status", "early_media",
                                     "ringback") if k not in call]
    missing += ["media." + k for k in ("codec", "payload_type", "local", "remote", "rtp_sent",
                                       "rtp_received", "rtp_lost", "rtp_late", "jitter_ms",
                                       "jitter_buffer_ms", "rtt_ms")
                if k not in media]
    setup, first = call.get("setup_ms"), call.get("first_rtp_ms")
    checks = {
        "no key missing %s" % missing: not missing,
        "call.direction outgoing": call.get("direction") == "outgoing",
        "call.remote is the echo URI": str(call.get("remote")).startswith("sip:echo@" + L.HOST),
        "call.setup_ms whole ms >= 0": isinstance(setup, int) and setup >= 0,
        "call.first_rtp_ms whole ms >= 0": isinstance(first, int) and first >= 0,
        "call.duration_s about 3": is_num(call.get("duration_s")) and
                                   2.5 <= call["duration_s"] <= 5,
        "call.sip_status 200": call.get("sip_status") == 200,
        "call.early_media 0 (the echo rings without media)": is_num(call.get("early_media"))
                                                             and call["early_media"] == 0,
        "call.ringback null (--record: no speaker to ring on)": call.get("ringback", 1) is None,
        "media.codec opus (default order)": media.get("codec") == "opus",
        "media.payload_type dynamic": isinstance(media.get("payload_type"), int) and
                                      96 <= media["payload_type"] <= 127,
        "media.local/remote ADDR:PORT on loopback": is_addr(media.get("local")) and
                                                    is_addr(media.get("remote")),
        "media.rtp_sent/received counted (50 pps)": all(
            isinstance(media.get(k), int) and media[k] > 100 for k in ("rtp_sent", "rtp_received")),
        "media.rtp_lost whole number": isinstance(media.get("rtp_lost"), int) and
                                       media["rtp_lost"] >= 0,
        "media.rtp_late whole number": isinstance(media.get("rtp_late"), int) and
                                       media["rtp_late"] >= 0,
        "media.jitter_ms number": is_num(media.get("jitter_ms")) and media["jitter_ms"] >= 0,
        "media.rtt_ms number or null": media.get("rtt_ms") is None or
                                       (is_num(media["rtt_ms"]) and media["rtt_ms"] >= 0),
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\nstats: %s" % (bad, st)


def has_sound_card():
    try:
        with open("/proc/asound/cards") as f:
            cards = f.read()
    except OSError:
        return False
    return cards.strip() != "" and "no soundcards" not in cards


def no_sound_server(tmp):
    rc, p, took = run_cli(tmp, "no-sound", "call", "echo", "--duration", "2", timeout=20)
    line = p.err[0] if len(p.err) == 1 else ""
    checks = {
        "exit 2": rc == 2,
        "one stderr line": len(p.err) == 1,
        "it says there is no sound server": "no sound server" in line,
        "it names --play and --record": "--play" in line and "--record" in line,
        "no call was placed (no stdout)": p.lines == [],
        "at once (%.1f s)" % took: took < 5,
    }
    bad = [k for k, v in checks.items() if not v]
    return not bad, "failed: %s\n%s" % (bad, p.dump())


def usage_errors(tmp):
    """Each bad invocation: exit 2, nothing on stdout, one stderr line containing `want`."""
    def conf(name, text):
        return write(tmp, name, text)

    cases = [
        ([], "no command"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["call"], "needs a URI"),
        (["call", "echo", "--duration", "soon"], "--duration"),
        (["call", "echo", "--no-such-option"], "--no-such-option"),
        (["call", "echo", "--play", os.path.join(tmp, "missing.wav")], "--play"),
        (["--config", os.path.join(tmp, "missing.conf"), "call", "echo"], "missing.conf"),
        (["--config", conf("bad-syntax.conf", "[account\n"), "call", "echo"], "bad-syntax.conf"),
        (["--config", conf("bad-transport.conf",
                           "[account]\naddress = sip:a@example.org\ntransport = pigeon\n"),
          "call", "echo"], "account.transport"),
        (["--config", conf("bad-key.conf", "[account]\naddress = sip:a@example.org\ncolour = x\n"),
          "call", "echo"], "account.colour"),
        (["--config", conf("bad-mode.conf", "[nat]\nmode = teleport\n"), "call", "echo"],
         "nat.mode"),
        (["--config", conf("bad-codec.conf", "[media]\ncodecs = speex\n"), "call", "echo"],
         "media.codecs"),
        (["--config", conf("bad-jitter.conf", "[media]\njitter-ms = -5\n"), "call", "echo"],
         "media.jitter-ms"),
        # Keys of mandatory SRTP would travel in clear: a config error, not a failed call.
        (["--config", conf("srtp-udp.conf", "[account]\naddress = sip:a@127.0.0.1\n"
                                            "transport = udp\nsrtp = mandatory\n"),
          "call", "sip:b@127.0.0.1"], "account.srtp"),
        (["register"], "register needs an [account]"),
        (["answer"], "answer needs an [account]"),
    ]
    bad = []
    env = env_for(tmp, devices=True)
    for args, want in cases:
        rc, p, _ = run_cli(tmp, "usage", *args, env=env, timeout=20)
        if not (rc == 2 and p.lines == [] and len(p.err) == 1 and want in p.err[0]):
            bad.append("%s: exit %s, stdout %r, stderr %r (want exit 2 and one line with %r)"
                       % (" ".join(args) or "(no arguments)", rc, p.lines, p.err, want))
    return not bad, "\n".join(bad)


def main():
    cli = os.environ.get("TRAVERSE_CLI")
    if not cli or not os.access(cli, os.X_OK) or not os.environ.get("TRV_TONE"):
        print("1..0 # SKIP TRAVERSE_CLI/TRV_TONE not set; run via meson test", flush=True)
        sys.exit(L.SKIP)
    tap = L.Tap()
    tap.plan(6)
    tmp = tempfile.mkdtemp(prefix="trv-integ-cli-")
    try:
        tap.run_case("call echo, no config: the tone comes back", echo_call, tmp, None)
        tap.run_case("call echo with [media] codecs = PCMA: the tone comes back",
                     echo_call, tmp, "PCMA")
        tap.run_case("--stats has every contract key with its type", stats_contract, tmp)
        tap.run_case("--play loops the file", play_loops, tmp)
        if has_sound_card():
            tap.skip("no sound server: exit 2, one line", "this machine has a sound card")
        else:
            tap.run_case("no sound server: exit 2, one line naming --play/--record",
                         no_sound_server, tmp)
        tap.run_case("bad usage and bad config: exit 2, one line naming the option or key",
                     usage_errors, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    tap.exit()


if __name__ == "__main__":
    main()
