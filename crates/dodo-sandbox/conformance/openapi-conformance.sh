#!/usr/bin/env bash
# Issue 19 in one step of `make test`: the sandbox against Dodo's OpenAPI description
# (Schemathesis), our requests against it (Prism), and webhook signatures checked by a second
# Standard Webhooks implementation. Each part prints its own "N passed, N failed" line;
# the exit status is non-zero if any part failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
status=0
for part in api-description requests webhooks; do
  echo "--- $part"
  bash "$here/$part.sh" || status=1
done
exit "$status"
