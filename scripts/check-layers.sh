#!/usr/bin/env bash
# Keeps the direction of src/ (README, "Project layout"): leaves (types, i18n, money, routes,
# context, error) depend on no other part; components depend on leaves; pages on leaves and
# components; the server on leaves only — the router rendering the app (server/http.rs) aside.
# Pages reach the server only inside server functions and server-only loaders, which the
# compiler already confines to the `ssr` build. Prints every import that breaks a rule and
# ends with "N passed, N failed" (one check per rule).
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0

# rule NAME FILES... -- PATTERN: no line of FILES may match PATTERN (comments aside).
rule() {
  local name=$1; shift
  local files=()
  while [ "$1" != "--" ]; do files+=("$1"); shift; done
  shift
  local pattern=$1
  local hits
  hits=$(grep -nE "$pattern" "${files[@]}" 2>/dev/null | grep -vE '^[^:]+:[0-9]+:\s*//' || true)
  if [ -n "$hits" ]; then
    echo "layers: FAILED — $name:"
    echo "$hits" | sed 's/^/  /'
    failed=$((failed + 1))
  else
    echo "layers: ok — $name"
    passed=$((passed + 1))
  fi
}

leaves=(src/types src/i18n src/money.rs src/dates.rs src/context.rs src/error.rs src/routes.rs)
server_files=$(find src/server -name '*.rs' ! -path src/server/http.rs)

rule "leaves import no page, component, app or server code" \
  $(find "${leaves[@]}" -name '*.rs') -- 'crate::(app|pages|components|server)\b'
rule "server code imports no page, component or app (http.rs renders the app)" \
  $server_files -- 'crate::(app|pages|components)\b'
rule "server code writes no customer text (presenters next to the views do)" \
  $server_files -- 'crate::i18n::(\{[^}]*\b(t|tf)\b|t\b|tf\b|Text\b|[a-z_]+::)'
rule "components import no page or app" \
  $(find src/components -name '*.rs') -- 'crate::(app|pages)\b'
# Islands run in the browser, where there is no CLDR data (cldr-format is server-only): they
# receive money and dates as text, written by the server.
rule "islands format no money or dates (the server writes them)" \
  $(find src/pages -name 'islands.rs') -- '\.format\(|format_minor|long_date|crate::(money|dates)\b'
rule "pages import no app" \
  $(find src/pages -name '*.rs') -- 'crate::app\b'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
