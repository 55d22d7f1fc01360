#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What `appstreamcli validate` does not require but the app's store page needs: a description,
screenshots that exist, releases up to the project's version, an OARS rating, a launchable
that names the desktop file, homepage and bug tracker URLs.

Screenshots must be files of this repository, addressed through the homepage repository's raw
URL (https://raw.githubusercontent.com/OWNER/REPO/BRANCH/PATH): then each is checked here,
offline, to be a PNG of a sensible size in the source tree."""
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != PNG_MAGIC or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def version_key(v):
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"[.\-]", v))


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: check-metainfo.py SOURCE_ROOT APP_ID PROJECT_VERSION")
    root, app_id, project_version = sys.argv[1:]
    src = os.path.join(root, "data", app_id + ".metainfo.xml.in")
    try:
        comp = ET.parse(src).getroot()
    except (OSError, ET.ParseError) as e:
        sys.exit(f"{src}: {e}")
    errors = []

    if comp.findtext("id") != app_id:
        errors.append(f"<id> is {comp.findtext('id')!r}, expected {app_id!r}")

    desc = comp.find("description")
    if desc is None or not [p for p in desc.findall("p") if (p.text or "").strip()]:
        errors.append("<description> has no paragraph")

    launchables = [la.text for la in comp.findall("launchable") if la.get("type") == "desktop-id"]
    desktop = app_id + ".desktop"
    if desktop not in launchables:
        errors.append(f"no <launchable type=\"desktop-id\">{desktop}</launchable>")
    elif not os.path.isfile(os.path.join(root, "data", desktop + ".in")):
        errors.append(f"launchable {desktop}: data/{desktop}.in does not exist")

    urls = {u.get("type"): (u.text or "").strip() for u in comp.findall("url")}
    for kind in ("homepage", "bugtracker"):
        if not urls.get(kind, "").startswith("https://"):
            errors.append(f"no https <url type=\"{kind}\">")

    rating = comp.find("content_rating")
    if rating is None or not (rating.get("type") or "").startswith("oars-"):
        errors.append("no <content_rating type=\"oars-…\">")

    releases = comp.findall("releases/release")
    if not releases:
        errors.append("no <releases>")
    else:
        for r in releases:
            if not r.get("version") or not re.fullmatch(r"\d{4}-\d\d-\d\d", r.get("date") or ""):
                errors.append(f"release {r.get('version')!r}: needs version and date=YYYY-MM-DD")
        versions = [r.get("version") or "" for r in releases]
        if versions != sorted(versions, key=version_key, reverse=True):
            errors.append(f"releases are not newest first: {versions}")
        if versions[0] != project_version:
            errors.append(f"newest release is {versions[0]!r} but meson.build says "
                          f"{project_version!r}: add a <release> for it")

    m = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)/?", urls.get("homepage", ""))
    raw = re.compile(r"https://raw\.githubusercontent\.com/%s/%s/[^/]+/(.+)" % (
        re.escape(m.group(1)), re.escape(m.group(2)))) if m else None
    shots = comp.findall("screenshots/screenshot")
    if not shots:
        errors.append("no <screenshots>")
    if sum(1 for s in shots if s.get("type") == "default") != 1:
        errors.append("exactly one screenshot must be type=\"default\"")
    for i, shot in enumerate(shots, 1):
        images = [im for im in shot.findall("image") if im.get("type", "source") == "source"]
        if len(images) != 1:
            errors.append(f"screenshot {i}: needs one source <image>")
            continue
        if not (shot.findtext("caption") or "").strip():
            errors.append(f"screenshot {i}: no <caption>")
        url = (images[0].text or "").strip()
        hit = raw.fullmatch(url) if raw else None
        if hit is None:
            errors.append(f"screenshot {i}: {url} is not a raw URL of the homepage repository, "
                          "so it cannot be checked against the source tree")
            continue
        rel = hit.group(1)
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            errors.append(f"screenshot {i}: {rel} does not exist in the source tree "
                          "(tools/screenshots.sh takes them)")
            continue
        size = png_size(path)
        if size is None:
            errors.append(f"screenshot {i}: {rel} is not a PNG")
        elif not (300 <= size[0] <= 3840 and 300 <= size[1] <= 2160):
            errors.append(f"screenshot {i}: {rel} is {size[0]}x{size[1]}, not a window-sized image")

    if errors:
        for e in errors:
            print(f"{src}: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"{src}: ok ({len(shots)} screenshots, {len(releases)} releases, newest "
          f"{releases[0].get('version')})")


if __name__ == "__main__":
    main()
