# SPDX-License-Identifier: GPL-3.0-or-later
"""A SIP-aware UDP relay on 127.0.0.1 that impairs the RTP between two SIP peers.

Why a relay and not tc netem: the kernels this suite runs on may lack sch_netem
("tc qdisc add ... netem" fails with "Specified qdisc kind is unknown"), and a relay
needs no root. It does what netem would do to the media, seeded so that runs repeat:

  * SIP (UDP): the caller dials the relay's SIP port; requests go on to the callee with
    the relay's Via on top (stripped again from responses, as a stateless proxy does).
    SDP bodies are rewritten so each side sends its RTP to a relay socket: c= becomes
    127.0.0.1, m=audio the relay port, a=rtcp lines are dropped (rtcp-mux carries
    RTCP on the RTP port). In-dialog requests (ACK, BYE) go end to end, as Contact says.
  * RTP/RTCP: each packet is dropped with probability `loss`, else delivered after
    `delay` +- `jitter` ms (uniform, independently per packet, so packets reorder --
    netem "delay D J loss L%" does the same).

Two sockets per call keep the path symmetric for latching peers: `to_caller` is the
address the callee sends to and the one the caller receives from; `to_callee` the
other way round.
"""

import heapq
import random
import re
import selectors
import socket
import threading
import time

HOST = "127.0.0.1"


class MediaLeg:
    def __init__(self):
        # Faces the callee: advertised in the caller's SDP (callee sends here), and the
        # source of what the callee receives.
        self.callee_side = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.callee_side.bind((HOST, 0))
        # Faces the caller: advertised in the callee's SDP.
        self.caller_side = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.caller_side.bind((HOST, 0))
        self.caller_addr = None   # caller's RTP address (from its SDP)
        self.callee_addr = None

    def close(self):
        self.callee_side.close()
        self.caller_side.close()


class ImpairRelay:
    def __init__(self, callee_sip, loss=0.10, delay_ms=40.0, jitter_ms=30.0, seed=1):
        self.callee_sip = callee_sip
        self.loss = loss
        self.delay = delay_ms / 1000.0
        self.jitter = jitter_ms / 1000.0
        self.rng = random.Random(seed)
        self.sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip.bind((HOST, 0))
        self.sip_port = self.sip.getsockname()[1]
        self.legs = {}            # Call-ID -> MediaLeg
        self.caller_sip = None
        self.queue = []           # (due, seq, sock, data, addr)
        self.seq = 0
        self.stats = {"rtp_in": 0, "dropped": 0, "forwarded": 0, "sip": 0,
                      "to_caller": 0, "to_callee": 0}
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.sip, selectors.EVENT_READ, ("sip", None))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._lock = threading.Lock()

    # --- SIP ---------------------------------------------------------------------------

    @staticmethod
    def _split(msg):
        head, sep, body = msg.partition(b"\r\n\r\n")
        return head.decode("utf-8", "replace").split("\r\n"), body

    @staticmethod
    def _join(lines, body):
        out = []
        for line in lines:
            name = line.split(":", 1)[0].strip().lower()
            if name in ("content-length", "l"):
                line = "Content-Length: %d" % len(body)
            out.append(line)
        return ("\r\n".join(out) + "\r\n\r\n").encode() + body

    @staticmethod
    def _header(lines, *names):
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() in names:
                return value.strip()
        return None

    def _rewrite_sdp(self, body, port, store):
        """Points the SDP's media at the relay; returns (body, (addr, port)) of the original."""
        text = body.decode("utf-8", "replace")
        addr = re.search(r"^c=IN IP4 (\S+)", text, re.M)
        media = re.search(r"^m=audio (\d+)", text, re.M)
        if not addr or not media:
            return body, None
        orig = (addr.group(1), int(media.group(1)))
        text = re.sub(r"^c=IN IP4 \S+", "c=IN IP4 " + HOST, text, flags=re.M)
        text = re.sub(r"^m=audio \d+", "m=audio %d" % port, text, flags=re.M)
        text = re.sub(r"^a=rtcp:[^\r\n]*\r?\n", "", text, flags=re.M)
        text = re.sub(r"^o=(\S+ \S+ \S+ IN IP4) \S+", r"o=\1 " + HOST, text, flags=re.M)
        store(orig)
        return text.encode(), orig

    def _leg(self, call_id):
        leg = self.legs.get(call_id)
        if leg is None:
            leg = self.legs[call_id] = MediaLeg()
            self.sel.register(leg.callee_side, selectors.EVENT_READ, ("from-callee", leg))
            self.sel.register(leg.caller_side, selectors.EVENT_READ, ("from-caller", leg))
        return leg

    def _on_sip(self, data, src):
        self.stats["sip"] += 1
        lines, body = self._split(data)
        if not lines or not lines[0]:
            return
        call_id = self._header(lines, "call-id", "i")
        is_response = lines[0].startswith("SIP/2.0")
        leg = self._leg(call_id) if call_id else None
        if is_response:
            # Our Via is the first one: strip it, the caller's is next.
            for i, line in enumerate(lines[1:], 1):
                if line.split(":", 1)[0].strip().lower() in ("via", "v"):
                    del lines[i]
                    break
            if body and leg:
                body, _ = self._rewrite_sdp(body, leg.caller_side.getsockname()[1],
                                            lambda a: setattr(leg, "callee_addr", a))
            if self.caller_sip:
                self.sip.sendto(self._join(lines, body), self.caller_sip)
            return
        self.caller_sip = src
        branch = "z9hG4bKrelay%08x" % (hash((call_id, lines[0], self._header(lines, "cseq")))
                                       & 0xffffffff)
        lines.insert(1, "Via: SIP/2.0/UDP %s:%d;rport;branch=%s" % (HOST, self.sip_port, branch))
        if body and leg:
            body, _ = self._rewrite_sdp(body, leg.callee_side.getsockname()[1],
                                        lambda a: setattr(leg, "caller_addr", a))
        self.sip.sendto(self._join(lines, body), self.callee_sip)

    # --- media -------------------------------------------------------------------------

    def _on_media(self, kind, leg, data):
        self.stats["rtp_in"] += 1
        if kind == "from-callee":
            out, dest, count = leg.caller_side, leg.caller_addr, "to_caller"
        else:
            out, dest, count = leg.callee_side, leg.callee_addr, "to_callee"
        if dest is None:
            return
        if self.rng.random() < self.loss:
            self.stats["dropped"] += 1
            return
        delay = max(0.0, self.delay + self.rng.uniform(-self.jitter, self.jitter))
        self.seq += 1
        heapq.heappush(self.queue, (time.monotonic() + delay, self.seq, out, data, dest, count))

    def _run(self):
        while not self._stop.is_set():
            now = time.monotonic()
            while self.queue and self.queue[0][0] <= now:
                _, _, sock, data, dest, count = heapq.heappop(self.queue)
                try:
                    sock.sendto(data, dest)
                    self.stats["forwarded"] += 1
                    self.stats[count] += 1
                except OSError:
                    pass
            timeout = 0.05
            if self.queue:
                timeout = min(timeout, max(0.0, self.queue[0][0] - time.monotonic()))
            for key, _ in self.sel.select(timeout):
                kind, leg = key.data
                try:
                    data, src = key.fileobj.recvfrom(65535)
                except OSError:
                    continue
                if kind == "sip":
                    self._on_sip(data, src)
                else:
                    self._on_media(kind, leg, data)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(2)
        for leg in self.legs.values():
            leg.close()
        self.sip.close()
        self.sel.close()
