#!/usr/bin/env bash
# Sandbox webhook deliveries verified by Python's standardwebhooks (an implementation
# independent of the Rust crate the sandbox signs with). Last line "N passed, N failed".
set -euo pipefail

fail() {
  echo "webhooks: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workspace="$(cd "$here/../../.." && pwd)"
python="$workspace/target/conformance-venv/bin/python"
[ -x "$python" ] || fail "no $python: run scripts/setup.sh test"

# shellcheck source=sandbox.sh
source "$here/sandbox.sh"
SANDBOX_URL="$SANDBOX_URL" "$python" "$here/webhooks.py"
