#!/usr/bin/env bash
# `make test`: every check the project has, in the order a failure is cheapest to find.
# Each step's output is shown as it runs and kept under target/test-logs/. The closing line
# counts every test and check that ran: "N passed, N failed". Exit status is non-zero on any
# failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
LOGS=target/test-logs
mkdir -p "$LOGS"

PASSED=0
FAILED=0
FAILED_STEPS=()

# count_results LOG: prints "passed failed" from what cargo test, Playwright and our own
# scripts reported in LOG.
count_results() {
  awk '
    # cargo test: "test result: ok. 12 passed; 0 failed; ..."
    /^test result: / { p += $4; f += $6 }
    # Playwright list reporter: "  5 passed (3.2s)", "  1 failed"
    /^ *[0-9]+ passed \(/ { p += $1 }
    /^ *[0-9]+ failed$/ { f += $1 }
    # our scripts: "N passed, N failed" (the sandbox conformance run)
    /^[0-9]+ passed, [0-9]+ failed$/ { p += $1; f += $3 }
    END { print p + 0, f + 0 }
  ' "$1"
}

# step NAME KIND COMMAND...: KIND is "check" (counts as one) or "tests" (counts what it ran).
step() {
  local name=$1 kind=$2; shift 2
  local log="$LOGS/$(echo "$name" | tr ' /' '__').log"
  echo
  echo "==> $name"
  local started=$SECONDS
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local took=$(( SECONDS - started ))
  if [ "$kind" = tests ]; then
    read -r p f < <(count_results "$log")
    PASSED=$(( PASSED + p ))
    FAILED=$(( FAILED + f ))
    # A runner that crashed before reporting still counts as one failure.
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then FAILED=$(( FAILED + 1 )); fi
  elif [ "$status" -eq 0 ]; then
    PASSED=$(( PASSED + 1 ))
  else
    FAILED=$(( FAILED + 1 ))
  fi
  if [ "$status" -ne 0 ]; then FAILED_STEPS+=("$name"); fi
  echo "<== $name: $([ "$status" -eq 0 ] && echo ok || echo FAILED) (${took}s)"
  return "$status"
}

finish() {
  echo
  if [ ${#FAILED_STEPS[@]} -gt 0 ]; then
    echo "failed steps: ${FAILED_STEPS[*]}"
    # The names of the failed tests, so the last lines of a CI log say what to look at:
    # cargo's "test name ... FAILED" and Playwright's "✘ ... title" lines.
    grep -hE '^test .* \.\.\. FAILED$|^ *✘ ' "$LOGS"/*.log 2>/dev/null | sed 's/^ */  /' | sort -u | head -40
  fi
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ] && [ ${#FAILED_STEPS[@]} -eq 0 ]
  exit $?
}

step "setup" check bash scripts/setup.sh test || finish

step "cargo fmt" check cargo fmt --all --check
step "layers of src/" tests bash scripts/check-layers.sh
step "clippy ssr" check cargo clippy -p dodo-upsell --all-targets --features ssr -- -D warnings
step "clippy hydrate wasm32" check cargo clippy -p dodo-upsell --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings
step "clippy crates" check cargo clippy --workspace --exclude dodo-upsell --all-targets -- -D warnings

# The hostile-input suite runs on its own, showing how many requests it sent.
step "cargo test" tests cargo test --workspace --features dodo-upsell/ssr -- --skip generated_hostile
step "hostile input (generated)" tests cargo test -p dodo-upsell --test app generated_hostile -- --nocapture
step "postgres store" tests bash scripts/test-postgres.sh
if [ -x crates/dodo-sandbox/conformance/run.sh ]; then
  step "sandbox conformance (TypeScript SDK)" tests bash crates/dodo-sandbox/conformance/run.sh
fi
# Issue 19: the sandbox and our Dodo calls against Dodo's OpenAPI description, and webhook
# signatures cross-checked (Schemathesis, Prism, Python standardwebhooks).
step "Dodo API description conformance" tests bash crates/dodo-sandbox/conformance/openapi-conformance.sh

# The browser suite: hydration is proven on the debug build (smoke tests), then everything runs
# against the precompressed release build, including the page-weight budget.
export DATABASE_URL="sqlite://target/e2e/app.db"
# The e2e server lets the test's merchant pages (port 3900, and 127.0.0.2:3902 on another site)
# frame it and mints links with this admin key; end2end/tests/helpers.ts uses the same values.
export MERCHANT_ORIGINS="http://127.0.0.1:3900,http://127.0.0.2:3902"
export ADMIN_API_KEY="e2e-admin-key-0123456789abcdef"
# Each build writes target/site afresh: precompressed files left by an earlier release build
# would otherwise be served beside a debug build's JavaScript (a WASM that does not match it).
rm -rf target/e2e target/site/pkg
step "e2e debug (smoke)" tests env E2E_SUITE=smoke cargo leptos end-to-end --split
rm -rf target/e2e target/site/pkg
step "release build + e2e" tests cargo leptos end-to-end --release --precompress --split

finish
