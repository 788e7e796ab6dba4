#!/usr/bin/env bash
# The sandbox against Dodo's OpenAPI description (vendored 1.113.0 + openapi/patch.py), with
# Schemathesis: every operation the sandbox serves, positive and negative cases (examples,
# coverage and fuzzing phases, fixed seed), checking no 5xx, documented status codes,
# content types, response schemas, and that schema-violating requests are refused.
# Bounded: SCHEMATHESIS_MAX_EXAMPLES (default 40) per operation and phase, --max-time 150 s.
# Prints the number of cases; the last line is "N passed, N failed" counting operations.
set -euo pipefail

fail() {
  echo "api-description: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workspace="$(cd "$here/../../.." && pwd)"
venv="$workspace/target/conformance-venv"
[ -x "$venv/bin/schemathesis" ] || fail "no Schemathesis in $venv: run scripts/setup.sh test"

out="$workspace/target/openapi"
mkdir -p "$out"
python3 "$here/../openapi/patch.py" "$out/dodo-sandbox.json" || fail "patching the description failed"

# shellcheck source=sandbox.sh
source "$here/sandbox.sh"

# The operations the sandbox serves (operation ids of the description).
ops="create_session|get_checkout_sessions_status|list_customers|create_customer|get_customer_handler"
ops+="|create_customer_portal_session|get_customer_payment_methods|delete_customer_payment_method"
ops+="|get_payment_invoice_no_auth|list_payments_handler|create_one_time_payment_handler|get_payment_handler"
ops+="|list_product_collections|get_product_collection|list_products_handler|get_product_handler|patch_product"
ops+="|list_product_translations|list_refunds|create_refund_handler|get_refund_handler"
ops+="|list_subscriptions_handler|get_subscription_handler|patch_subscription_handler"
ops+="|update_subscription_plan_handler|change_plan_preview_handler|delete_scheduled_plan_change_handler|update"

# Schemathesis keeps its example database in the working directory: keep it under target/.
cd "$out"
junit="$out/schemathesis-junit.xml"
log="$out/schemathesis.log"
status=0
"$venv/bin/schemathesis" run "$out/dodo-sandbox.json" \
  --url "$SANDBOX_URL" \
  --header "Authorization: Bearer sandbox_sk_test" \
  --include-operation-id-regex "^(${ops})\$" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
  --phases examples,coverage,fuzzing \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-25}" \
  --seed 20261201 \
  --max-time 150 \
  --workers 2 \
  --no-color \
  --report junit --report-junit-path "$junit" >"$log" 2>&1 || status=$?

# Failures in full, then the summary lines.
sed -n '/^=* FAILURES =*$/,/^=* SUMMARY =*$/p' "$log"
grep -E "generated|Tested:|Selected:" "$log" || true
python3 - "$junit" "$status" <<'PY'
import sys
import xml.etree.ElementTree as ET
path, status = sys.argv[1], int(sys.argv[2])
try:
    cases = ET.parse(path).getroot().iter("testcase")
except (OSError, ET.ParseError) as e:
    print(f"api-description: no JUnit report ({e})")
    print("0 passed, 1 failed")
    sys.exit(1)
passed = failed = 0
for case in cases:
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
        print(f"FAILED {case.get('name')}")
    else:
        passed += 1
if status != 0 and failed == 0:
    failed = 1
    print(f"api-description: schemathesis exited with {status}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
