#!/usr/bin/env bash
# npm run quickstart: set up, build, start berthd on the default paths (unless
# it is running), create busybox:latest offline, run a real container and a
# small web service, and say what was done. `npm run stop` undoes it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SOCK=/run/berth/berth.sock
export BERTH_HOST=unix://$SOCK
BERTH="$ROOT/bin/berth"
PORT=${QUICKSTART_PORT:-8080}

bash scripts/setup.sh
node scripts/build.mjs
echo "build: bin/berthd and bin/berth"

if curl -sf --unix-socket "$SOCK" http://berth/_ping >/dev/null 2>&1; then
  echo "berthd: already running at $SOCK"
else
  mkdir -p /var/log/berth
  nohup "$ROOT/bin/berthd" >>/var/log/berth/berthd.log 2>&1 &
  echo $! >/run/berth-quickstart.pid
  for _ in $(seq 1 100); do
    curl -sf --unix-socket "$SOCK" http://berth/_ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -sf --unix-socket "$SOCK" http://berth/_ping >/dev/null || { echo "berthd did not start; see /var/log/berth/berthd.log" >&2; exit 1; }
  echo "berthd: started (pid $(cat /run/berth-quickstart.pid)), socket $SOCK, data /var/lib/berth, log /var/log/berth/berthd.log"
fi

"$BERTH" image bootstrap busybox >/dev/null
echo "image: busybox:latest created offline from the host's busybox-static"

out=$("$BERTH" run --rm busybox echo "hello from a berth container")
echo "run: berth run --rm busybox echo … printed: $out"

"$BERTH" rm -f quickstart-web >/dev/null 2>&1 || true
# The site lives in a named volume: one container writes it, the web service serves it read-only.
"$BERTH" volume create quickstart-site >/dev/null
"$BERTH" run --rm -v quickstart-site:/www busybox \
  sh -c "echo '<h1>Served by busybox httpd in a Berth container, from the volume quickstart-site</h1>' >/www/index.html"
echo "volume: quickstart-site, written by a container that is gone ($("$BERTH" volume inspect -f '{{.Mountpoint}}' quickstart-site))"
# As the Docker docs' first example: the default bridge, container port 80 published on the host.
"$BERTH" run -d --name quickstart-web -p "$PORT:80" -v quickstart-site:/www:ro busybox httpd -f -p 80 -h /www >/dev/null
page=""
for _ in $(seq 1 50); do
  page=$(curl -sf "http://127.0.0.1:$PORT/" 2>/dev/null) && break
  sleep 0.1
done
[ -n "$page" ] || { echo "the web service did not answer on port $PORT" >&2; exit 1; }
echo "web: container quickstart-web ($("$BERTH" inspect -f '{{.NetworkSettings.IPAddress}}' quickstart-web) on the default bridge) published as http://127.0.0.1:$PORT/ -> $page"

cat <<MSG

Berth is running. Try:
  export BERTH_HOST=$BERTH_HOST         (or DOCKER_HOST=$BERTH_HOST for the docker CLI)
  $BERTH ps
  curl http://127.0.0.1:$PORT/
  $BERTH run -it --rm busybox sh
  $BERTH volume ls
  npm run stop                         (removes the web service and its volume, stops berthd)
MSG
