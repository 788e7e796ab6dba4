# Sourced by the conformance scripts: builds the dodo-sandbox binary and starts it on a free
# loopback port (extra flags in SANDBOX_FLAGS); sets SANDBOX_URL and SANDBOX_PID, stops it on
# exit. Needs `fail` defined by the caller.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workspace="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$workspace/target}"

(cd "$workspace" && cargo build --quiet -p dodo-sandbox --bin dodo-sandbox) || fail "cargo build failed"
bin="$target/debug/dodo-sandbox"
[ -x "$bin" ] || fail "no binary at $bin"

sandbox_log="$(mktemp)"
# shellcheck disable=SC2086
"$bin" --port 0 --settle-delay-ms 0 --webhook-retry-scale 0.001 ${SANDBOX_FLAGS:-} >"$sandbox_log" 2>&1 &
SANDBOX_PID=$!
stop_sandbox() {
  kill "$SANDBOX_PID" 2>/dev/null || true
  wait "$SANDBOX_PID" 2>/dev/null || true
  rm -f "$sandbox_log"
}
trap stop_sandbox EXIT

SANDBOX_URL=""
for _ in $(seq 1 300); do
  SANDBOX_URL="$(grep -o 'listening on http://[0-9.:]*' "$sandbox_log" | head -n1 | sed 's/listening on //' || true)"
  [ -n "$SANDBOX_URL" ] && break
  kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$sandbox_log" >&2; fail "the sandbox exited"; }
  sleep 0.1
done
[ -n "$SANDBOX_URL" ] || { cat "$sandbox_log" >&2; fail "the sandbox did not start"; }
