# SPDX-License-Identifier: GPL-3.0-or-later
"""The torture cases: each is one request (or stray response) with the answer it must get.

Tokens in raw messages: @V@ our Via value (transport, host:port, fresh branch, rport),
@H@ the victim's host:port, @CID@ the Call-ID, @TAG@ our From tag, @N@ the CSeq number,
@CT@ our Contact, @LEN@ the length of the body after the blank line. Content-Length is
what a case says it is: wrong ones are the point of some cases."""

import uuid

HOST = "127.0.0.1"


class Context:
    def __init__(self, transport, lport, rport):
        self.transport = transport
        self.lport = lport
        self.rport = rport
        self.call_id = "torture-%s" % uuid.uuid4().hex
        self.tag = uuid.uuid4().hex[:10]
        self.cseq = 17
        t = ";transport=tcp" if transport == "tcp" else ""
        self.contact = "<sip:torture@%s:%d%s>" % (HOST, lport, t)

    def via(self):
        return "SIP/2.0/%s %s:%d;branch=z9hG4bK%s;rport" % (
            self.transport.upper(), HOST, self.lport, uuid.uuid4().hex[:16])

    def hostport(self):
        return "%s:%d" % (HOST, self.rport)

    def fill(self, text, body=b""):
        for token, value in (("@V@", self.via()), ("@H@", self.hostport()),
                             ("@CID@", self.call_id), ("@TAG@", self.tag),
                             ("@N@", str(self.cseq)), ("@CT@", self.contact),
                             ("@LEN@", str(len(body))), ("@T@", self.transport.upper()),
                             ("@P@", str(self.lport))):
            text = text.replace(token, value)
        return text


def sdp(c="IN IP4 127.0.0.1", port="9", proto="RTP/AVP", fmts="0 8", extra=(), o_addr=None):
    """An offer; `extra` lines go at the end of the audio section."""
    o = o_addr or (c.split()[-1] if c else HOST)
    lines = ["v=0", "o=torture 53655765 2353687637 IN IP4 %s" % o, "s=-"]
    if c is not None:
        lines.append("c=%s" % c)
    lines += ["t=0 0", "m=audio %s %s %s" % (port, proto, fmts),
              "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000"]
    lines += list(extra)
    return ("\r\n".join(lines) + "\r\n").encode()


GOOD_SDP = sdp()


class Case:
    """One message and the final answer it must get (a code, a tuple of codes, or None
    for "no answer"). `then`: in-dialog requests after a 200 and their answers, as
    (method, body builder or None, Content-Type, expected status). `ack`: the SDP the ACK
    to a 200 carries (the answer when the INVITE had no offer)."""

    def __init__(self, name, what, expect, build, method="INVITE", transports=("udp", "tcp"),
                 then=(), headers=None, ruri=None, todo=None, loose=False, ack=None):
        self.name = name
        self.ack = ack
        self.what = what
        self.expect = expect
        self.build = build
        self.method = method
        self.transports = transports
        self.then = list(then)
        self.headers = headers or {}
        self._ruri = ruri
        self.todo = todo      # a known failure below Traverse, reported as TAP TODO
        # Any final answer counts, not only one with our Call-ID and CSeq number: for
        # messages whose Call-ID or CSeq is the broken part.
        self.loose = loose

    def expect_set(self):
        return set(self.expect) if isinstance(self.expect, tuple) else {self.expect}

    def expect_text(self):
        if self.expect is None:
            return "no answer"
        if isinstance(self.expect, tuple):
            return " or ".join("no answer" if e is None else str(e) for e in self.expect)
        return str(self.expect)

    def ruri(self, ctx):
        return self._ruri(ctx) if self._ruri else "sip:bob@%s" % ctx.hostport()


def request(method="INVITE", body=GOOD_SDP, ctype="application/sdp", ruri=None, headers=(),
            length=None, to=None, extra_vias=()):
    """A builder for a well-formed request with the given oddities."""
    def build(ctx):
        uri = ruri(ctx) if callable(ruri) else (ruri or "sip:bob@%s" % ctx.hostport())
        b = body(ctx) if callable(body) else body
        lines = ["%s %s SIP/2.0" % (method, uri), "Via: %s" % ctx.via()]
        lines += ["Via: %s" % v for v in extra_vias]
        lines += ["Max-Forwards: 70",
                  "From: \"Torture\" <sip:torture@%s>;tag=%s" % (HOST, ctx.tag),
                  "To: %s" % (to or "<sip:bob@%s>" % ctx.hostport()),
                  "Call-ID: %s" % ctx.call_id,
                  "CSeq: %d %s" % (ctx.cseq, method.split()[0] if method else method),
                  "Contact: %s" % ctx.contact]
        lines += [ctx.fill(h) for h in headers]
        if b and ctype:
            lines.append("Content-Type: %s" % ctype)
        lines.append("Content-Length: %s" % (len(b) if length is None else length))
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + b
    return build


def raw(text, body=b""):
    def build(ctx):
        return ctx.fill(text, body).encode("utf-8") + body
    return build


def multipart(parts, boundary="unique-boundary-1"):
    out = b""
    for ctype, data in parts:
        out += b"--" + boundary.encode() + b"\r\nContent-Type: " + ctype.encode() + b"\r\n\r\n"
        out += data + b"\r\n"
    return out + b"--" + boundary.encode() + b"--\r\n"


def many_payload_types(n):
    fmts = " ".join(str(96 + i % 32) for i in range(n)) + " 0"
    return sdp(fmts=fmts, extra=["a=rtpmap:%d X%d/8000" % (96 + i % 32, i) for i in range(n)])


def many_candidates(n):
    extra = ["a=ice-ufrag:abcd", "a=ice-pwd:0123456789012345678901"]
    extra += ["a=candidate:%d 1 UDP %d 10.%d.%d.%d %d typ host" % (
        i, 2130706431 - i, i // 65536 % 256, i // 256 % 256, i % 256, 10000 + i)
        for i in range(n)]
    return sdp(extra=extra)


def reinvite(body):
    return ("INVITE", lambda ctx: body, "application/sdp", 488)


# RFC 4475 3.1.1.1 wsinv: line folding, odd whitespace, an in-dialog INVITE (To tag) for a
# dialog that does not exist here.
WSINV = ("INVITE sip:vivekg@@H@;unknownparam SIP/2.0\r\n"
         "TO :\r\n sip:vivekg@@H@ ;   tag    = 1918181833n\r\n"
         "from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n"
         "  tag = 98asjd8\r\n"
         "MaX-fOrWaRdS: 0068\r\n"
         "Call-ID\r\n \t: @CID@\r\n"
         "Content-Length   : @LEN@\r\n"
         "cseq: 00@N@\r\n  INVITE\r\n"
         "Via  : @V@\r\n"
         "s :\r\n"
         "NewFangledHeader:   newfangled value\r\n continued newfangled value\r\n"
         "UnknownHeaderWithUnusualValue: ;;,,;;,;\r\n"
         "Content-Type: application/sdp\r\n"
         "Route:\r\n <sip:services.example.com;lr;unknownwith=value;unknown-no-value>\r\n"
         "v:  SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8  ,\r\n"
         " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239\r\n"
         "m:\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n"
         "      newvalue ;\r\n  secondparam ; q = 0.33\r\n\r\n")

INTMETH = ("!interesting-Method0123456789_*+`.%indeed'~ "
           "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
           "(doesn't-it)@@H@ SIP/2.0\r\n"
           "Via: @V@\r\n"
           "To: \"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f\" "
           "<sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@@H@>\r\n"
           "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;"
           "fromParam''~+*_!.-%=\"\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd1\x8e\xd1\x89"
           "\xd0\xb8\xd0\xb9\";tag=_token~1'+`*%!-.\r\n"
           "Call-ID: intmeth.word%ZK-!.*_+'@@CID@`~)(><:\\/\"][?}{\r\n"
           "CSeq: @N@ !interesting-Method0123456789_*+`.%indeed'~\r\n"
           "Max-Forwards: 255\r\n"
           "extensionHeader-!.%*+_`'~:\xef\xbb\xbf\xe5\xa4\xa7\xe5\x81\x9c\xe9\x9b\xbb\r\n"
           "Content-Length: 0\r\n\r\n")

ESCNULL = ("REGISTER sip:@H@ SIP/2.0\r\n"
           "To: sip:null-%00-null@example.com\r\n"
           "From: sip:null-%00-null@example.com;tag=839923423\r\n"
           "Max-Forwards: 70\r\nCall-ID: @CID@\r\nCSeq: @N@ REGISTER\r\nVia: @V@\r\n"
           "Contact: <sip:%00@host5.example.com>\r\nContact: <sip:%00%00@host4.example.com>\r\n"
           "L:0\r\n\r\n")

DBLREQ = ("REGISTER sip:@H@ SIP/2.0\r\n"
          "To: sip:j.user@example.com\r\nFrom: sip:j.user@example.com;tag=43251j3j324\r\n"
          "Max-Forwards: 8\r\nI: @CID@\r\nContact: sip:j.user@host.example.com\r\n"
          "CSeq: @N@ REGISTER\r\nVia: @V@\r\nContent-Length: 0\r\n\r\n"
          "INVITE sip:joe@example.com SIP/2.0\r\nt: sip:joe@example.com\r\n"
          "From: sip:caller@example.net;tag=141334\r\nMax-Forwards: 8\r\n"
          "Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15\r\nCSeq: 8 INVITE\r\n"
          "Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234\r\n"
          "Content-Type: application/sdp\r\nContent-Length: 0\r\n\r\n")

HEAD = ("Via: @V@\r\nMax-Forwards: 70\r\nFrom: <sip:torture@127.0.0.1>;tag=@TAG@\r\n"
        "To: <sip:bob@@H@>\r\nCall-ID: @CID@\r\nContact: @CT@\r\n")


def raw_invite(first_line, extra="", body=GOOD_SDP, length="@LEN@", method="INVITE"):
    return raw(first_line + "\r\n" + HEAD + "CSeq: @N@ %s\r\n" % method + extra +
               "Content-Type: application/sdp\r\nContent-Length: %s\r\n\r\n" % length, body)


def ruri_at(user_part, params=""):
    return lambda ctx: "sip:%s@%s%s" % (user_part, ctx.hostport(), params)


UDP = ("udp",)

CASES = [
    # --- RFC 4475 3.1.1: valid messages ----------------------------------------------
    Case("wsinv", "tortuous whitespace and folding, To tag of no dialog", 481,
         raw(WSINV, GOOD_SDP)),
    Case("intmeth", "unknown method of odd token characters", 501, raw(INTMETH),
         method="!interesting",
         todo="sofia-sip 1.12.11 drops a method with '`' or '.' before Traverse sees it"),
    Case("esc01", "escaped characters in the Request-URI user part", 200,
         request(ruri=ruri_at("sips%3Auser%40example.com"))),
    Case("escnull", "REGISTER with escaped NULs (a phone does not register others)", 405,
         raw(ESCNULL), method="REGISTER", headers={"Allow": "INVITE"}),
    Case("esc02", "RE%47IST%45R: an unknown method, not REGISTER", 501,
         request(method="RE%47IST%45R", body=b""), method="RE%47IST%45R"),
    Case("lwsdisp", "no LWS between display name and <", 200,
         raw("OPTIONS sip:bob@@H@ SIP/2.0\r\nVia: @V@\r\nMax-Forwards: 70\r\n"
             "From: caller<sip:caller@example.com>;tag=323\r\nTo: <sip:bob@@H@>\r\n"
             "Call-ID: @CID@\r\nCSeq: @N@ OPTIONS\r\nl: 0\r\n\r\n"), method="OPTIONS"),
    Case("longreq", "very long header values and many Via parameters", 200,
         request(headers=["X-Long-" + "Long" * 50 + "-Name: " + "value" * 2000,
                          "Subject: " + "subject " * 1000],
                 extra_vias=["SIP/2.0/TCP sip33.example.com;" + ";".join(
                     "p%d=%s" % (i, "v" * 40) for i in range(200))])),
    Case("dblreq", "a REGISTER followed by an INVITE in one datagram", 405, raw(DBLREQ),
         method="REGISTER", transports=UDP),
    Case("semiuri", "semicolons in the user part of the Request-URI", 200,
         request(method="OPTIONS", body=b"", ruri=ruri_at("user;par=u%40example.net")),
         method="OPTIONS"),
    Case("transports", "Vias of unknown and varied transports", 200,
         request(method="OPTIONS", body=b"", extra_vias=[
             "SIP/2.0/SCTP t1.example.com;branch=z9hG4bKkdjuw",
             "SIP/2.0/TLS t2.example.com;branch=z9hG4bKkdjuw",
             "SIP/2.0/UNKNOWN t3.example.com;branch=z9hG4bKkdjuw",
             "SIP/2.0/TCP t4.example.com;branch=z9hG4bKkdjuw"]), method="OPTIONS"),
    Case("mpart01", "multipart/mixed body with an application/sdp part", 200,
         request(ctype="multipart/mixed;boundary=unique-boundary-1",
                 body=multipart([("text/plain", b"not SDP"),
                                 ("application/sdp", GOOD_SDP)]))),
    Case("mpart-signed", "multipart/signed with SDP and a signature", 200,
         request(ctype="multipart/signed;protocol=\"application/pkcs7-signature\";"
                       "micalg=sha1;boundary=unique-boundary-1",
                 body=multipart([("application/sdp", GOOD_SDP),
                                 ("application/pkcs7-signature", bytes(range(256)))]))),
    Case("unreason", "a stray 200 with a non-ASCII reason phrase", None,
         raw("SIP/2.0 200 = 2**3 * 5**2 \xd0\xbd\xd0\xbe \xd1\x81\xd1\x82\xd0\xbe\r\n"
             "Via: @V@\r\nCall-ID: @CID@\r\nCSeq: @N@ INVITE\r\n"
             "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\n"
             "Content-Length: 0\r\n\r\n"), method="response"),
    Case("noreason", "a stray 100 without reason phrase", None,
         raw("SIP/2.0 100 \r\nVia: @V@\r\nCall-ID: @CID@\r\nCSeq: @N@ INVITE\r\n"
             "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n"
             "Content-Length: 0\r\n\r\n"), method="response"),
    Case("inv2543", "RFC 2543 style INVITE without branch or tags", 200,
         raw("INVITE sip:bob@@H@ SIP/2.0\r\nVia: SIP/2.0/@T@ 127.0.0.1:@P@\r\n"
             "Max-Forwards: 70\r\nFrom: <sip:torture@127.0.0.1>;tag=@TAG@\r\n"
             "To: sip:bob@@H@\r\nCall-ID: @CID@\r\nCSeq: @N@ INVITE\r\nContact: @CT@\r\n"
             "Content-Type: application/sdp\r\nContent-Length: @LEN@\r\n\r\n", GOOD_SDP)),

    # --- RFC 4475 3.1.2: invalid messages ----------------------------------------------
    Case("badinv01", "extraneous header field separators", 400,
         raw_invite("INVITE sip:bob@@H@ SIP/2.0",
                    "Subject: ;;,,;\r\nX: ;,;,\r\nSupported: ;;,foo,,\r\n")),
    Case("clerr", "Content-Length larger than the datagram", 400,
         raw_invite("INVITE sip:bob@@H@ SIP/2.0", length="9999"), transports=UDP),
    Case("ncl", "negative Content-Length", 400,
         raw_invite("INVITE sip:bob@@H@ SIP/2.0", length="-999")),
    Case("scalar02", "CSeq above 2**32-1", 400, loose=True,
         build=raw("INVITE sip:bob@@H@ SIP/2.0\r\n" + HEAD + "CSeq: 36893488147419103232 INVITE\r\n"
             "Content-Type: application/sdp\r\nContent-Length: @LEN@\r\n\r\n", GOOD_SDP)),
    Case("quotbal", "unterminated quoted string in a display name", 400,
         raw("INVITE sip:bob@@H@ SIP/2.0\r\nVia: @V@\r\nMax-Forwards: 70\r\n"
             "From: \"Bell, Alexander <sip:a.g.bell@example.com>;tag=43\r\n"
             "To: \"Watson, Thomas\" <sip:bob@@H@>\r\nCall-ID: @CID@\r\nCSeq: @N@ INVITE\r\n"
             "Contact: @CT@\r\nContent-Type: application/sdp\r\nContent-Length: @LEN@\r\n\r\n",
             GOOD_SDP)),
    Case("ltgtruri", "Request-URI enclosed in <>", 400,
         raw_invite("INVITE <sip:bob@@H@> SIP/2.0")),
    Case("lwsruri", "whitespace inside the Request-URI (unreadable Request-Line: dropped)", None,
         raw_invite("INVITE sip:bob@@H@ ;lr=yes SIP/2.0")),
    Case("escruri", "escaped headers in the Request-URI", 400,
         raw_invite("INVITE sip:bob@@H@?Route=%3Csip:example.com%3E SIP/2.0")),
    Case("badvers", "SIP/7.0", 505, raw_invite("OPTIONS sip:bob@@H@ SIP/7.0", method="OPTIONS"),
         method="OPTIONS"),
    Case("mismatch01", "CSeq method differs from the request method", 400,
         raw("OPTIONS sip:bob@@H@ SIP/2.0\r\n" + HEAD + "CSeq: @N@ INVITE\r\n"
             "Content-Length: 0\r\n\r\n"), method="OPTIONS"),
    Case("insuf", "no Call-ID, From or To", 400, loose=True,
         build=raw("INVITE sip:bob@@H@ SIP/2.0\r\nVia: @V@\r\nCSeq: @N@ INVITE\r\n"
             "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")),
    Case("mcl01", "two Content-Length values", 400,
         raw("OPTIONS sip:bob@@H@ SIP/2.0\r\n" + HEAD + "CSeq: @N@ OPTIONS\r\n"
             "Content-Length: 0\r\nContent-Length: 5\r\n\r\n"), method="OPTIONS"),

    # --- RFC 4475 3.3: application-layer semantics ---------------------------------------
    Case("unkscm", "unknown Request-URI scheme", 416,
         raw_invite("OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0",
                    method="OPTIONS"), method="OPTIONS"),
    Case("bext01", "Require of an unknown extension", 420,
         request(headers=["Require: nothingSupportedHere, nothingHereEither"]),
         headers={"Unsupported": "nothingSupportedHere"}),
    Case("invut", "INVITE with an unknown Content-Type", 415,
         request(ctype="application/unknownformat", body=b"<audio> <pcmu port=\"443\"/> </audio>"),
         headers={"Accept": "application/sdp"}),
    Case("sdp01", "Accept without application/sdp", 406,
         request(headers=["Accept: text/nobodyKnowsThis"])),
    Case("zeromf", "OPTIONS with Max-Forwards 0", 200,
         raw("OPTIONS sip:bob@@H@ SIP/2.0\r\nVia: @V@\r\nMax-Forwards: 0\r\n"
             "From: <sip:torture@127.0.0.1>;tag=@TAG@\r\nTo: <sip:bob@@H@>\r\n"
             "Call-ID: @CID@\r\nCSeq: @N@ OPTIONS\r\nContent-Length: 0\r\n\r\n"),
         method="OPTIONS"),
    Case("regaux", "REGISTER to a phone", 405,
         request(method="REGISTER", body=b"", ruri=lambda ctx: "sip:%s" % ctx.hostport()),
         method="REGISTER"),

    # --- RFC 5118: IPv6 in SIP ---------------------------------------------------------
    Case("ipv6-good", "IPv6 reference in Request-URI, To and Contact", 200,
         request(method="OPTIONS", body=b"", ruri="sip:[2001:db8::10]",
                 to="<sip:[2001:db8::10]>"), method="OPTIONS"),
    Case("ipv6-bad", "IPv6 address without brackets in the Request-URI (unreadable: dropped)", None,
         raw("OPTIONS sip:user@2001:db8::10 SIP/2.0\r\n" + HEAD + "CSeq: @N@ OPTIONS\r\n"
             "Content-Length: 0\r\n\r\n"), method="OPTIONS"),
    Case("port-ambiguous", "IPv6 reference ending in what looks like a port", 200,
         request(method="OPTIONS", body=b"", ruri="sip:user@[2001:db8::10:5070]"),
         method="OPTIONS"),
    Case("mult-ip-in-header", "IPv4 and IPv6 Vias and Contacts", 200,
         request(method="OPTIONS", body=b"", extra_vias=[
             "SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111",
             "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKjhja8781hjuaij65144"]), method="OPTIONS"),
    Case("ipv6-in-ip4", "c=IN IP4 with an IPv6 address", 488,
         request(body=sdp(c="IN IP4 2001:db8::10", o_addr="192.0.2.1"))),
    Case("ipv6-media", "IPv6 media address, our media socket is IPv4", 488,
         request(body=sdp(c="IN IP6 2001:db8::10")), headers={"Warning": "IPv6"}),

    # --- hostile SDP ---------------------------------------------------------------------
    Case("sdp-no-c", "no c= line", 400, request(body=sdp(c=None))),
    Case("sdp-bogus-c", "c= that is not an address", 400,
         request(body=sdp(c="IN IP4 not.an.address"))),
    Case("sdp-broadcast", "c= broadcast 255.255.255.255", 488,
         request(body=sdp(c="IN IP4 255.255.255.255")), headers={"Warning": "broadcast"}),
    Case("sdp-multicast", "c= multicast 224.2.1.1", 488,
         request(body=sdp(c="IN IP4 224.2.1.1/127")), headers={"Warning": "multicast"}),
    Case("sdp-multicast6", "c= IPv6 multicast ff0e::101", 488,
         request(body=sdp(c="IN IP6 ff0e::101"))),
    Case("sdp-any-sendrecv", "c=0.0.0.0 with a=sendrecv: not a hold", 488,
         request(body=sdp(c="IN IP4 0.0.0.0", extra=["a=sendrecv"]))),
    Case("sdp-any-hold", "c=0.0.0.0 without direction: an RFC 2543 hold", 200,
         request(body=sdp(c="IN IP4 0.0.0.0"))),
    Case("sdp-port0", "m=audio with port 0", 400, request(body=sdp(port="0"))),
    Case("sdp-port-range", "m=audio with port 70000", 400,
         request(body=sdp(port="70000"))),
    Case("sdp-port-neg", "m=audio with port -1", 400, request(body=sdp(port="-1"))),
    Case("sdp-300-pts", "300 payload types", 200, request(body=many_payload_types(300))),
    Case("sdp-500-candidates", "500 ICE candidates", 200, request(body=many_candidates(500))),
    Case("sdp-huge", "a 60 kB body", 200,
         request(body=sdp(extra=["a=x-filler:" + "x" * 1000] * 60)), transports=("tcp",)),
    Case("sdp-huge-udp", "a 30 kB body in one datagram", 200,
         request(body=sdp(extra=["a=x-filler:" + "x" * 1000] * 30)), transports=UDP),
    Case("sdp-bad-candidate", "malformed a=candidate lines", 200,
         request(body=sdp(extra=["a=ice-ufrag:abcd", "a=ice-pwd:0123456789012345678901",
                                 "a=candidate:1 1", "a=candidate:", "a=candidate:x y z w v u t",
                                 "a=candidate:1 1 TCP 1 1.2.3.4 5 typ host"]))),
    Case("sdp-ice-half", "a=ice-ufrag without a=ice-pwd", 400,
         request(body=sdp(extra=["a=ice-ufrag:abcd"]))),
    Case("sdp-ice-garbage", "a=ice-* with garbage values", 200,
         request(body=sdp(extra=["a=ice-ufrag:\x01\x02", "a=ice-pwd:" + "\xff" * 5,
                                 "a=ice-options:" + "z" * 500, "a=ice-lite"]))),
    Case("sdp-bad-crypto", "RTP/SAVP with a malformed a=crypto", 488,
         request(body=sdp(proto="RTP/SAVP", extra=["a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:",
                                                    "a=crypto:x y"]))),
    Case("sdp-crypto-avp", "RTP/AVP with junk a=crypto (SRTP off): plain RTP", 200,
         request(body=sdp(extra=["a=crypto:99999999999 NO_SUCH_SUITE inline:%%%%"]))),
    Case("sdp-bad-fmtp", "garbage a=fmtp, a=ptime, a=maxptime", 200,
         request(body=sdp(extra=["a=fmtp:0 " + ";" * 300, "a=fmtp:", "a=fmtp:999 x=y",
                                 "a=ptime:-5", "a=maxptime:99999999999999"]))),
    Case("sdp-bad-rtpmap", "a=rtpmap for an offered payload type that cannot be read", 400,
         request(body=sdp(extra=["a=rtpmap:8", "a=rtpmap:abc def/ghi"])),
         headers={"Warning": "a=rtpmap"}),
    Case("sdp-nul", "NUL bytes inside the SDP", 400,
         request(body=GOOD_SDP[:40] + b"\x00\x00" + GOOD_SDP[40:] + b"a=x:\x00\r\n")),
    Case("sdp-short-length", "Content-Length shorter than the body", 400,
         request(length=20), transports=UDP),
    Case("sdp-long-length", "Content-Length longer than the body", 400,
         request(length=len(GOOD_SDP) + 500), transports=UDP),
    Case("sdp-text-plain", "text/plain body holding SDP", 415, request(ctype="text/plain"),
         headers={"Accept": "application/sdp"}),
    Case("sdp-multipart-nosdp", "multipart/mixed without SDP", 415,
         request(ctype="multipart/mixed;boundary=unique-boundary-1",
                 body=multipart([("text/plain", b"hello")]))),
    Case("sdp-not-sdp", "application/sdp that is not SDP", 400,
         request(body=b"\xff\xfe garbage \x01\x02\r\n" * 20)),
    Case("sdp-video-only", "no audio stream", 400,
         request(body=sdp(extra=[]).replace(b"m=audio", b"m=video"))),
    # Our offer goes in the 200, the answer in the ACK (RFC 3264): PBXs do this.
    Case("no-offer", "INVITE without a body: offer in the 200", 200, request(body=b""),
         ack=GOOD_SDP),

    # --- re-INVITEs in a dialog that keeps its media ---------------------------------
    Case("reinvite-broadcast", "re-INVITE to broadcast gets 488, the call goes on", 200,
         request(), then=[reinvite(sdp(c="IN IP4 255.255.255.255")),
                          ("INVITE", lambda ctx: GOOD_SDP, "text/plain", 415),
                          reinvite(sdp(c="IN IP6 2001:db8::1")),
                          ("INFO", lambda ctx: b"Signal=5\r\nDuration=160\r\n",
                           "application/dtmf-relay", 200),
                          # REFER in a call is a blind transfer (RFC 5589) now: one
                          # without Refer-To is a bad request (it was 405 before).
                          ("REFER", None, None, 400),
                          ("MESSAGE", lambda ctx: b"hi", "text/plain", 405),
                          # UPDATE refreshes the session timer (RFC 4028): 200 bare; an
                          # offer in it is answered like a re-INVITE's (PBXs hold by
                          # UPDATE), one whose media cannot work gets 488.
                          ("UPDATE", None, None, 200),
                          ("UPDATE", lambda ctx: GOOD_SDP, "application/sdp", 200),
                          ("UPDATE", lambda ctx: sdp(c="IN IP4 255.255.255.255"),
                           "application/sdp", 488)]),

    # --- methods Traverse does not implement --------------------------------------------
    Case("message", "MESSAGE (no instant messaging)", 405,
         request(method="MESSAGE", ctype="text/plain", body=b"hello"), method="MESSAGE",
         headers={"Allow": "INVITE"}),
    Case("info-outside", "INFO outside a dialog", 481,
         request(method="INFO", ctype="application/dtmf-relay", body=b"Signal=1\r\n"),
         method="INFO"),
    Case("refer-outside", "REFER outside a dialog (no transfer)", 405,
         request(method="REFER", body=b"",
                 headers=["Refer-To: <sip:carol@127.0.0.1>"]), method="REFER"),
    Case("subscribe", "SUBSCRIBE", 405,
         request(method="SUBSCRIBE", body=b"", headers=["Event: presence"]), method="SUBSCRIBE"),
]
