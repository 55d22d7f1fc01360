#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline checks of the Flatpak manifest: it parses, has the keys flatpak-builder
needs, pins every downloaded source with a sha256, and keeps the sandbox tight."""
import json
import re
import sys

REQUIRED_KEYS = ("app-id", "runtime", "runtime-version", "sdk", "command",
                 "finish-args", "modules")
REQUIRED_ARGS = {"--share=network", "--socket=pulseaudio", "--socket=wayland",
                 "--socket=fallback-x11", "--share=ipc", "--device=dri"}
# Blanket access the app does not need: files go through portals, secrets and
# notifications too, and single-instance D-Bus only needs the app's own name.
FORBIDDEN = [
    re.compile(r"^--filesystem=(home|host|host-os|host-etc|~)(/.*)?(:\w+)?$"),
    re.compile(r"^--socket=(session-bus|system-bus|x11)$"),
    re.compile(r"^--device=all$"),
    re.compile(r"^--talk-name=org\.freedesktop\.Flatpak$"),
]
SHA256 = re.compile(r"^[0-9a-f]{64}$")
DOWNLOADED = {"archive", "file", "patch", "extra-data"}


def check_sources(module, path, errors):
    name = module.get("name")
    if not isinstance(name, str) or not name:
        errors.append(f"{path}: module without a name")
        name = "?"
    path = f"{path}/{name}"
    sources = module.get("sources")
    if not isinstance(sources, list) or not sources:
        errors.append(f"{path}: no sources")
        sources = []
    for i, src in enumerate(sources):
        where = f"{path}: source {i}"
        if not isinstance(src, dict) or "type" not in src:
            errors.append(f"{where}: not an object with a type")
            continue
        kind = src["type"]
        if kind == "dir":
            if not src.get("path"):
                errors.append(f"{where}: dir source without a path")
            continue
        if kind in ("git", "bzr", "svn"):
            # A VCS source is pinned only by an exact commit.
            if not re.fullmatch(r"[0-9a-f]{40}", str(src.get("commit", ""))):
                errors.append(f"{where}: {kind} source not pinned to a commit")
            continue
        if kind not in DOWNLOADED and not src.get("url"):
            continue  # inline scripts, local files and the like carry no download
        url = src.get("url", "")
        if not url.startswith("https://"):
            errors.append(f"{where}: url {url!r} is not https")
        if not SHA256.match(str(src.get("sha256", ""))):
            errors.append(f"{where}: sha256 {src.get('sha256')!r} is not 64 hex digits")
    for sub in module.get("modules", []):
        if isinstance(sub, dict):
            check_sources(sub, path, errors)
        else:
            errors.append(f"{path}: nested module is not an inline object")


def archive_urls(module):
    return [str(src.get("url", "")) for src in module.get("sources", [])
            if isinstance(src, dict) and src.get("type") == "archive"]


def check_dependencies(by_name, errors):
    """sofia-sip from the maintained fork; libnice newer than Debian 12's 0.1.21 (its STUN
    and consent-freshness fixes) with the GStreamer plugin (nicesrc/nicesink)."""
    sofia = by_name.get("sofia-sip")
    if sofia is not None:
        urls = archive_urls(sofia)
        if not urls or not all(u.startswith("https://github.com/freeswitch/sofia-sip/")
                                for u in urls):
            errors.append(f"sofia-sip must come from the maintained fork "
                          f"(github.com/freeswitch/sofia-sip), not {urls}")
    nice = by_name.get("libnice")
    if nice is not None:
        urls = archive_urls(nice)
        versions = [tuple(int(x) for x in m.groups()) for m in
                    (re.search(r"libnice-(\d+)\.(\d+)\.(\d+)\.tar", u) for u in urls) if m]
        if len(versions) != 1:
            errors.append(f"libnice: expected one release tarball libnice-X.Y.Z, got {urls}")
        elif versions[0] <= (0, 1, 21):
            errors.append("libnice %s is not newer than 0.1.21" % ".".join(map(str, versions[0])))
        if "-Dgstreamer=enabled" not in nice.get("config-opts", []):
            errors.append("libnice: config-opts lack -Dgstreamer=enabled (nicesrc/nicesink)")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check-manifest.py MANIFEST APP_ID")
    manifest_path, app_id = sys.argv[1:]
    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"{manifest_path}: cannot parse: {e}")
    errors = []
    if not isinstance(manifest, dict):
        sys.exit(f"{manifest_path}: top level is not an object")
    for key in REQUIRED_KEYS:
        if key not in manifest:
            errors.append(f"missing required key {key!r}")
    if manifest.get("app-id") != app_id:
        errors.append(f"app-id is {manifest.get('app-id')!r}, expected {app_id!r}")
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        errors.append("runtime/sdk must be org.gnome.Platform/org.gnome.Sdk")
    if not re.fullmatch(r"\d+", str(manifest.get("runtime-version", ""))):
        errors.append(f"runtime-version {manifest.get('runtime-version')!r} is not a GNOME release")
    if manifest.get("command") != "traverse":
        errors.append(f"command is {manifest.get('command')!r}, expected 'traverse'")

    args = manifest.get("finish-args", [])
    if not isinstance(args, list):
        errors.append("finish-args is not a list")
        args = []
    for missing in sorted(REQUIRED_ARGS - set(args)):
        errors.append(f"finish-args lacks {missing}")
    for arg in args:
        if any(p.match(arg) for p in FORBIDDEN):
            errors.append(f"forbidden finish-arg {arg}")

    modules = manifest.get("modules", [])
    if not isinstance(modules, list) or not modules:
        errors.append("modules is empty")
        modules = []
    names = []
    for m in modules:
        if isinstance(m, dict):
            check_sources(m, "modules", errors)
            names.append(m.get("name"))
        else:
            errors.append(f"module {m!r} is not an inline object")
    for dep in ("sofia-sip", "libnice"):
        if dep not in names:
            errors.append(f"no {dep} module")
    check_dependencies({m.get("name"): m for m in modules if isinstance(m, dict)}, errors)
    if not names or names[-1] != "traverse":
        errors.append("the last module must be traverse itself")
    elif not any(s.get("type") == "dir" for s in modules[-1].get("sources", [])):
        errors.append("the traverse module must build from the source tree (type dir)")

    if errors:
        for e in errors:
            print(f"{manifest_path}: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"{manifest_path}: ok ({len(names)} modules, {len(args)} finish-args)")


if __name__ == "__main__":
    main()
