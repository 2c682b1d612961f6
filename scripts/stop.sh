#!/usr/bin/env bash
# npm run stop: remove what quickstart started and stop the berthd it started.
set -uo pipefail
cd "$(dirname "$0")/.."
export BERTH_HOST=unix:///run/berth/berth.sock
if [ -x bin/berth ]; then
  bin/berth rm -f quickstart-web >/dev/null 2>&1 && echo "removed container quickstart-web"
  bin/berth volume rm quickstart-site >/dev/null 2>&1 && echo "removed volume quickstart-site"
fi
if [ -f /run/berth-quickstart.pid ]; then
  pid=$(cat /run/berth-quickstart.pid)
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "stopped berthd (pid $pid)"
  fi
  rm -f /run/berth-quickstart.pid
fi
rm -rf /var/lib/berth-quickstart
