#!/usr/bin/env bash
# `make bench`: serving speed of the release server (issue 21), printed as one table and written
# to target/bench/results.md. Not part of `make test`: timings are measurements, not checks.
#
# The server runs pinned to core 0 (`taskset -c 0`); a standalone sandbox, the load generator
# (oha, installed from crates.io) and curl run on core 1. Own ports (app 127.0.0.1:3300, sandbox
# 127.0.0.1:4310) and an own store under target/bench/, so it never meets `make run`/`make test`.
#
# Environment knobs: BENCH_DURATION (seconds per saturation run, default 10), BENCH_CONNECTIONS
# (default 50), BENCH_SAMPLES (first views per page at 80 ms, default 30), BENCH_WEBHOOKS
# (default 5000), BENCH_WEBHOOK_CONNECTIONS (default 8), BENCH_POSTGRES_URL (server of the
# PostgreSQL run, default postgres://postgres@127.0.0.1:5432; database `bench` is created
# there and dropped again; set BENCH_POSTGRES_URL=off to skip), BENCH_SKIP_BUILD=1,
# BENCH_SCENARIOS (default "a b c d e": offer, static, 80 ms latency, webhooks, dashboard queries),
# BENCH_SERVER_BIN (another build of the server, e.g. a variant to compare) and
# BENCH_LD_PRELOAD (an allocator to preload into the server, e.g. libmimalloc.so.2).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
SAMPLES=${BENCH_SAMPLES:-30}
WEBHOOKS=${BENCH_WEBHOOKS:-5000}
WEBHOOK_CONNECTIONS=${BENCH_WEBHOOK_CONNECTIONS:-8}
PG_SERVER=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
SCENARIOS=" ${BENCH_SCENARIOS:-a b c d e} "
APP_ADDR=127.0.0.1:3300
SBX_ADDR=127.0.0.1:4310
APP=http://$APP_ADDR
SBX=http://$SBX_ADDR
SBX_KEY=sandbox_sk_test
ADMIN_KEY=bench-admin-key-0123456789abcdef
OUT=target/bench
RESULTS=$OUT/results.md

say() { printf 'bench: %s\n' "$*"; }

# ---- tools and builds --------------------------------------------------------------------

bash scripts/setup.sh

if ! command -v oha >/dev/null 2>&1; then
  say "building oha (HTTP load generator) from crates.io (about 3 minutes on 2 cores, only once)"
  # Without LTO and with more codegen units: a far shorter build, the same load generator.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install oha --locked &
  install_pid=$!
  started=$SECONDS
  while kill -0 "$install_pid" 2>/dev/null; do
    sleep 5
    took=$(( SECONDS - started ))
    if [ $(( took % 30 )) -lt 5 ] && [ "$took" -ge 30 ]; then
      say "oha: still building ($(( took / 60 ))m$(( took % 60 ))s of about 3 minutes)"
    fi
  done
  wait "$install_pid"
fi
for tool in curl jq taskset setsid; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is required"; exit 1; }
done

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  say "building the release server, the sandbox and the webhook load program"
  cargo leptos build --release --precompress --split
  cargo build --release -p dodo-sandbox --bin dodo-sandbox
  # With cargo-leptos's LEPTOS_OUTPUT_NAME (which leptos_config reads at compile time), so the
  # example reuses the server's build instead of rebuilding Leptos, and the next
  # `cargo leptos build` does not rebuild it back.
  LEPTOS_OUTPUT_NAME=$(sed -n 's/^output-name = "\(.*\)"/\1/p' Cargo.toml) \
    cargo build --release --example webhook_load --example dashboard_bench --features ssr
fi
# The server and its site are copied under target/bench/ first: other builds in this checkout
# (`make run`, a debug `cargo leptos build`) rewrite target/site — without the precompressed
# .br files — and could replace the binary in the middle of a run.
mkdir -p "$OUT"
rm -rf "$OUT/site" && cp -r target/site "$OUT/site"
cp "${BENCH_SERVER_BIN:-target/release/dodo-upsell}" "$OUT/dodo-upsell"
SERVER_BIN=$OUT/dodo-upsell
if ! ls "$OUT"/site/pkg/*.css.br >/dev/null 2>&1; then
  say "WARNING: target/site has no precompressed .br files (not a --precompress build)"
fi
SANDBOX_BIN=target/release/dodo-sandbox
WEBHOOK_LOAD=target/release/examples/webhook_load
DASHBOARD_BENCH=target/release/examples/dashboard_bench

mkdir -p "$OUT"
# Other work on the machine skews every figure; the table says how busy it was.
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
rm -f "$OUT"/app.db* "$OUT"/*.jar "$OUT"/*.log "$RESULTS"

# ---- processes -------------------------------------------------------------------------------

SERVER_PID=
SANDBOX_PID=
PG_CREATED=
stop_pid() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$SERVER_PID"
  stop_pid "$SANDBOX_PID"
  if [ -n "$PG_CREATED" ]; then
    psql "$PG_SERVER/postgres" -qAt -c 'DROP DATABASE IF EXISTS bench' >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for addr in "$APP_ADDR" "$SBX_ADDR"; do
  if curl -s -o /dev/null --max-time 1 "http://$addr/"; then
    say "something already listens on $addr; stop it first"
    exit 1
  fi
done

# Starts a command in a session of its own (so a terminal's Ctrl-C reaches only this script,
# whose trap stops it) and waits until its PID is in file $1. setsid may fork, so the command
# writes its own PID before it becomes the program.
spawn() {
  local pidfile=$1; shift
  rm -f "$pidfile"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" &
  for _ in $(seq 100); do [ -s "$pidfile" ] && return 0; sleep 0.05; done
  say "could not start $1"; exit 1
}

# Waits until URL answers 200, or the process PID has ended (then fails with its log).
wait_ready() {
  local url=$1 pid=$2 log=$3
  for _ in $(seq 600); do
    if curl -sf -o /dev/null --max-time 1 "$url"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then say "it stopped; $log:"; tail -20 "$log"; exit 1; fi
    sleep 0.1
  done
  say "$url not ready after 60 s"; exit 1
}

# The demo business plus 3×SAMPLES customers of our own, each with a card that succeeds (and,
# for the plan-change group, a subscription): every "first view" is then a customer the
# server has never seen, so no per-customer cache helps it.
FIXTURES=$OUT/fixtures.toml
cp crates/dodo-sandbox/fixtures/demo.toml "$FIXTURES"
for group in o x p; do
  for i in $(seq "$SAMPLES"); do
    cat >>"$FIXTURES" <<EOF

[[customers]]
customer_id = "cus_bench_${group}${i}"
email = "bench-${group}${i}@example.com"
name = "Bench ${group}${i}"
[[customers.payment_methods]]
payment_method_id = "pm_bench_${group}${i}_visa"
card_number = "4242 4242 4242 4242"
expiry = "12/2030"
holder_name = "Bench ${group}${i}"
EOF
    if [ "$group" = p ]; then
      cat >>"$FIXTURES" <<EOF

[[subscriptions]]
subscription_id = "sub_bench_p${i}"
customer_id = "cus_bench_p${i}"
product_id = "pdt_demo_basic"
payment_method_id = "pm_bench_p${i}_visa"
days_into_cycle = 15
cycle_days = 30
EOF
    fi
  done
done

WEBHOOK_KEY="whsec_$(head -c 32 /dev/urandom | base64)"
LINK_KEY="$(head -c 48 /dev/urandom | base64)"

say "starting the sandbox on $SBX_ADDR (core 1)"
spawn "$OUT/sandbox.pid" taskset -c 1 "$SANDBOX_BIN" --host 127.0.0.1 --port "${SBX_ADDR##*:}" --fixtures "$FIXTURES" \
  --api-key "$SBX_KEY" --webhook-url "$APP/webhooks/dodo" --webhook-secret "$WEBHOOK_KEY" \
  --public-url "$SBX" --settle-delay-ms 0 >"$OUT/sandbox.log" 2>&1
SANDBOX_PID=$(cat "$OUT/sandbox.pid")
wait_ready "$SBX/_sandbox/clock" "$SANDBOX_PID" "$OUT/sandbox.log"

# Starts the server on core 0 against DATABASE_URL=$1.
start_server() {
  say "starting the server on $APP_ADDR (core 0), store $1"
  LEPTOS_ENV=PROD LEPTOS_SITE_ADDR=$APP_ADDR LEPTOS_SITE_ROOT=$OUT/site \
  PUBLIC_URL=$APP DATABASE_URL=$1 RUST_LOG=${BENCH_RUST_LOG:-warn} \
  DODO_SANDBOX=off DODO_PAYMENTS_BASE_URL=$SBX DODO_PAYMENTS_API_KEY=$SBX_KEY \
  DODO_PAYMENTS_WEBHOOK_KEY=$WEBHOOK_KEY LINK_SIGNING_KEY=$LINK_KEY ADMIN_API_KEY=$ADMIN_KEY \
  TRUSTED_PROXIES=127.0.0.1/32 LD_PRELOAD=${BENCH_LD_PRELOAD:-} \
    spawn "$OUT/server.pid" taskset -c 0 "$SERVER_BIN" >>"$OUT/server.log" 2>&1
  SERVER_PID=$(cat "$OUT/server.pid")
  wait_ready "$APP/healthz" "$SERVER_PID" "$OUT/server.log"
}
start_server "sqlite://$OUT/app.db?mode=rwc"

# ---- helpers -------------------------------------------------------------------------------

ROWS=()
row() { # scenario, figure, target, met
  ROWS+=("| $1 | $2 | $3 | $4 |")
  printf 'bench: %-58s %s\n' "$1" "$2"
}

# oha on core 1, JSON summary to stdout. Arguments after the first go to oha.
load() {
  taskset -c 1 oha --no-tui --output-format json "$@"
}
rps() { jq -r '.summary.requestsPerSec | floor'; }
# p50 and p99 in ms, and the share of non-2xx answers, from oha's JSON.
pcts() { jq -r '"\(.latencyPercentiles.p50*1000*10|round/10) / \(.latencyPercentiles.p99*1000*10|round/10) ms"'; }
non_ok() {
  jq -r '[.statusCodeDistribution | to_entries[] | select(.key|startswith("2")|not) | .value] | add // 0'
}
check_ok() { # label, oha JSON
  local bad; bad=$(non_ok <<<"$2")
  if [ "$bad" != 0 ]; then say "WARNING: $1 had $bad non-2xx answers: $(jq -c .statusCodeDistribution <<<"$2")"; fi
}
# The server's CPU time so far, in clock ticks (user + system, /proc/PID/stat fields 14–15).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
TICK_MS=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN { print 1000 / hz }')
# Saturation run → "req/s cpu_ms_per_request". Requests per second depend on what else the
# machine runs; the server's CPU time per request much less, so both are reported.
saturate() { # label, url, extra oha args…
  local label=$1 url=$2; shift 2
  load -z 2s -c "$CONNECTIONS" "$@" "$url" >/dev/null # warm-up
  local before json after
  before=$(cpu_ticks)
  json=$(load -z "${DURATION}s" -c "$CONNECTIONS" "$@" "$url")
  after=$(cpu_ticks)
  check_ok "$label" "$json"
  local served; served=$(jq '[.statusCodeDistribution[]] | add // 0' <<<"$json")
  printf '%s %s\n' "$(rps <<<"$json")" \
    "$(awk -v t=$((after - before)) -v ms="$TICK_MS" -v n="$served" 'BEGIN { printf "%.2f", n ? t * ms / n : 0 }')"
}
percentile() { # p, numbers on stdin (one a line) → the p-th percentile (nearest rank)
  sort -n | awk -v p="$1" '{ v[NR] = $1 } END { r = int((p / 100) * NR + 0.999999); if (r < 1) r = 1; if (r > NR) r = NR; printf "%.1f", v[r] }'
}
versus() { if [ "$1" -ge 0 ]; then echo "$1 % below identity"; else echo "${1#-} % above identity"; fi; }
met() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; then echo yes; else echo "**no**"; fi; }

api() { # method, path, json body → sandbox API answer
  curl -sf -X "$1" "$SBX$2" -H "authorization: Bearer $SBX_KEY" -H 'content-type: application/json' ${3:+-d "$3"}
}
purchase() { # customer, payment method → payment id
  api POST /payments "{\"customer\":{\"customer_id\":\"$1\"},\"payment_method_id\":\"$2\",\"confirm\":true,\"billing\":{\"country\":\"US\"},\"product_cart\":[{\"product_id\":\"pdt_demo_course\",\"quantity\":1}]}" \
    | jq -r .payment_id
}
# A customer address of its own for each request (the server trusts X-Forwarded-For from
# 127.0.0.1 here), so per-address rate limits see many customers, as in production.
client() { echo "10.$((SRANDOM % 250)).$((SRANDOM % 250)).$((SRANDOM % 250 + 1))"; }
# GET /offer/landing for payment $1 with cookie jar $2 → "seconds location"
land() {
  taskset -c 1 curl -s -o /dev/null -c "$2" -H "X-Forwarded-For: $(client)" \
    -w '%{time_total} %{redirect_url}\n' "$APP/offer/landing?payment_id=$1&status=succeeded"
}
view() { # url, cookie jar → "seconds status"
  taskset -c 1 curl -s -o /dev/null -b "$2" -H "X-Forwarded-For: $(client)" -w '%{time_total} %{http_code}\n' "$1"
}
mint() { # audience, customer[, subscription] → url
  local body="{\"audience\":\"$1\",\"customer_id\":\"$2\"${3:+,\"subscription_id\":\"$3\"}}"
  curl -sf -X POST "$APP/api/links" -H "authorization: Bearer $ADMIN_KEY" -H "X-Forwarded-For: $(client)" \
    -H 'content-type: application/json' -d "$body" | jq -r .url | sed "s#^[a-z]*://[^/]*##"
}
cookie_header() { # cookie jar → "a=b; c=d"
  awk -F'\t' 'NF >= 7 && $1 !~ /^# / { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$1"
}

# ---- (a) the offer page --------------------------------------------------------------------

say "a purchase and its offer"
pay=$(purchase cus_demo_alice pm_demo_alice_visa)
read -r _ location < <(land "$pay" "$OUT/offer.jar")
case "$location" in */offer/off_*) ;; *) say "the landing did not lead to an offer: '$location'"; exit 1 ;; esac
OFFER=$location
COOKIE=$(cookie_header "$OUT/offer.jar")
if [[ $SCENARIOS == *" a "* ]]; then
  say "(a) offer page"
  encoding=$(curl -s -o /dev/null -D - -H "Cookie: $COOKIE" -H 'Accept-Encoding: br' "$OFFER" | tr -d '\r' | awk -F': ' 'tolower($1)=="content-encoding"{print $2}')
  sizes="$(curl -s -H "Cookie: $COOKIE" -H 'Accept-Encoding: identity' "$OFFER" | wc -c) B, br $(curl -s -H "Cookie: $COOKIE" -H 'Accept-Encoding: br' "$OFFER" | wc -c) B"
  [ "$encoding" = br ] || say "WARNING: the offer page was not brotli-encoded (content-encoding: '${encoding:-none}')"
  read -r id_rps id_cpu < <(saturate "offer identity" "$OFFER" -H "Cookie: $COOKIE" -H 'Accept-Encoding: identity')
  read -r br_rps br_cpu < <(saturate "offer br" "$OFFER" -H "Cookie: $COOKIE" -H 'Accept-Encoding: br')
  row "offer page, saturation, identity ($sizes)" "$id_rps req/s, $id_cpu ms CPU/req" "" ""
  drop=$(awk -v a="$id_rps" -v b="$br_rps" 'BEGIN { printf "%.0f", (1 - b / a) * 100 }')
  row "offer page, saturation, \`Accept-Encoding: br\`" "$br_rps req/s ($(versus "$drop")), $br_cpu ms CPU/req" "within 25 % of identity" "$(met "$drop" 25)"
  json=$(load -z "${DURATION}s" -q 200 -c 20 -H "Cookie: $COOKIE" -H 'Accept-Encoding: br' "$OFFER"); check_ok "offer @200" "$json"
  row "offer page at 200 req/s (br), p50 / p99" "$(pcts <<<"$json")" "" ""
  json=$(load -z "${DURATION}s" -q 200 -c 20 -H "Cookie: $COOKIE" -H 'Accept-Encoding: identity' "$OFFER"); check_ok "offer @200 id" "$json"
  row "offer page at 200 req/s (identity), p50 / p99" "$(pcts <<<"$json")" "" ""
fi

# ---- (b) static pages ------------------------------------------------------------------------
if [[ $SCENARIOS == *" b "* ]]; then

  say "(b) static pages"
  CSS=/pkg/$(basename "$(ls "$OUT"/site/pkg/*.css | head -1)")
  for page in / "$CSS"; do
    read -r id_rps id_cpu < <(saturate "$page identity" "$APP$page" -H 'Accept-Encoding: identity')
    read -r br_rps br_cpu < <(saturate "$page br" "$APP$page" -H 'Accept-Encoding: br')
    drop=$(awk -v a="$id_rps" -v b="$br_rps" 'BEGIN { printf "%.0f", (1 - b / a) * 100 }')
    row "\`$page\`, saturation, identity" "$id_rps req/s, $id_cpu ms CPU/req" "" ""
    row "\`$page\`, saturation, br" "$br_rps req/s ($(versus "$drop")), $br_cpu ms CPU/req" "within 25 % of identity" "$(met "$drop" 25)"
  done
fi

# ---- (c) 80 ms per Dodo call -----------------------------------------------------------------
if [[ $SCENARIOS == *" c "* ]]; then

  say "(c) 80 ms Dodo latency, $SAMPLES first views per page"
  # Every group's purchases are made before the latency is on (they are not what is timed).
  declare -A PAY
  for i in $(seq "$SAMPLES"); do
    PAY[o$i]=$(purchase "cus_bench_o$i" "pm_bench_o${i}_visa")
    PAY[x$i]=$(purchase "cus_bench_x$i" "pm_bench_x${i}_visa")
  done
  api DELETE /_sandbox/requests >/dev/null
  api PUT /_sandbox/latency '{"min_ms":80,"max_ms":80}' >/dev/null

  # The sequence number of the sandbox's last recorded API request (its log keeps the last 2000).
  calls_since() { api GET /_sandbox/requests | jq '.items | last | .seq // 0'; }
  first_views=() ; calls=()
  for i in $(seq "$SAMPLES"); do
    jar=$OUT/o$i.jar
    before=$(calls_since)
    read -r t_land location < <(land "${PAY[o$i]}" "$jar")
    read -r t_view status < <(view "$location" "$jar")
    [ "$status" = 200 ] || { say "offer view answered $status"; exit 1; }
    calls+=($(( $(calls_since) - before )))
    first_views+=("$(awk -v a="$t_land" -v b="$t_view" 'BEGIN { print (a + b) * 1000 }')")
  done
  LAST_OFFER=$location LAST_COOKIE=$(cookie_header "$jar")
  p50=$(printf '%s\n' "${first_views[@]}" | percentile 50); p99=$(printf '%s\n' "${first_views[@]}" | percentile 99)
  row "80 ms Dodo: first offer view (landing + page), p50 / p99" "$p50 / $p99 ms (Dodo calls: $(printf '%s\n' "${calls[@]}" | sort -n | uniq -c | awk '{printf "%s%s×%s", (n++?", ":""), $1, $2}'))" "p50 ≤ 120 ms" "$(met "$p50" 120)"
  json=$(load -z "${DURATION}s" -q 200 -c 20 -H "Cookie: $LAST_COOKIE" -H 'Accept-Encoding: br' "$LAST_OFFER"); check_ok "offer reload" "$json"
  reload_p50=$(jq -r '.latencyPercentiles.p50*1000*10|round/10' <<<"$json")
  row "80 ms Dodo: offer reload (oha, 200 req/s), p50 / p99" "$(pcts <<<"$json")" "≤ 10 ms" "$(met "$reload_p50" 10)"

  # Cross-sell and plan-change pages: a signed link each, opened twice (first view, reload).
  for page in cross-sell plan-change; do
    firsts=() ; reloads=() ; calls=()
    for i in $(seq "$SAMPLES"); do
      if [ "$page" = cross-sell ]; then url=$(mint cross-sell "cus_bench_x$i"); else url=$(mint plan-change "cus_bench_p$i" "sub_bench_p$i"); fi
      jar=$OUT/$page$i.jar; : >"$jar"
      before=$(calls_since)
      read -r t status final < <(taskset -c 1 curl -s -o /dev/null -c "$jar" -b "$jar" -L -H "X-Forwarded-For: $(client)" \
        -w '%{time_total} %{http_code} %{url_effective}\n' "$APP$url")
      [ "$status" = 200 ] || { say "$page answered $status"; exit 1; }
      calls+=($(( $(calls_since) - before )))
      firsts+=("$(awk -v a="$t" 'BEGIN { print a * 1000 }')")
      # The reload: the page the link ended on, opened again by the same browser.
      read -r t status < <(view "$final" "$jar")
      [ "$status" = 200 ] || { say "$page reload answered $status"; exit 1; }
      reloads+=("$(awk -v a="$t" 'BEGIN { print a * 1000 }')")
    done
    dist=$(printf '%s\n' "${calls[@]}" | sort -n | uniq -c | awk '{printf "%s%s×%s", (n++?", ":""), $1, $2}')
    row "80 ms Dodo: $page first view, p50 / p99" "$(printf '%s\n' "${firsts[@]}" | percentile 50) / $(printf '%s\n' "${firsts[@]}" | percentile 99) ms (Dodo calls: $dist)" "" ""
    row "80 ms Dodo: $page reload, p50 / p99" "$(printf '%s\n' "${reloads[@]}" | percentile 50) / $(printf '%s\n' "${reloads[@]}" | percentile 99) ms" "" ""
  done
  # What the server asked Dodo during (c), for reading the call counts above.
  api GET /_sandbox/requests >"$OUT/dodo-requests.json"
  api DELETE /_sandbox/latency >/dev/null
fi

# ---- (d) webhook ingest ----------------------------------------------------------------------
if [[ $SCENARIOS == *" d "* ]]; then

  say "(d) webhook ingest: $WEBHOOKS signed webhooks over $WEBHOOK_CONNECTIONS connections"
  api GET "/payments/$pay" >"$OUT/payment.json"
  ingest() { # store label, database URL
    local out
    out=$(taskset -c 1 "$WEBHOOK_LOAD" --url "$APP/webhooks/dodo" --secret "$WEBHOOK_KEY" \
      --payment "$OUT/payment.json" --database-url "$2" -n "$WEBHOOKS" -c "$WEBHOOK_CONNECTIONS") || true
    printf '%s\n' "$out" | sed 's/^/bench:   /'
    local tput p50 p99 stored
    tput=$(sed -n 's/.*throughput=\([0-9]*\)\/s.*/\1/p' <<<"$out")
    p50=$(sed -n 's/.* p50=\([0-9.]*\)ms.*/\1/p' <<<"$out")
    p99=$(sed -n 's/.* p99=\([0-9.]*\)ms.*/\1/p' <<<"$out")
    if grep -q 'every webhook stored exactly once' <<<"$out"; then stored="all stored once"; else stored="**lost or doubled**"; fi
    local ok=yes
    { [ "${tput:-0}" -ge 1000 ] && [ "$(met "${p99:-9999}" 50)" = yes ]; } || ok="**no**"
    [ "$1" = SQLite ] || ok=""
    row "webhook ingest, $1, $WEBHOOK_CONNECTIONS connections" "${tput:-?}/s, p50 / p99 ${p50:-?} / ${p99:-?} ms, $stored" "$([ "$1" = SQLite ] && echo '≥ 1,000/s, p99 ≤ 50 ms')" "$ok"
  }
  ingest SQLite "sqlite://$OUT/app.db"

  if [ "$PG_SERVER" != off ] && psql "$PG_SERVER/postgres" -qAt -c 'SELECT 1' >/dev/null 2>&1; then
    psql "$PG_SERVER/postgres" -qAt -c 'DROP DATABASE IF EXISTS bench' -c 'CREATE DATABASE bench' >/dev/null
    PG_CREATED=1
    stop_pid "$SERVER_PID"; SERVER_PID=
    start_server "$PG_SERVER/bench"
    ingest PostgreSQL "$PG_SERVER/bench"
  else
    say "PostgreSQL at $PG_SERVER does not answer; its webhook run is skipped"
fi
fi

# ---- (e) the merchant dashboard's queries ---------------------------------------------------
if [[ $SCENARIOS == *" e "* ]]; then
  say "(e) dashboard queries on 100,000 impressions and 10,000 attempts (examples/dashboard_bench.rs)"
  dashboard() { # store label, database URL
    local out
    out=$(taskset -c 0 "$DASHBOARD_BENCH" "$2") || true
    printf '%s\n' "$out" | sed 's/^/bench:   /'
    local median ok=yes
    median=$(sed -n 's/.*last 30 days, all: median=\([0-9.]*\)ms.*/\1/p' <<<"$out")
    [ "$(met "${median:-9999}" 200)" = yes ] || ok="**no**"
    row "dashboard main queries, $1, 30 days of 100,000 impressions" "median ${median:-?} ms" "≤ 200 ms (issue 15)" "$ok"
  }
  rm -f "$OUT"/dashboard.db*
  dashboard SQLite "sqlite://$OUT/dashboard.db"
  if [ "$PG_SERVER" != off ] && psql "$PG_SERVER/postgres" -qAt -c 'SELECT 1' >/dev/null 2>&1; then
    psql "$PG_SERVER/postgres" -qAt -c 'DROP DATABASE IF EXISTS bench_dashboard' -c 'CREATE DATABASE bench_dashboard' >/dev/null
    dashboard PostgreSQL "$PG_SERVER/bench_dashboard"
    psql "$PG_SERVER/postgres" -qAt -c 'DROP DATABASE IF EXISTS bench_dashboard' >/dev/null 2>&1 || true
  else
    say "PostgreSQL at $PG_SERVER does not answer; its dashboard run is skipped"
  fi
fi

# ---- the table -------------------------------------------------------------------------------

{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), server on core 0, load on core 1, ${DURATION} s per run, $CONNECTIONS connections at saturation; load average before the run: $LOAD_BEFORE."
  echo
  echo "| scenario | measured | target (issue 21) | met |"
  echo "|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} >"$RESULTS"
echo
cat "$RESULTS"
echo
say "table written to $RESULTS"
