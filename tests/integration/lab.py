# SPDX-License-Identifier: GPL-3.0-or-later
"""Integration lab: a real Kamailio registrar on 127.0.0.1 and real traverse-cli processes.

Everything lives in one temporary directory (Kamailio config, db_text credentials, runtime
dir, TLS certificates, CLI configs, WAVs, stats). Kamailio and every CLI process run in their
own process group and are killed by PID when the lab closes, also on SIGTERM/SIGINT (meson's
timeout) and on interpreter exit. Only loopback addresses and free unprivileged ports are used.
"""

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

SKIP = 77
HOST = "127.0.0.1"
HOST6 = "::1"

KAMAILIO = shutil.which("kamailio") or "/usr/sbin/kamailio"

# Kamailio's routing script: digest auth against db_text, registrar + usrloc in memory,
# location lookup, record-route. Clients do not accept TLS connections (they have no server
# certificate), so, as deployed registrars do, requests to a client reuse the connection it
# opened: the registration keeps the source address (received AVP) and Contacts of dialogs
# carry an alias (nathelper's add_contact_alias / handle_ruri_alias). No NAT handling else.
KAMAILIO_CFG = r"""#!KAMAILIO
debug=2
log_stderror=yes
children=2
tcp_children=2
auto_aliases=no
dns=no
rev_dns=no
dns_try_ipv6=no
use_dns_cache=no
tcp_connection_lifetime=3605
tcp_accept_no_cl=yes
listen=udp:127.0.0.1:{port}
listen=tcp:127.0.0.1:{port}
{tls_listen}
mpath="{modpath}"

loadmodule "db_text.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
loadmodule "nathelper.so"
loadmodule "sdpops.so"
{tls_module}

modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", {max_expires})
modparam("registrar", "min_expires", 1)
modparam("registrar", "received_avp", "$avp(RECEIVED)")
modparam("rr", "enable_full_lr", 0)
modparam("rr", "append_fromtag", 1)
modparam("auth_db", "db_url", "text://{dbdir}")
modparam("auth_db", "calculate_ha1", yes)
modparam("auth_db", "password_column", "password")
modparam("auth_db", "load_credentials", "")
modparam("auth_db", "use_domain", 0)
modparam("auth_db", "version_table", 0)
modparam("nathelper", "natping_interval", 0)

request_route {{
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (!sanity_check("17895", "7")) {{
        exit;
    }}
    if (is_method("OPTIONS") && uri == myself && $rU == $null) {{
        sl_send_reply("200", "Keepalive");
        exit;
    }}
    if (has_totag()) {{
        route(WITHINDLG);
        exit;
    }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) {{
            route(RELAY);
        }}
        exit;
    }}
    if (!is_method("ACK")) {{
        t_check_trans();
    }}
    remove_hf("Route");
    route(AUTH);
    if (is_method("REGISTER")) {{
        route(REGISTRAR);
    }}
    if (is_method("INVITE")) {{
        record_route();
        add_contact_alias();
    }}
    if ($rU == $null) {{
        sl_send_reply("484", "Address Incomplete");
        exit;
    }}
    if (is_method("INVITE") && $rU == "carol" && has_body("application/sdp")) {{
        sdp_remove_codecs_by_name("telephone-event");
    }}
    route(LOCATION);
}}

route[RELAY] {{
    if (is_method("INVITE|UPDATE")) {{
        t_on_reply("REPLY");
    }}
    if (!t_relay()) {{
        sl_reply_error();
    }}
    exit;
}}

onreply_route[REPLY] {{
    if (is_present_hf("Contact")) {{
        add_contact_alias();
    }}
}}

route[WITHINDLG] {{
    if (is_method("INFO")) {{
        xlog("L_NOTICE", "dtmf-info: $rm to $ru\n");
    }}
    if (loose_route()) {{
        if ($du == $null) {{
            handle_ruri_alias();
        }}
        if (is_method("INVITE|UPDATE")) {{
            add_contact_alias();
        }}
        route(RELAY);
        exit;
    }}
    if (is_method("ACK")) {{
        if (t_check_trans()) {{
            route(RELAY);
        }}
        exit;
    }}
    sl_send_reply("404", "Not here");
    exit;
}}

route[AUTH] {{
    if (is_method("ACK|CANCEL")) {{
        return;
    }}
    if (!auth_check("$fd", "subscriber", "1")) {{
        xlog("L_NOTICE", "auth: $rm from $fu failed\n");
        auth_challenge("$fd", "0");
        exit;
    }}
    consume_credentials();
}}

route[REGISTRAR] {{
    if (proto != UDP && af == INET6) {{
        $avp(RECEIVED) = "sip:[" + $si + "]:" + $sp + ";transport=" + $pr;
    }} else if (proto != UDP) {{
        $avp(RECEIVED) = "sip:" + $si + ":" + $sp + ";transport=" + $pr;
    }}
    if (!save("location")) {{
        sl_reply_error();
    }}
    xlog("L_NOTICE", "registrar: $tu via $pr from $si:$sp\n");
    exit;
}}

route[LOCATION] {{
    $var(rc) = lookup("location");
    if ($var(rc) < 0) {{
        xlog("L_NOTICE", "location: $ru not found ($var(rc))\n");
        sl_send_reply("404", "Not Found");
        exit;
    }}
    route(RELAY);
}}
"""

TLS_CFG = """[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = {key}
certificate = {cert}

[client:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
"""

# carol's registrar strips telephone-event from offers to her (a peer without RFC 4733),
# so DTMF to her must fall back to SIP INFO.
USERS = {"alice": "alice-pw-3141", "bob": "bob-pw-2718", "carol": "carol-pw-1618"}


def log(msg):
    print("# " + msg.replace("\n", "\n# "), flush=True)


def _modpath():
    for d in ("/usr/lib/x86_64-linux-gnu/kamailio/modules", "/usr/lib/kamailio/modules"):
        if os.path.exists(os.path.join(d, "registrar.so")):
            return d
    out = subprocess.run(["dpkg", "-L", "kamailio"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.endswith("/registrar.so"):
            return os.path.dirname(line)
    return None


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def uri_host(host):
    """host as it stands in a URI or host:port: IPv6 in brackets."""
    return "[%s]" % host if ":" in host else host


def free_port(both=True, host=HOST):
    """A port free on host (127.0.0.1) for UDP and (if both) TCP at the same time."""
    for _ in range(50):
        u = socket.socket(family_of(host), socket.SOCK_DGRAM)
        u.bind((host, 0))
        port = u.getsockname()[1]
        if not both:
            u.close()
            return port
        t = socket.socket(family_of(host), socket.SOCK_STREAM)
        try:
            t.bind((host, port))
        except OSError:
            continue
        finally:
            t.close()
            u.close()
        return port
    raise RuntimeError("no free port on %s" % host)


_live = set()       # Popen objects still to be killed at exit


def _kill(proc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(3)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(3)
    _live.discard(proc)


def _kill_all(*_args):
    for p in list(_live):
        _kill(p)


def _on_signal(signum, _frame):
    _kill_all()
    sys.exit(128 + signum)


atexit.register(_kill_all)
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


class Proc:
    """A running traverse-cli with its stdout/stderr collected line by line."""

    def __init__(self, name, argv, env):
        self.name = name
        self.argv = argv
        self.lines = []
        self.err = []
        self._cond = threading.Condition()
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL, text=True, env=env,
                                  start_new_session=True)
        _live.add(self.p)
        self._threads = [threading.Thread(target=self._pump, args=(self.p.stdout, self.lines),
                                          daemon=True),
                         threading.Thread(target=self._pump, args=(self.p.stderr, self.err),
                                          daemon=True)]
        for t in self._threads:
            t.start()

    def _pump(self, stream, sink):
        for line in stream:
            with self._cond:
                sink.append(line.rstrip("\n"))
                self._cond.notify_all()

    def wait_line(self, prefix, timeout):
        """Waits (bounded) for a stdout line starting with prefix; None if it never came."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if line.startswith(prefix):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or (self.p.poll() is not None and not any(
                        t.is_alive() for t in self._threads)):
                    return None
                self._cond.wait(min(left, 0.2))

    def wait(self, timeout):
        """Exit code, or None (and the process killed) if it did not end in time."""
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill(self.p)
            rc = None
        for t in self._threads:
            t.join(2)
        _live.discard(self.p)
        return rc

    def kill(self):
        _kill(self.p)

    @property
    def stdout(self):
        return "\n".join(self.lines)

    @property
    def stderr(self):
        return "\n".join(self.err)

    def dump(self):
        return "%s: %s\n--- stdout\n%s\n--- stderr\n%s" % (
            self.name, " ".join(self.argv), self.stdout, self.stderr)


class Lab:
    """ipv6: Kamailio listens on [::1] only and clients use that address."""

    def __init__(self, name, tls=False, users=USERS, max_expires=3600, ipv6=False):
        self.name = name
        self.host = HOST6 if ipv6 else HOST
        self.uri_host = uri_host(self.host)
        self.tls = tls
        self.max_expires = max_expires   # registrations granted at most this long (s)
        self.users = dict(users)
        self.cli = os.environ.get("TRAVERSE_CLI")
        self.tone_tool = os.environ.get("TRV_TONE")
        self.dir = None
        self.kamailio = None
        self.port = None
        self.tls_port = None
        self.ca = None
        self.other_ca = None
        self.procs = []

    # --- setup ------------------------------------------------------------------------

    def check_tools(self):
        """Exit 77 (skip) when the lab cannot run here, saying why."""
        if not self.cli or not os.access(self.cli, os.X_OK):
            print("# TRAVERSE_CLI not set or not executable; run via meson test", flush=True)
            sys.exit(SKIP)
        if not os.access(KAMAILIO, os.X_OK):
            print("1..0 # SKIP kamailio is not installed (tools/install-deps.sh test)", flush=True)
            sys.exit(SKIP)
        if _modpath() is None:
            print("1..0 # SKIP kamailio modules not found", flush=True)
            sys.exit(SKIP)
        if self.tls and not os.path.exists(os.path.join(_modpath(), "tls.so")):
            print("1..0 # SKIP kamailio-tls-modules is not installed", flush=True)
            sys.exit(SKIP)
        if self.tls and not shutil.which("openssl"):
            print("1..0 # SKIP openssl is not installed", flush=True)
            sys.exit(SKIP)

    def __enter__(self):
        self.check_tools()
        self.dir = tempfile.mkdtemp(prefix="trv-integ-%s-" % self.name)
        try:
            self._write_credentials()
            if self.tls:
                self._make_certs()
            self._start_kamailio()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.kill()
        if self.kamailio is not None:
            _kill(self.kamailio)
        if self.dir and not os.environ.get("TRV_KEEP_LAB"):
            shutil.rmtree(self.dir, ignore_errors=True)
        elif self.dir:
            log("lab kept in %s" % self.dir)
        return False

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def _write_credentials(self):
        db = self.path("db")
        os.mkdir(db)
        # db_text: first line is the schema; ':' inside values is escaped ("\:", ::1).
        with open(os.path.join(db, "subscriber"), "w") as f:
            f.write("id(int,auto) username(string) domain(string) password(string)\n")
            for i, (user, pw) in enumerate(sorted(self.users.items()), 1):
                assert ":" not in user + pw
                f.write("%d:%s:%s:%s\n" % (i, user, self.host.replace(":", "\\:"), pw))

    def _openssl(self, *args):
        r = subprocess.run(["openssl"] + list(args), capture_output=True, text=True,
                           cwd=self.dir, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("openssl %s failed: %s" % (" ".join(args), r.stderr))

    def _make_ca(self, name):
        key, crt = self.path(name + ".key"), self.path(name + ".pem")
        self._openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                      "-keyout", key, "-out", crt, "-subj", "/CN=Traverse test %s" % name,
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        return key, crt

    def _make_certs(self):
        ca_key, self.ca = self._make_ca("ca")
        _, self.other_ca = self._make_ca("other-ca")
        key, csr, crt = self.path("server.key"), self.path("server.csr"), self.path("server.pem")
        self._openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
                      "-subj", "/CN=%s" % self.host)
        ext = self.path("server.ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:%s,DNS:localhost\n"
                    "basicConstraints=CA:FALSE\n"
                    "keyUsage=digitalSignature,keyEncipherment\n"
                    "extendedKeyUsage=serverAuth,clientAuth\n" % self.host)
        self._openssl("x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", ca_key,
                      "-CAcreateserial", "-days", "2", "-out", crt, "-extfile", ext)
        self.server_key, self.server_cert = key, crt

    def _start_kamailio(self):
        modpath = _modpath()
        run = self.path("run")
        os.mkdir(run)
        tls_listen = tls_module = ""
        for _ in range(5):
            self.port = free_port(host=self.host)
            if self.tls:
                self.tls_port = free_port(both=False, host=self.host)
                while self.tls_port == self.port:
                    self.tls_port = free_port(both=False, host=self.host)
                tls_cfg = self.path("tls.cfg")
                with open(tls_cfg, "w") as f:
                    f.write(TLS_CFG.format(key=self.server_key, cert=self.server_cert))
                tls_listen = "enable_tls=yes\nlisten=tls:%s:%d" % (self.uri_host, self.tls_port)
                tls_module = ('loadmodule "tls.so"\nmodparam("tls", "config", "%s")' % tls_cfg)
            cfg = self.path("kamailio.cfg")
            text = KAMAILIO_CFG.format(port=self.port, modpath=modpath,
                                       max_expires=self.max_expires, dbdir=self.path("db"),
                                       tls_listen=tls_listen, tls_module=tls_module)
            for proto in ("udp", "tcp"):
                text = text.replace("listen=%s:%s:" % (proto, HOST),
                                    "listen=%s:%s:" % (proto, self.uri_host))
            with open(cfg, "w") as f:
                f.write(text)
            self._spawn_kamailio("w")
            if self._wait_kamailio(10):
                log("kamailio %d on %s udp/tcp %d%s" % (
                    self.kamailio.pid, self.host, self.port,
                    " tls %d" % self.tls_port if self.tls else ""))
                return
            _kill(self.kamailio)
            text = self.kamailio_text()
            self.kamailio = None
            if "Address already in use" not in text:
                raise RuntimeError("kamailio did not start:\n" + text[-3000:])
        raise RuntimeError("kamailio did not start: ports kept being taken")

    def _spawn_kamailio(self, log_mode):
        run, cfg = self.path("run"), self.path("kamailio.cfg")
        self.kamailio_log = open(self.path("kamailio.log"), log_mode)
        self.kamailio = subprocess.Popen(
            [KAMAILIO, "-f", cfg, "-DD", "-E", "-Y", run, "-w", run, "-m", "32", "-M", "4",
             "-a", "no"],
            stdin=subprocess.DEVNULL, stdout=self.kamailio_log, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=run)
        _live.add(self.kamailio)

    def stop_kamailio(self):
        """A registrar outage: Kamailio is gone (its ports closed)."""
        _kill(self.kamailio)
        self.kamailio = None
        self.kamailio_log.close()

    def restart_kamailio(self, timeout=10):
        """Kamailio again on the same ports; usrloc is in memory, so it has lost every
        registration (as a registrar restarted without a database does)."""
        self._spawn_kamailio("a")
        if not self._wait_kamailio(timeout):
            raise RuntimeError("kamailio did not come back:\n" + self.kamailio_text()[-3000:])

    def kamailio_text(self):
        try:
            with open(self.path("kamailio.log")) as f:
                return f.read()
        except OSError:
            return ""

    def _wait_kamailio(self, timeout):
        """Ready when it answers a SIP OPTIONS on UDP and accepts TCP (and TLS) connections."""
        deadline = time.monotonic() + timeout
        s = socket.socket(family_of(self.host), socket.SOCK_DGRAM)
        s.bind((self.host, 0))
        s.settimeout(0.2)
        lport = s.getsockname()[1]
        try:
            while time.monotonic() < deadline:
                if self.kamailio.poll() is not None:
                    return False
                branch = "z9hG4bK" + uuid.uuid4().hex[:12]
                h = self.uri_host
                msg = ("OPTIONS sip:%s:%d SIP/2.0\r\n"
                       "Via: SIP/2.0/UDP %s:%d;branch=%s;rport\r\n"
                       "Max-Forwards: 70\r\nTo: <sip:%s:%d>\r\n"
                       "From: <sip:probe@%s>;tag=%s\r\nCall-ID: %s\r\nCSeq: 1 OPTIONS\r\n"
                       "Content-Length: 0\r\n\r\n") % (
                           h, self.port, h, lport, branch, h, self.port, h,
                           uuid.uuid4().hex[:8], uuid.uuid4().hex)
                s.sendto(msg.encode(), (self.host, self.port))
                try:
                    data, _ = s.recvfrom(4096)
                except socket.timeout:
                    continue
                if not data.startswith(b"SIP/2.0 200"):
                    continue
                ports = [self.port] + ([self.tls_port] if self.tls else [])
                if all(self._tcp_open(p) for p in ports):
                    return True
                time.sleep(0.1)
            return False
        finally:
            s.close()

    def _tcp_open(self, port):
        try:
            with socket.create_connection((self.host, port), timeout=0.5):
                return True
        except OSError:
            return False

    # --- clients ------------------------------------------------------------------------

    def registrar(self, transport="udp"):
        return "%s:%d" % (self.uri_host, self.tls_port if transport == "tls" else self.port)

    def uri(self, user, transport="udp"):
        """The AoR a caller dials to reach `user` through the registrar."""
        if transport == "tls":
            return "sips:%s@%s:%d" % (user, self.uri_host, self.tls_port)
        t = ";transport=tcp" if transport == "tcp" else ""
        return "sip:%s@%s:%d%s" % (user, self.uri_host, self.port, t)

    def config(self, user, password=None, transport="udp", ca_file=None, codecs=None,
               registrar=None, name=None, register=True, local_port=None, proxy=None):
        pw = self.users.get(user, "nobody") if password is None else password
        lines = ["[account]",
                 "address = sip:%s@%s" % (user, self.uri_host)]
        if pw is not False:           # False: an account without a password
            lines.append("password = %s" % pw)
        lines += ["transport = %s" % transport,
                 "register = %s" % ("true" if register else "false")]
        if register:
            lines.append("registrar = %s" % (registrar or self.registrar(transport)))
        if proxy:
            lines.append("proxy = %s" % proxy)
        if local_port:
            lines.append("local-port = %d" % local_port)
        if ca_file:
            lines.append("ca-file = %s" % ca_file)
        lines += ["", "[nat]", "mode = none", "", "[media]"]
        if codecs:
            lines.append("codecs = %s" % codecs)
        lines.append("jitter-ms = 60")
        path = self.path("%s.conf" % (name or "%s-%s" % (user, uuid.uuid4().hex[:6])))
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def env(self):
        env = dict(os.environ)
        env.setdefault("SU_DEBUG", "0")
        env["TRAVERSE_AUDIOSRC"] = env.get("TRAVERSE_AUDIOSRC", "audiotestsrc is-live=true wave=silence")
        env["TRAVERSE_AUDIOSINK"] = env.get("TRAVERSE_AUDIOSINK", "fakesink sync=false")
        env["XDG_RUNTIME_DIR"] = self.path("run")
        return env

    def spawn(self, name, config, *args):
        argv = [self.cli, "--config", config] + [str(a) for a in args]
        p = Proc(name, argv, self.env())
        self.procs.append(p)
        return p

    def can_isolate(self):
        """Whether this process may create network+mount namespaces (root, unshare)."""
        if not shutil.which("unshare") or not shutil.which("ip"):
            return False
        r = subprocess.run(["unshare", "-n", "-m", "true"], capture_output=True, timeout=10)
        return r.returncode == 0

    def run_isolated(self, name, config, *args, timeout=60):
        """Runs traverse-cli in a new network namespace with only loopback and a resolver
        at 127.0.0.1 where nothing listens: no packet can leave, names do not resolve."""
        resolv = self.path("resolv.conf")
        with open(resolv, "w") as f:
            f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        argv = ["unshare", "-n", "-m", "sh", "-c",
                'mount --bind "$0" /etc/resolv.conf && ip link set lo up && exec "$@"',
                resolv, self.cli, "--config", config] + [str(a) for a in args]
        p = Proc(name, argv, self.env())
        self.procs.append(p)
        return p.wait(timeout), p

    def run(self, name, config, *args, timeout=60):
        p = self.spawn(name, config, *args)
        rc = p.wait(timeout)
        return rc, p

    def tone(self, freq, seconds=30):
        path = self.path("tone-%d.wav" % freq)
        if not os.path.exists(path):
            r = subprocess.run([self.tone_tool, "gen", "--freq", str(freq), "--seconds", str(seconds),
                                path], capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                raise RuntimeError("trv-tone gen failed: %s%s" % (r.stdout, r.stderr))
        return path

    def tone_check(self, wav, freq, min_fraction=None, max_fraction=None):
        """trv-tone check: (0, report) when the tone is present (or, with max_fraction, absent)."""
        argv = [self.tone_tool, "check", "--freq", str(freq)]
        if min_fraction is not None:
            argv += ["--min-fraction", str(min_fraction)]
        if max_fraction is not None:
            argv += ["--absent", "--max-fraction", str(max_fraction)]
        r = subprocess.run(argv + [wav], capture_output=True, text=True, timeout=60)
        return r.returncode, (r.stdout + r.stderr).strip()

    def stats(self, path):
        with open(path) as f:
            return json.load(f)


class Tap:
    """Minimal TAP producer: each case is a function; failures carry diagnostics."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def plan(self, n):
        print("1..%d" % n, flush=True)

    def ok(self, cond, name, diag=""):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name), flush=True)
            if diag:
                log(diag)
        return cond

    def skip(self, name, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, why), flush=True)

    def run_case(self, name, func, *args):
        """Runs func(*args) -> (bool, diag); an exception is a failure with its traceback."""
        try:
            cond, diag = func(*args)
        except Exception as e:  # noqa: BLE001 -- a broken case must fail, not stop the suite
            import traceback
            cond, diag = False, "".join(traceback.format_exception(e))
        return self.ok(cond, name, diag)

    def exit(self):
        sys.exit(1 if self.failed else 0)


def call_pair(lab, caller_args=(), callee_args=(), transport="udp", codecs=None,
              caller_ca=None, callee_ca=None, tag="call", call_timeout=60, callee="bob"):
    """bob (or callee) answers (registered), alice calls it through the registrar.

    Returns (rc_alice, alice, rc_bob, bob); rc is None when a process had to be killed.
    """
    bob_conf = lab.config(callee, transport=transport, codecs=codecs, ca_file=callee_ca,
                          name="%s-%s" % (callee, tag))
    alice_conf = lab.config("alice", transport=transport, codecs=codecs, ca_file=caller_ca,
                            name="alice-" + tag)
    bob = lab.spawn(callee, bob_conf, "answer", "--timeout", "30", *callee_args)
    if bob.wait_line("ready", 20) is None:
        rc_bob = bob.wait(5)
        return None, None, rc_bob, bob
    alice = lab.spawn("alice", alice_conf, "call", lab.uri(callee, transport), *caller_args)
    rc_alice = alice.wait(call_timeout)
    rc_bob = bob.wait(20)
    return rc_alice, alice, rc_bob, bob


def dumps(*procs):
    return "\n".join(p.dump() for p in procs if p is not None)
