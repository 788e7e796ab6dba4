#!/usr/bin/env bash
# Our outgoing requests against Dodo's OpenAPI description: dodo-client's every_call test
# (every public DodoClient method, i.e. every Dodo call the app makes) runs through Prism in
# proxy mode (npm @stoplight/prism-cli, pinned here) in front of the sandbox. With --errors,
# Prism answers 422 instead of forwarding a request the description refuses, so the test
# fails on it. Prints each refused request and Prism's warnings; the last line is
# "N passed, N failed" counting validated requests.
set -euo pipefail

fail() {
  echo "requests: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workspace="$(cd "$here/../../.." && pwd)"
prism="$here/node_modules/.bin/prism"
[ -x "$prism" ] || fail "no Prism in $here/node_modules: run scripts/setup.sh test"

out="$workspace/target/openapi"
mkdir -p "$out"
python3 "$here/../openapi/patch.py" "$out/dodo-sandbox.json" || fail "patching the description failed"
# Build the test first so that its compile time does not count against Prism's wait.
(cd "$workspace" && cargo test --quiet -p dodo-client --test every_call --no-run) || fail "cargo build failed"

# shellcheck source=sandbox.sh
source "$here/sandbox.sh"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
prism_log="$out/prism.log"
"$prism" proxy "$out/dodo-sandbox.json" "$SANDBOX_URL" --errors -h 127.0.0.1 -p "$port" >"$prism_log" 2>&1 &
prism_pid=$!
trap 'kill "$prism_pid" 2>/dev/null || true; wait "$prism_pid" 2>/dev/null || true; stop_sandbox' EXIT
for _ in $(seq 1 300); do
  grep -q "Prism is listening" "$prism_log" && break
  kill -0 "$prism_pid" 2>/dev/null || { cat "$prism_log" >&2; fail "Prism exited"; }
  sleep 0.1
done
grep -q "Prism is listening" "$prism_log" || fail "Prism did not start"

status=0
test_log="$out/every_call.log"
(cd "$workspace" && DODO_CLIENT_BASE_URL="http://127.0.0.1:$port" DODO_SANDBOX_URL="$SANDBOX_URL" \
  cargo test --quiet -p dodo-client --test every_call -- --nocapture) >"$test_log" 2>&1 || status=$?
# The test's own lines, without cargo's summary (make test counts this step by the line below).
grep -v '^test result:' "$test_log" || true

requests=$(grep -c "Request received" "$prism_log" || true)
refused=$(grep -c "✖  error" "$prism_log" || true)
warnings=$(grep -c "⚠" "$prism_log" || true)
grep -E "✖  error|⚠" "$prism_log" || true
echo "requests: $requests through Prism, $refused refused, $warnings warnings"
if [ "$status" -ne 0 ] && [ "$refused" -eq 0 ]; then
  refused=1
  echo "requests: the every_call test failed"
fi
echo "$(( requests - refused )) passed, $refused failed"
[ "$refused" -eq 0 ]
