#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# glib-compile-schemas --strict over the schema sources in data/; fails if the app's
# schema is missing (an empty directory would otherwise "compile" fine).
set -eu
dir=$1 app_id=$2
[ -f "$dir/$app_id.gschema.xml" ] || { echo "missing $dir/$app_id.gschema.xml" >&2; exit 1; }
exec glib-compile-schemas --strict --dry-run "$dir"
