#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what Pendamping needs on Debian 12 (only what is missing), makes
# the Indonesian locale available and builds the project into _build.
# Sourced by run-app.sh and run-tests.sh; running it twice does nothing new.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="$top/_build"
install_dir="$top/_install"

packages=(
  # build
  meson ninja-build pkg-config gcc libc6-dev gettext
  libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsecret-1-dev
  # reports: charts and PDF (cairo, Pango), spreadsheets
  libcairo2-dev libpango1.0-dev libxlsxwriter-dev
  # runtime look: icons, fonts, SVG loader
  adwaita-icon-theme fonts-cantarell librsvg2-common
  # tests: validators, an X server, a session bus, the Indonesian locale
  desktop-file-utils appstream xvfb xauth dbus-daemon locales python3
  # tests: read the text and the pictures of the PDF reports
  poppler-utils
  # tests: real key presses (XTest) for the keyboard-only check-in
  xdotool
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# The interface is tested in Indonesian, so the locale must exist.
if ! locale -a 2>/dev/null | grep -qix 'id_ID.utf8'; then
  echo "Generating the id_ID.UTF-8 locale"
  as_root sed -i 's/^# *\(id_ID.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^id_ID.UTF-8 UTF-8' /etc/locale.gen || echo 'id_ID.UTF-8 UTF-8' | as_root tee -a /etc/locale.gen >/dev/null
  as_root locale-gen >/dev/null
fi

if [ ! -f "$build_dir/build.ninja" ]; then
  meson setup "$build_dir" "$top" --prefix="$install_dir" >/dev/null
fi
ninja -C "$build_dir" >/dev/null
