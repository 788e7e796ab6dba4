#!/usr/bin/env bash
# Builds and starts the dodo-sandbox binary on a free port, runs the official TypeScript SDK
# conformance script against it, stops it. Exits non-zero on any failure; the last line is
# "N passed, N failed".
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workspace="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$workspace/target}"

fail() {
  echo "conformance: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

(cd "$workspace" && cargo build --quiet -p dodo-sandbox --bin dodo-sandbox) || fail "cargo build failed"
bin="$target/debug/dodo-sandbox"
[ -x "$bin" ] || fail "no binary at $bin"

if [ ! -d "$here/node_modules/dodopayments" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"
fi

log="$(mktemp)"
"$bin" --port 0 --settle-delay-ms 0 --webhook-retry-scale 0.001 >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

# Wait (bounded) for the "listening on http://…" line.
url=""
for _ in $(seq 1 300); do
  url="$(grep -o 'listening on http://[0-9.:]*' "$log" | head -n1 | sed 's/listening on //' || true)"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "the sandbox exited"; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; fail "the sandbox did not start"; }

cd "$here"
SANDBOX_URL="$url" node conformance.mjs
