#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mouth-to-ear latency per codec, and CPU / peak RSS of a call: traverse-cli vs baresip.

1. Latency: trv-bench-latency (built with the project) runs two media sessions in one
   process over UDP on 127.0.0.1; a live source clicks every 507 ms, a clock-synchronised
   sink renders. Both pipelines run on the GStreamer system clock, so the click's capture
   time and its render time are on one clock (not a round trip halved). The delay is
   fixed within one session (the receiver schedules by RTP time from its first packet's
   arrival), so each codec gets several sessions: the median of their medians, the worst
   p90, each session's median, with the jitter-buffer bound and the receiver pipeline's
   latency. The desktop's default audio processing (webrtcdsp + webrtcechoprobe) is in
   the path; opus is also measured without it.
2. CPU and memory: one call of --call-seconds between two traverse-cli processes (WAV in,
   WAV out, opus), and the same between two baresip processes (aufile source, sndfile
   recording, aubridge as the silent player, opus), all on 127.0.0.1. CPU seconds
   (user+system from wait4, start-up included) per minute of call and peak RSS per
   process; the ratio traverse / baresip.

Usage: bench/bench-latency.py [--build DIR] [--seconds S] [--runs N] [--call-seconds S]
                              [--codecs LIST]
"""
import argparse
import array
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import wave

HOST = "127.0.0.1"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_usage(proc, timeout):
    """(exit code, rusage, wall seconds since start) with a bound; kills on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            return os.waitstatus_to_exitcode(status), usage, time.monotonic() - proc.started
        time.sleep(0.02)
    proc.kill()
    _, status, usage = os.wait4(proc.pid, 0)
    return -9, usage, time.monotonic() - proc.started


def spawn(argv, **kw):
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, **kw)
    p.started = time.monotonic()
    return p


# --- 1. latency ----------------------------------------------------------------------------

def latency(tool, codec, seconds, aec=True):
    argv = [tool, "--codec", codec, "--seconds", str(seconds)]
    if not aec:
        argv.append("--no-echo-cancel")
    r = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s%s" % (" ".join(argv), r.stdout, r.stderr))
    return json.loads(r.stdout.strip().splitlines()[-1])


def dsp_delay(tmp, props):
    """Delay (ms) that webrtcdsp alone adds at 48 kHz with `props`: noise bursts through
    gst-launch offline (10 ms buffers, as the microphone delivers them), found again in
    the output by cross-correlation. Tonal clicks would fool a correlation, noise does
    not; a threshold detector would count a suppressor's fade-in as delay."""
    rate, burst = 48000, 48000 * 30 // 1000
    src, out = os.path.join(tmp, "dsp-in.wav"), os.path.join(tmp, "dsp-out.wav")
    rng = random.Random(1)
    pcm = array.array("h", bytes(2 * rate * 4))
    starts = [int(k * 0.5 * rate) + 7 * k for k in range(1, 7)]
    for st in starts:
        for i in range(burst):
            pcm[st + i] = rng.randint(-12000, 12000)
    with wave.open(src, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    caps = "audio/x-raw,format=S16LE,rate=%d,channels=1" % rate
    subprocess.run(["gst-launch-1.0", "-q", "filesrc", "location=" + src, "!", "wavparse", "!",
                    "audiobuffersplit", "output-buffer-duration=1/100", "!", "webrtcdsp",
                    "probe=p"] + props + ["!", "wavenc", "!", "filesink", "location=" + out,
                    "audiotestsrc", "wave=silence", "num-buffers=400",
                    "samplesperbuffer=%d" % (rate // 100), "!", caps, "!",
                    "webrtcechoprobe", "name=p", "!", "fakesink"],
                   check=True, capture_output=True, timeout=60)
    with wave.open(out) as w:
        got = array.array("h", w.readframes(w.getnframes()))
    lags = []
    for st in starts[1:4]:
        seg = pcm[st:st + rate // 50]
        best = max(range(rate * 30 // 1000),
                   key=lambda lag: sum(x * y for x, y in zip(seg, got[st + lag:st + lag + len(seg)])))
        lags.append(best * 1000.0 / rate)
    return statistics.median(lags)


# --- 2. CPU and memory ---------------------------------------------------------------------

def traverse_call(cli, tone_tool, tmp, seconds):
    tone = os.path.join(tmp, "tone.wav")
    port = free_port()
    callee_cfg = os.path.join(tmp, "trv-callee.conf")
    with open(callee_cfg, "w") as f:
        f.write("[account]\naddress=sip:bob@127.0.0.1\nregister=false\nlocal-port=%d\n"
                "[nat]\nmode=none\n[media]\ncodecs=opus\n" % port)
    caller_cfg = os.path.join(tmp, "trv-caller.conf")
    with open(caller_cfg, "w") as f:
        f.write("[account]\naddress=sip:alice@127.0.0.1\nregister=false\n"
                "[nat]\nmode=none\n[media]\ncodecs=opus\n")
    env = dict(os.environ, SU_DEBUG="0")
    rec_b, rec_a = os.path.join(tmp, "trv-callee.wav"), os.path.join(tmp, "trv-caller.wav")
    callee = spawn([cli, "--config", callee_cfg, "answer", "--play", tone, "--record", rec_b,
                    "--timeout", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   env=env, text=True)
    line = callee.stdout.readline()
    if "ready" not in line:
        callee.kill()
        raise RuntimeError("traverse callee did not start: %r" % line)
    caller = spawn([cli, "--config", caller_cfg, "call", "sip:bob@127.0.0.1:%d" % port,
                    "--play", tone, "--record", rec_a, "--duration", str(seconds),
                    "--timeout", "10"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   env=env, text=True)
    rc_a, ru_a, wall_a = wait_usage(caller, seconds + 30)
    rc_b, ru_b, wall_b = wait_usage(callee, 30)
    if rc_a != 0 or rc_b != 0:
        raise RuntimeError("traverse call failed: exit %s/%s %s" % (rc_a, rc_b,
                                                                   caller.stderr.read()))
    heard = tone_fraction(tone_tool, rec_b)
    return [("caller", ru_a, wall_a), ("callee", ru_b, wall_b)], heard


def baresip_config(d, port, tone, rtp_ports):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config"), "w") as f:
        f.write("\n".join([
            "poll_method epoll",
            "sip_listen %s:%d" % (HOST, port),
            "net_interface %s" % HOST,
            "audio_source aufile,%s" % tone,
            "audio_player aubridge,nowhere",
            "audio_alert aubridge,nowhere",
            "ausrc_srate 48000", "auplay_srate 48000",
            "ausrc_channels 1", "auplay_channels 1",
            "rtp_ports %d-%d" % rtp_ports,
            "module_path /usr/lib/baresip/modules",
            "module opus.so", "module aufile.so", "module aubridge.so", "module sndfile.so",
            "module_app account.so", "module_app menu.so",
            "snd_path %s" % d,
        ]) + "\n")


def baresip_call(baresip, tone_tool, tmp, seconds):
    tone = os.path.join(tmp, "tone.wav")
    pa, pb = free_port(), free_port()
    da, db = os.path.join(tmp, "bs-caller"), os.path.join(tmp, "bs-callee")
    baresip_config(da, pa, tone, (31000, 31999))
    baresip_config(db, pb, tone, (32000, 32999))
    with open(os.path.join(da, "accounts"), "w") as f:
        f.write("<sip:alice@%s>;regint=0;audio_codecs=opus/48000/2\n" % HOST)
    with open(os.path.join(db, "accounts"), "w") as f:
        f.write("<sip:bob@%s>;regint=0;answermode=auto;audio_codecs=opus/48000/2\n" % HOST)
    log_b = open(os.path.join(tmp, "bs-callee.log"), "w")
    log_a = open(os.path.join(tmp, "bs-caller.log"), "w")
    # The callee outlives the caller; the caller quits (BYE) after setup + `seconds`.
    callee = spawn([baresip, "-f", db, "-t", str(seconds + 4)], stdout=log_b, stderr=log_b)
    time.sleep(1.0)
    caller = spawn([baresip, "-f", da, "-e", "/dial sip:bob@%s:%d" % (HOST, pb),
                    "-t", str(seconds + 1)], stdout=log_a, stderr=log_a)
    rc_a, ru_a, wall_a = wait_usage(caller, seconds + 30)
    rc_b, ru_b, wall_b = wait_usage(callee, seconds + 30)
    log_a.close()
    log_b.close()
    with open(os.path.join(tmp, "bs-caller.log")) as f:
        text = f.read()
    if "Call established" not in text:
        raise RuntimeError("baresip call not established:\n" + text[-2000:])
    dec = [n for n in os.listdir(db) if n.endswith("-dec.wav")]
    heard = tone_fraction(tone_tool, os.path.join(db, dec[0])) if dec else None
    return [("caller", ru_a, wall_a), ("callee", ru_b, wall_b)], heard


def gst_floor_call(tone_tool, tmp, seconds):
    """The least any GStreamer softphone does per call: two gst-launch-1.0 processes,
    each sending the WAV (paced, 10 ms Opus frames as Traverse sends them) through
    rtpbin to the other and recording what it receives. No SIP, SRTP, DTMF, volume,
    hold valve, statistics or second pacing stage: a floor, not a softphone."""
    tone = os.path.join(tmp, "tone.wav")

    def argv(lport, rport, out):
        return ["gst-launch-1.0", "-q", "-e", "rtpbin", "name=rb", "latency=10",
                "filesrc", "location=" + tone, "!", "wavparse", "!", "queue", "!",
                "clocksync", "!", "audioconvert", "!", "audioresample", "!",
                "audio/x-raw,rate=48000,channels=1", "!",
                "opusenc", "audio-type=voice", "frame-size=10", "inband-fec=true", "!",
                "rtpopuspay", "!", "rb.send_rtp_sink_0",
                "rb.send_rtp_src_0", "!", "udpsink", "host=" + HOST, "port=%d" % rport,
                "rb.send_rtcp_src_0", "!", "udpsink", "host=" + HOST,
                "port=%d" % (rport + 1), "sync=false", "async=false",
                "udpsrc", "address=" + HOST, "port=%d" % lport,
                "caps=application/x-rtp,media=audio,encoding-name=OPUS,"
                "clock-rate=48000,payload=96", "!", "rb.recv_rtp_sink_0",
                "udpsrc", "address=" + HOST, "port=%d" % (lport + 1), "!", "rb.recv_rtcp_sink_0",
                "rb.", "!", "rtpopusdepay", "!", "opusdec", "!", "audioconvert", "!",
                "audioresample", "!", "audio/x-raw,rate=48000", "!", "wavenc", "!",
                "filesink", "async=false", "location=" + out]

    # RTP on even ports, RTCP on the next one.
    pa, pb = free_port() & ~1, free_port() & ~1
    out_a, out_b = os.path.join(tmp, "gst-a.wav"), os.path.join(tmp, "gst-b.wav")
    a = spawn(argv(pa, pb, out_a), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    b = spawn(argv(pb, pa, out_b), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(seconds)
    for p in (a, b):
        p.send_signal(2)  # SIGINT with -e: EOS, so the WAV header is finished
    rc_a, ru_a, wall_a = wait_usage(a, 30)
    rc_b, ru_b, wall_b = wait_usage(b, 30)
    heard = tone_fraction(tone_tool, out_b)
    return [("caller", ru_a, wall_a), ("callee", ru_b, wall_b)], heard


def tone_fraction(tool, wav):
    r = subprocess.run([tool, "check", "--freq", "700", "--min-fraction", "0", wav],
                       capture_output=True, text=True, timeout=60)
    return r.stdout.strip()


def cpu_per_min(ru, call_s):
    """CPU seconds (user + system, start-up included) per minute of call."""
    return (ru.ru_utime + ru.ru_stime) * 60.0 / call_s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="_build")
    ap.add_argument("--seconds", type=int, default=15, help="latency: length of one run")
    ap.add_argument("--runs", type=int, default=5, help="latency: runs (sessions) per codec; 0: skip the latency part")
    ap.add_argument("--call-seconds", type=int, default=60, help="CPU/RSS call length")
    ap.add_argument("--codecs", default="opus,G722,PCMU,PCMA")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    tool = os.path.join(build, "bench", "trv-bench-latency")
    cli = os.path.join(build, "src", "cli", "traverse-cli")
    tone_tool = os.path.join(build, "tests", "tools", "trv-tone")
    baresip = shutil.which("baresip")
    for p in (tool, cli, tone_tool):
        if not os.path.exists(p):
            sys.exit("missing %s: build first (meson compile -C %s)" % (p, args.build))

    with open("/proc/loadavg") as f:
        print("# load average %s; %d CPUs" % (" ".join(f.read().split()[:3]), os.cpu_count()))
    print("# mouth-to-ear latency on loopback, %d runs of %d s per codec, clicks every 507 ms"
          % (args.runs, args.seconds))
    # Within one session every click has nearly the same delay (the receiver schedules
    # by RTP time from the first packet's arrival), so the spread is between sessions:
    # several runs per codec, the median over runs and each run's median.
    print("%-6s %-4s %9s %9s %8s %8s %8s  %s" % (
        "codec", "aec", "jitter_ms", "pipe_lat", "median", "p90", "clicks", "run medians"))
    # --runs 0: the CPU and memory part only.
    rows = [(c, True) for c in args.codecs.split(",")] + [("opus", False)] if args.runs else []
    for codec, aec in rows:
        runs = []
        for _ in range(args.runs):
            r = latency(tool, codec, args.seconds, aec)
            if not r["same_clock"]:
                sys.exit("pipelines did not share the system clock: %s" % r)
            runs.append(r)
        meds = [r["median_ms"] for r in runs]
        print("%-6s %-4s %9d %9s %8.1f %8.1f %8d  %s" % (
            runs[0]["codec"], "on" if aec else "off", runs[0]["jitter_ms"],
            "/".join(str(r["receiver_pipeline_latency_ms"]) for r in runs),
            statistics.median(meds), max(r["p90_ms"] for r in runs),
            sum(r["clicks"] for r in runs), " ".join("%.1f" % m for m in meds)))
        sys.stdout.flush()
    sys.stdout.flush()

    tmp = tempfile.mkdtemp(prefix="trv-bench-lat-")
    try:
        if args.runs:
            # The echo canceller's share of the aec on/off difference, element alone.
            print("\n# webrtcdsp alone, 48 kHz mono, delay found by cross-correlation (ms)")
            for label, props in (("desktop default (aec+ns+agc)", []),
                                 ("echo cancellation only", ["noise-suppression=false",
                                                            "gain-control=false"]),
                                 ("noise suppression only", ["echo-cancel=false",
                                                            "gain-control=false"])):
                print("%-30s %5.2f" % (label, dsp_delay(tmp, props)))
                sys.stdout.flush()
        subprocess.run([tone_tool, "gen", "--freq", "700", "--seconds",
                        str(args.call_seconds + 30), os.path.join(tmp, "tone.wav")],
                       check=True, capture_output=True)
        print("\n# CPU and memory, one opus call of %d s on 127.0.0.1 (WAV in, WAV out)"
              % args.call_seconds)
        print("%-9s %-7s %8s %12s %9s  %s" % ("stack", "side", "wall_s", "cpu_s/min",
                                              "rss_MiB", "callee heard"))
        results = {}
        stacks = [("traverse", lambda: traverse_call(cli, tone_tool, tmp, args.call_seconds))]
        if shutil.which("gst-launch-1.0"):
            stacks.append(("gst-floor", lambda: gst_floor_call(tone_tool, tmp,
                                                               args.call_seconds)))
        if baresip:
            stacks.append(("baresip", lambda: baresip_call(baresip, tone_tool, tmp,
                                                           args.call_seconds)))
        else:
            print("# baresip not installed: no comparison")
        for name, run in stacks:
            sides, heard = run()
            results[name] = sides
            for side, ru, wall in sides:
                print("%-9s %-7s %8.1f %12.2f %9.1f  %s" % (
                    name, side, wall, cpu_per_min(ru, args.call_seconds), ru.ru_maxrss / 1024.0,
                    heard if side == "callee" else ""))
        def ratio(stack, f):
            """Mean over caller and callee of `stack`, over the same for baresip."""
            t = statistics.mean(f(ru) for _, ru, _ in results[stack])
            b = statistics.mean(f(ru) for _, ru, _ in results["baresip"])
            return t / b if b else float("nan")

        cpu = lambda ru: cpu_per_min(ru, args.call_seconds)
        if "baresip" in results:
            print("\n# ratio traverse / baresip (mean of caller and callee)")
            for label, f in (("cpu_s/min", cpu), ("peak RSS", lambda ru: ru.ru_maxrss)):
                print("%-10s %.2f" % (label, ratio("traverse", f)))
            if "gst-floor" in results:
                print("# gst-floor / baresip cpu_s/min %.2f: the least a GStreamer pipeline doing"
                      " this call costs" % ratio("gst-floor", cpu))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
