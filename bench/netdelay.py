#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""netdelay: a fixed one-way delay in user space through NFQUEUE (Python 3 stdlib only).

This machine kind's kernel has no sch_netem, but it has nfnetlink_queue. An iptables rule
sends packets to queue N; this program (run inside the namespace with `ip netns exec`)
binds that queue, holds every packet for DELAY ms in arrival order and then accepts it.
With --queue-bypass on the rule, packets pass undelayed while no program is bound, so
killing the delayer never cuts the network.

  netdelay.py queue --num N --delay-ms D     the delayer (prints "netdelay: bound ..." when ready)
  netdelay.py echo-server --bind IP:PORT     UDP echo, for measuring the delay
  netdelay.py ping --to IP:PORT [--count K]  UDP round trips; prints "rtt_ms median min max"

Protocol (linux/netfilter/nfnetlink_queue.h): NETLINK_NETFILTER socket; messages are
nlmsghdr + nfgenmsg(family, version 0, res_id = queue number big-endian) + attributes.
NFQNL_MSG_CONFIG binds the queue (NFQA_CFG_CMD) and sets copy mode meta (NFQA_CFG_PARAMS);
the kernel sends NFQNL_MSG_PACKET with NFQA_PACKET_HDR (packet id first, big-endian);
NFQNL_MSG_VERDICT carries NFQA_VERDICT_HDR (verdict, id) with NF_ACCEPT.
"""

import argparse
import collections
import os
import select
import signal
import socket
import statistics
import struct
import sys
import time

NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
NLMSG_ERROR = 2
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_VERDICT = 1
NFQNL_MSG_CONFIG = 2
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQNL_CFG_CMD_BIND = 1
NFQNL_CFG_CMD_UNBIND = 2
NFQNL_COPY_META = 1
NF_ACCEPT = 1


def _attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, kind) + payload + b"\0" * ((4 - n % 4) % 4)


class Queue:
    def __init__(self, num):
        self.num = num
        self.seq = 0
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        # A burst larger than the buffer must not make recv() fail with ENOBUFS; the
        # kernel drops what does not fit, as a congested link would.
        self.sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
        self.sock.bind((0, 0))

    def _send(self, msg_type, attrs, ack=False):
        self.seq += 1
        body = struct.pack("!BBH", socket.AF_UNSPEC, 0, self.num) + b"".join(attrs)
        flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
        hdr = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type,
                          flags, self.seq, 0)
        self.sock.send(hdr + body)
        if ack:
            self._wait_ack()

    def _wait_ack(self):
        data = self.sock.recv(65536)
        ln, typ = struct.unpack_from("=IH", data, 0)
        if typ == NLMSG_ERROR:
            err = struct.unpack_from("=i", data, 16)[0]
            if err != 0:
                raise OSError(-err, f"nfnetlink_queue config: {os.strerror(-err)}")

    def bind(self, maxlen=8192):
        self._send(NFQNL_MSG_CONFIG, [_attr(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND,
                                                                          0, socket.AF_INET))],
                   ack=True)
        self._send(NFQNL_MSG_CONFIG, [_attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0,
                                                                             NFQNL_COPY_META))],
                   ack=True)
        self._send(NFQNL_MSG_CONFIG, [_attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", maxlen))],
                   ack=True)

    def unbind(self):
        try:
            self._send(NFQNL_MSG_CONFIG, [_attr(NFQA_CFG_CMD, struct.pack(
                "!BBH", NFQNL_CFG_CMD_UNBIND, 0, socket.AF_INET))])
        except OSError:
            pass

    def accept(self, packet_id):
        self._send(NFQNL_MSG_VERDICT, [_attr(NFQA_VERDICT_HDR,
                                             struct.pack("!II", NF_ACCEPT, packet_id))])

    def read_ids(self):
        """Packet ids of the NFQNL_MSG_PACKET messages in one datagram."""
        data = self.sock.recv(1 << 16)
        ids = []
        off = 0
        while off + 16 <= len(data):
            ln, typ = struct.unpack_from("=IH", data, off)
            if ln < 16:
                break
            if typ == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                a = off + 20   # nlmsghdr (16) + nfgenmsg (4)
                while a + 4 <= off + ln:
                    alen, akind = struct.unpack_from("=HH", data, a)
                    if alen < 4:
                        break
                    if (akind & 0x7fff) == NFQA_PACKET_HDR:
                        ids.append(struct.unpack_from("!I", data, a + 4)[0])
                        break
                    a += (alen + 3) & ~3
            off += (ln + 3) & ~3
        return ids


def run_queue(num, delay_ms):
    q = Queue(num)
    q.bind()
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    print(f"netdelay: bound queue {num}, holding packets {delay_ms} ms", flush=True)
    delay = delay_ms / 1000.0
    held = collections.deque()   # (release time, id): constant delay keeps arrival order
    count = 0
    while not stop:
        now = time.monotonic()
        while held and held[0][0] <= now:
            q.accept(held.popleft()[1])
            count += 1
        timeout = max(0.0, held[0][0] - now) if held else 0.5
        try:
            ready, _, _ = select.select([q.sock], [], [], timeout)
        except InterruptedError:
            continue
        if ready:
            t = time.monotonic() + delay
            for pid in q.read_ids():
                held.append((t, pid))
    # Let what is held go now rather than drop it.
    while held:
        q.accept(held.popleft()[1])
    q.unbind()
    print(f"netdelay: queue {num} done, {count} packets delayed", flush=True)


def _addr(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def run_echo(bind):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(_addr(bind))
    print(f"netdelay: echo on {bind}", flush=True)
    deadline = time.monotonic() + 600   # bounded even if nobody kills it
    while time.monotonic() < deadline:
        s.settimeout(1.0)
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        s.sendto(data, peer)


def run_ping(to, count, interval):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    dest = _addr(to)
    rtts = []
    for i in range(count):
        token = struct.pack("!Id", i, time.monotonic())
        t0 = time.monotonic()
        s.sendto(token, dest)
        try:
            while True:
                data, _ = s.recvfrom(2048)
                if data == token:
                    rtts.append((time.monotonic() - t0) * 1000.0)
                    break
        except socket.timeout:
            pass
        time.sleep(interval)
    if not rtts:
        print("rtt_ms none", flush=True)
        return 1
    print(f"rtt_ms {statistics.median(rtts):.2f} {min(rtts):.2f} {max(rtts):.2f} "
          f"{len(rtts)}/{count}", flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("queue")
    p.add_argument("--num", type=int, required=True)
    p.add_argument("--delay-ms", type=float, required=True)
    p = sub.add_parser("echo-server")
    p.add_argument("--bind", required=True)
    p = sub.add_parser("ping")
    p.add_argument("--to", required=True)
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--interval", type=float, default=0.05)
    a = ap.parse_args()
    if a.cmd == "queue":
        if not 0 <= a.num <= 65535 or not 0 <= a.delay_ms <= 10000:
            ap.error("--num must be 0..65535 and --delay-ms 0..10000")
        run_queue(a.num, a.delay_ms)
        return 0
    if a.cmd == "echo-server":
        run_echo(a.bind)
        return 0
    return run_ping(a.to, max(1, min(a.count, 1000)), a.interval)


if __name__ == "__main__":
    sys.exit(main())
