#!/usr/bin/env bash
# `npm run bench` / bench/run.sh [options]: builds Tessera, then runs bench/bench.mjs on Node 22 pinned to the load
# generator's core (1). bench.mjs starts redis-server, Tessera (Redis + SQLite, and embedded SQLite) and the bare
# oidc-provider baseline pinned to core 0. Options: --quick, --only=1,2,…, --runs=N, --seconds=S, --profile,
# --sessions=N, --keep (keep the temporary data folders). BENCH_SKIP_BUILD=1 benchmarks the existing dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v taskset >/dev/null 2>&1; then
  echo "bench: taskset (util-linux) is required to pin servers and load generator to separate cores" >&2
  exit 2
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "bench: installing redis-server from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
if [ ! -x node_modules/.bin/node ] || [ ! -d node_modules/autocannon ]; then
  echo "bench: installing npm dependencies"
  npm ci --no-audit --no-fund
fi

cores=$(nproc)
if [ "$cores" -lt 2 ]; then
  echo "bench: needs 2 cores (server on one, load generator on the other); this machine has $cores" >&2
  exit 2
fi
export BENCH_SERVER_CORE=${BENCH_SERVER_CORE:-0}
export BENCH_LOAD_CORE=${BENCH_LOAD_CORE:-1}

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "bench: building dist/"
  npm run --silent build
fi

exec taskset -c "$BENCH_LOAD_CORE" node_modules/.bin/node --disable-warning=ExperimentalWarning bench/bench.mjs "$@"
