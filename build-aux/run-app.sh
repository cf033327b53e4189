#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets everything up, starts a local pendamping-server on 127.0.0.1 with its
# data in the user's data folder, runs the app against it, and stops the
# server when the app closes. Extra arguments go to the app.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$top/build-aux/setup.sh"

meson install -C "$build_dir" --quiet >/dev/null

data_home=${XDG_DATA_HOME:-$HOME/.local/share}
server_dir="$data_home/pendamping-local-server"
mkdir -p "$server_dir"
server_log="$server_dir/server.log"

# Port 0: the server takes a free port and says which.
"$install_dir/bin/pendamping-server" serve --listen 127.0.0.1:0 --data-dir "$server_dir" \
  >"$server_log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT

server_url=
for _ in $(seq 100); do
  server_url=$(sed -n 's|^Listening on \(http://[^ ]*\)/$|\1|p' "$server_log")
  [ -n "$server_url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$server_url" ]; then
  echo "The local server did not start:" >&2
  cat "$server_log" >&2
  exit 1
fi
echo "Local server: $server_url (data in $server_dir)"

export XDG_DATA_DIRS="$install_dir/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export GSETTINGS_SCHEMA_DIR="$install_dir/share/glib-2.0/schemas"
"$install_dir/bin/pendamping" --server "$server_url" "$@"
