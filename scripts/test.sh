#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need, starts a throwaway redis-server on a
# free loopback port, type-checks, runs every Jest suite, and stops Redis again. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v redis-server >/dev/null 2>&1; then
  echo "test.sh: installing redis-server from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

# The forward-auth gateway test runs a real nginx (auth_request module) in front of a test upstream.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "test.sh: installing nginx from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi

# The end-to-end tests (test/e2e) drive Debian's Chromium through playwright-core, which brings no browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing chromium from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ ! -x node_modules/.bin/node ] || [ ! -d node_modules/oidc-provider ] || [ ! -d node_modules/playwright-core ]; then
  echo "test.sh: installing npm dependencies"
  npm ci --no-audit --no-fund
fi

redis_dir=$(mktemp -d)
redis_port=$(node_modules/.bin/node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$redis_dir" --daemonize yes \
  --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
stop_redis() {
  if [ -f "$redis_dir/redis.pid" ]; then kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$redis_dir"
}
trap stop_redis EXIT
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

export TEST_REDIS_URL="redis://127.0.0.1:${redis_port}"
echo "test.sh: redis-server on ${TEST_REDIS_URL}; node $(node_modules/.bin/node --version)"

npm run --silent typecheck

# Everything once on the embedded default, then the integration suite again in the production topology that can
# run here (Redis + SQLite). Jest's own summary is not a format every CI reader knows, so the run closes with one
# plain line added up from both JSON reports.
status=0
npm run --silent test:jest -- --json --outputFile="$redis_dir/embedded.json" "$@" || status=$?
if [ "$#" -eq 0 ]; then
  echo "test.sh: integration suite again with REDIS_URL (Redis + SQLite)"
  TESSERA_TEST_TOPOLOGY=redis npm run --silent test:jest -- --json --outputFile="$redis_dir/redis.json" test/integration || status=$?
fi
node_modules/.bin/node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of process.argv.slice(1).filter((f) => fs.existsSync(f))) {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tessera: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$redis_dir/embedded.json" "$redis_dir/redis.json" || echo "tessera: jest produced no report"
exit "$status"
