# SPDX-License-Identifier: GPL-3.0-or-later
"""Raw SIP INVITEs over UDP from a loopback address, for admission and flood tests.

An INVITE carries a PCMU offer whose media port is a UDP socket nobody reads. Responses
are parsed just enough: status code, To tag, Call-ID, Retry-After.
"""

import socket
import time
import uuid

SDP = ("v=0\r\no=probe 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
       "m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def parse(data):
    """(status, headers dict with lower-case names) of a response; None for a request."""
    text = data.decode("utf-8", "replace")
    head = text.split("\r\n\r\n", 1)[0].split("\r\n")
    if not head or not head[0].startswith("SIP/2.0 "):
        return None
    try:
        status = int(head[0].split()[1])
    except (IndexError, ValueError):
        return None
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    return status, headers


class Prober:
    """A UDP socket on `source_ip` that sends INVITEs to host:port and collects answers."""

    def __init__(self, source_ip, host, port, hold=False):
        self.source_ip = source_ip
        self.hold = hold     # keep answered calls up until hangup_all()
        self.dest = (host, port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((source_ip, 0))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.lport = self.sock.getsockname()[1]
        self.media = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.media.bind((source_ip, 0))
        self.calls = {}      # Call-ID -> {"final": status, "statuses": [...], "headers": ...}

    def close(self):
        self.sock.close()
        self.media.close()

    def _request(self, method, call_id, user, cseq, branch, from_tag, to_tag=None, body="",
                 extra=""):
        host, port = self.dest
        to = "<sip:%s@%s:%d>" % (user, host, port) + (";tag=%s" % to_tag if to_tag else "")
        head = ("%s sip:%s@%s:%d SIP/2.0\r\n"
                "Via: SIP/2.0/UDP %s:%d;branch=%s;rport\r\n"
                "Max-Forwards: 70\r\n"
                "From: <sip:probe@%s>;tag=%s\r\nTo: %s\r\n"
                "Call-ID: %s\r\nCSeq: %d %s\r\n"
                "Contact: <sip:probe@%s:%d>\r\n") % (
                    method, user, host, port, self.source_ip, self.lport, branch,
                    self.source_ip, from_tag, to, call_id, cseq, method,
                    self.source_ip, self.lport)
        if extra:
            head += extra + "\r\n"
        if body:
            head += "Content-Type: application/sdp\r\n"
        head += "Content-Length: %d\r\n\r\n" % len(body.encode())
        raw = (head + body).encode()
        self.sock.sendto(raw, self.dest)
        return raw

    def invite(self, user, extra=""):
        """Sends one INVITE (no retransmission; `extra`: more header lines) and returns its
        Call-ID."""
        call_id = uuid.uuid4().hex
        from_tag = uuid.uuid4().hex[:8]
        body = SDP.format(ip=self.source_ip, port=self.media.getsockname()[1])
        self.calls[call_id] = {"user": user, "from_tag": from_tag, "statuses": [],
                               "final": None, "headers": {}}
        self.calls[call_id]["raw"] = self._request(
            "INVITE", call_id, user, 1, "z9hG4bK" + uuid.uuid4().hex[:16], from_tag, body=body,
            extra=extra)
        return call_id

    def retransmit(self):
        """Sends again, unchanged (same branch), each INVITE that got no response at all,
        as a UAC's timer A would; the number resent."""
        lost = [c for c in self.calls.values() if not c["statuses"]]
        for c in lost:
            self.sock.sendto(c["raw"], self.dest)
        return len(lost)

    def pump(self, timeout):
        """Reads responses for up to `timeout` s (returns earlier once nothing is pending);
        a 2xx is ACKed and, unless holding, the call ended with BYE at once."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(c["final"] is not None for c in self.calls.values()):
                return
            self.sock.settimeout(max(0.01, min(0.2, deadline - time.monotonic())))
            try:
                data, _ = self.sock.recvfrom(65536)
            except socket.timeout:
                continue
            parsed = parse(data)
            if parsed is None:
                continue
            status, headers = parsed
            call = self.calls.get(headers.get("call-id", headers.get("i")))
            if call is None or "INVITE" not in headers.get("cseq", ""):
                continue
            call["statuses"].append(status)
            tag = headers.get("to", "").partition(";tag=")[2].split(";")[0]
            if status < 200 and tag:
                call["early_to_tag"] = tag   # the early dialog's (for Replaces tests)
            if status >= 200 and call["final"] is None:
                call["final"] = status
                call["headers"] = headers
                if status < 300:
                    call["to_tag"] = headers.get("to", "").partition(";tag=")[2].split(";")[0]
                    call["call_id"] = headers.get("call-id")
                    self._in_dialog("ACK", call, 1)
                    if not self.hold:
                        self._in_dialog("BYE", call, 2)

    def _in_dialog(self, method, call, cseq):
        self._request(method, call["call_id"], call["user"], cseq,
                      "z9hG4bK" + uuid.uuid4().hex[:16], call["from_tag"], call["to_tag"])

    def hangup_all(self):
        """BYE to every answered call (when holding them); the number ended."""
        answered = [c for c in self.calls.values() if c.get("to_tag") is not None]
        for c in answered:
            self._in_dialog("BYE", c, 2)
        return len(answered)

    def probe(self, user, timeout=5, extra=""):
        """One INVITE, answered within `timeout`: (final status or None, all statuses)."""
        call_id = self.invite(user, extra)
        self.pump(timeout)
        call = self.calls[call_id]
        return call["final"], call["statuses"]

    def headers(self, call_id=None):
        """The final response's headers of `call_id` (default: the last INVITE sent)."""
        if call_id is None:
            call_id = list(self.calls)[-1]
        return self.calls[call_id]["headers"]

    def finals(self):
        out = {}
        for c in self.calls.values():
            out[c["final"]] = out.get(c["final"], 0) + 1
        return out
