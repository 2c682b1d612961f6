#!/usr/bin/env bash
# npm run bench: build, then the benchmark (see bench/bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs
exec node bench/bench.mjs "$@"
