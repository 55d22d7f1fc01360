#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Installs the build into a temporary DESTDIR and checks that it is a complete
desktop app: binaries (that run), desktop file, metainfo, icons, schema, translations."""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kw)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: check-install.py MESON BUILD_DIR APP_ID")
    meson, build_dir, app_id = sys.argv[1:]
    r = run([meson, "introspect", "--buildoptions", build_dir])
    if r.returncode != 0:
        sys.exit(f"meson introspect failed:\n{r.stderr}")
    opts = {o["name"]: o["value"] for o in json.loads(r.stdout)}
    r = run([meson, "introspect", "--projectinfo", build_dir])
    if r.returncode != 0:
        sys.exit(f"meson introspect failed:\n{r.stderr}")
    version = json.loads(r.stdout)["version"]
    prefix = opts["prefix"]

    def rel(option):
        value = opts[option]
        return value if os.path.isabs(value) else os.path.join(prefix, value)

    errors = []
    with tempfile.TemporaryDirectory(prefix="traverse-install-") as destdir:
        r = run([meson, "install", "-C", build_dir, "--no-rebuild", "--destdir", destdir])
        if r.returncode != 0:
            sys.exit(f"meson install failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")

        def staged(path):
            return os.path.join(destdir, path.lstrip("/"))

        bindir, datadir = staged(rel("bindir")), staged(rel("datadir"))
        localedir = staged(rel("localedir"))

        for exe in ("traverse", "traverse-cli"):
            p = os.path.join(bindir, exe)
            if not (os.path.isfile(p) and os.access(p, os.X_OK)):
                errors.append(f"binary {exe} not installed in {rel('bindir')}")

        desktop = os.path.join(datadir, "applications", app_id + ".desktop")
        metainfo = os.path.join(datadir, "metainfo", app_id + ".metainfo.xml")
        icons = [os.path.join(datadir, "icons/hicolor/scalable/apps", app_id + ".svg"),
                 os.path.join(datadir, "icons/hicolor/symbolic/apps", app_id + "-symbolic.svg")]
        for p in [desktop, metainfo] + icons:
            if not os.path.isfile(p):
                errors.append(f"not installed: {os.path.relpath(p, destdir)}")
        if os.path.isfile(desktop):
            r = run(["desktop-file-validate", desktop])
            if r.returncode != 0:
                errors.append(f"installed desktop file invalid:\n{r.stdout}{r.stderr}")
            with open(desktop, encoding="utf-8") as f:
                text = f.read()
            if "Comment[de]=" not in text:
                errors.append("installed desktop file has no German translation merged")
        if os.path.isfile(metainfo):
            r = run(["appstreamcli", "validate", "--no-net", metainfo])
            if r.returncode != 0:
                errors.append(f"installed metainfo invalid:\n{r.stdout}{r.stderr}")
        if not shutil.which("rsvg-convert"):
            errors.append("rsvg-convert not found (librsvg2-bin, see tools/install-deps.sh)")
        for icon in icons:
            if os.path.isfile(icon) and shutil.which("rsvg-convert"):
                png = os.path.join(destdir, "icon-check.png")
                r = run(["rsvg-convert", "-w", "64", "-o", png, icon])
                ok = r.returncode == 0 and os.path.getsize(png) > 0
                if os.path.exists(png):
                    os.unlink(png)
                if not ok:
                    errors.append(f"icon does not render: {icon}: {r.stderr}")

        # The installed binaries run: the app answers --version (no display needed) and the
        # CLI places the echo test through the full SIP + RTP path, test elements standing in
        # for the sound devices.
        app, cli = os.path.join(bindir, "traverse"), os.path.join(bindir, "traverse-cli")
        if os.access(app, os.X_OK):
            env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
            r = run([app, "--version"], env=env)
            if r.returncode != 0 or r.stdout.strip() != f"traverse {version}":
                errors.append(f"installed traverse --version: exit {r.returncode}, "
                              f"{r.stdout.strip()!r} (want 'traverse {version}') {r.stderr}")
        if os.access(cli, os.X_OK):
            run_dir = os.path.join(destdir, "run")
            os.makedirs(run_dir, mode=0o700)
            env = dict(os.environ, XDG_RUNTIME_DIR=run_dir, SU_DEBUG="0",
                       TRAVERSE_AUDIOSRC="audiotestsrc is-live=true wave=sine",
                       TRAVERSE_AUDIOSINK="fakesink sync=false")
            r = run([cli, "call", "echo", "--duration", "2", "--timeout", "10"], env=env)
            if r.returncode != 0 or "media flowing" not in r.stdout.splitlines():
                errors.append(f"installed traverse-cli call echo: exit {r.returncode}\n"
                              f"{r.stdout}{r.stderr}")

        mo = os.path.join(localedir, "de", "LC_MESSAGES", "traverse.mo")
        if not os.path.isfile(mo) or os.path.getsize(mo) < 100:
            errors.append(f"translation not installed: {os.path.relpath(mo, destdir)}")

        # meson skips its post-install hooks under --destdir, so compile the staged
        # schemas exactly as gnome.post_install() does for a plain install.
        schemadir = os.path.join(datadir, "glib-2.0", "schemas")
        schema = os.path.join(schemadir, app_id + ".gschema.xml")
        if not os.path.isfile(schema):
            errors.append(f"schema not installed: {os.path.relpath(schema, destdir)}")
        else:
            r = run(["glib-compile-schemas", "--strict", schemadir])
            compiled = os.path.join(schemadir, "gschemas.compiled")
            if r.returncode != 0 or not os.path.isfile(compiled):
                errors.append(f"installed schemas do not compile:\n{r.stderr}")
            else:
                r = run(["gsettings", "--schemadir", schemadir, "list-keys", app_id])
                if r.returncode != 0 or not r.stdout.strip():
                    errors.append(f"schema {app_id} has no keys once compiled: {r.stderr}")

        if errors:
            for e in errors:
                print(e, file=sys.stderr)
            sys.exit(1)
        n = sum(len(files) for _, _, files in os.walk(destdir))
        print(f"install into DESTDIR: ok ({n} files)")


if __name__ == "__main__":
    main()
