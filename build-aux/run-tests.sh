#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets everything up and runs the whole suite (unit, integration, ui) in an
# X server of its own with a session bus of its own, then prints one line
# "N passed, N failed" counting every test case. Arguments go to meson test
# (e.g. --suite unit, or a test name).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$top/build-aux/setup.sh"

status=0
dbus-run-session -- xvfb-run -a -s "-screen 0 1366x768x24" \
  meson test -C "$build_dir" --print-errorlogs "$@" || status=$?

python3 "$top/build-aux/count-tests.py" "$build_dir/meson-logs/testlog.json"
exit "$status"
