#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs everything Traverse needs to build, run and test on Debian 12 (as root).
# Usage: tools/install-deps.sh [build|test]   (default: test, which is a superset)
set -eu
what=${1:-test}

build_pkgs="build-essential meson ninja-build pkg-config gettext glib-networking
 libglib2.0-dev libglib2.0-bin libsofia-sip-ua-glib-dev libnice-dev
 libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libjson-glib-dev
 libsecret-1-dev libgtk-4-dev libadwaita-1-dev libebook1.2-dev
 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
 gstreamer1.0-libav gstreamer1.0-nice gstreamer1.0-tools
 gstreamer1.0-pulseaudio gstreamer1.0-alsa
 desktop-file-utils appstream librsvg2-bin python3"

test_pkgs="kamailio kamailio-tls-modules rtpengine-daemon sip-tester coturn tinyproxy openssl iproute2 iptables dnsmasq-base baresip linphone-cli
 xvfb xauth x11-utils dbus dbus-x11 at-spi2-core python3-pyatspi python3-gi gir1.2-atspi-2.0
 gnome-keyring libsecret-tools tshark sox uncrustify clang libclang-rt-14-dev evolution-data-server
 x11-xserver-utils dconf-service dconf-gsettings-backend gsettings-desktop-schemas gir1.2-gdkpixbuf-2.0"

pkgs=$build_pkgs
[ "$what" = test ] && pkgs="$pkgs $test_pkgs"

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
