#!/usr/bin/env bash
# Runs the store's PostgreSQL tests (every test whose name contains "postgres") against the
# server in TEST_POSTGRES_URL (default: the project's standard postgres://postgres@127.0.0.1:5432/test).
# Each test creates its own fresh database and drops it afterwards. Where no PostgreSQL answers,
# the suite is skipped with a clear message — except in CI, where that is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}

hostport=$(echo "$TEST_POSTGRES_URL" | sed -E 's#^[a-z]+://([^@/]*@)?([^/:]+)(:([0-9]+))?.*#\2 \4#')
read -r host port <<<"$hostport"
port=${port:-5432}
if ! (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "postgres store: FAILED — no PostgreSQL answers at $host:$port, and CI must run this suite"
    exit 1
  fi
  echo "postgres store: SKIPPED — no PostgreSQL answers at $host:$port (set TEST_POSTGRES_URL to run it)"
  exit 0
fi
echo "postgres store: running against $host:$port"
cargo test -p dodo-upsell -- postgres
