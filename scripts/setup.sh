#!/usr/bin/env bash
# npm run setup: installs what Berth needs, idempotently. Run as root.
#  - from Debian's archive, only what is missing: runc, conmon, netavark,
#    aardvark-dns, iptables, util-linux (unshare and flock for network namespaces), catatonit, busybox-static, procps (ps for top),
#    iproute2, and the native-addon toolchain (g++, make, python3);
#  - npm ci when node_modules is missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "setup: run as root (it installs Debian packages and berthd needs root)" >&2
  exit 1
fi

# package:file-that-proves-it-is-installed
want=(
  runc:/usr/sbin/runc
  conmon:/usr/bin/conmon
  netavark:/usr/lib/podman/netavark
  aardvark-dns:/usr/lib/podman/aardvark-dns
  iptables:/usr/sbin/iptables
  catatonit:/usr/bin/catatonit
  busybox-static:/bin/busybox
  procps:/usr/bin/ps
  iproute2:/usr/sbin/ip
  util-linux:/usr/bin/unshare
  g++:/usr/bin/g++
  make:/usr/bin/make
  python3:/usr/bin/python3
  curl:/usr/bin/curl
  bsdutils:/usr/bin/script
  openssl:/usr/bin/openssl
  bzip2:/usr/bin/bzip2
  xz-utils:/usr/bin/xz
  zstd:/usr/bin/zstd
  # distribution: a real registry and a real client for the tests, Debian images built offline
  docker-registry:/usr/bin/docker-registry
  skopeo:/usr/bin/skopeo
  mmdebstrap:/usr/bin/mmdebstrap
  apache2-utils:/usr/bin/htpasswd
  # builder: remote=<git URL> contexts are cloned with git, as dockerd does
  git:/usr/bin/git
  # compose: Debian's docker-compose 1.29 (python, docker-py) is a real Engine API client for the tests
  docker-compose:/usr/bin/docker-compose
)
missing=()
for entry in "${want[@]}"; do
  pkg=${entry%%:*} file=${entry#*:}
  [ -e "$file" ] || missing+=("$pkg")
done
# busybox-static, not the dynamic busybox: the embedded image copies the binary.
if [ -e /bin/busybox ] && ! dpkg -s busybox-static >/dev/null 2>&1; then missing+=(busybox-static); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ok"
