#!/usr/bin/env python3
"""Dodo's published OpenAPI description (1.113.0) plus what the API has gained since and how
the sandbox reads it: the document the conformance run and the request validator use.

    patch.py OUT.json

Every change below is one small function with the reason next to it, so the difference
between the published document and our reading is explicit (see README.md). Standard
library only; the output is deterministic (sorted keys).
"""

import copy
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "dodo-openapi-1.113.0.json"

# Dodo's flat error body (docs: api-reference/error-codes).
ERROR = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
}


def json_error(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }


def newer_proration_mode(doc):
    """`prorated_immediately_keep_cycle`: in the Python SDK 1.123 and the Rust SDK 1.127."""
    modes = doc["components"]["schemas"]["ProrationBillingMode"]["enum"]
    if "prorated_immediately_keep_cycle" not in modes:
        modes.append("prorated_immediately_keep_cycle")


def product_translations(doc):
    """`GET /products/{id}/translations` and `Translation` (Rust SDK 1.127:
    `products().translations().list()`; `locale` is its `Locale` enum, which has no `hi`; our
    reading allows any two-letter code because the demo data has Hindi)."""
    schemas = doc["components"]["schemas"]
    schemas["Translation"] = {
        "type": "object",
        "required": ["locale", "updated_at"],
        "properties": {
            "locale": {"type": "string", "pattern": "^[a-z]{2}$"},
            "name": {"type": ["string", "null"]},
            "description": {"type": ["string", "null"]},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    }
    schemas["TranslationsListResponse"] = {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Translation"}}},
    }
    doc["paths"]["/products/{id}/translations"] = {
        "get": {
            "tags": ["Products"],
            "operationId": "list_product_translations",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "The product's translations",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/TranslationsListResponse"}
                        }
                    },
                },
                "404": json_error("Product not found"),
            },
            "security": [{"API_KEY": []}],
        }
    }


def preferred_locale(doc):
    """`Customer.preferred_locale` (Rust SDK 1.127; absent from 1.113)."""
    props = doc["components"]["schemas"]["CustomerResponse"]["properties"]
    props["preferred_locale"] = {"type": ["string", "null"], "pattern": "^[a-z]{2}$"}


def newer_response_fields(doc):
    """Fields the Rust SDK 1.127 requires that 1.113 does not list (reference §5.3, §6.1)."""
    schemas = doc["components"]["schemas"]
    sub = schemas["SubscriptionResponse"]["properties"]
    sub.setdefault("has_payment_method", {"type": "boolean"})
    for name in ["PaymentResponse", "GetPaymentsListResponseItem"]:
        if name not in schemas:
            continue
        props = schemas[name]["properties"]
        props.setdefault("includes_usage", {"type": "boolean"})
        props.setdefault("is_multi_subscription", {"type": "boolean"})
        props.setdefault("has_license_key", {"type": "boolean"})
        props.setdefault("subscription_ids", {"type": "array", "items": {"type": "string"}})
        props.setdefault(
            "service_periods",
            {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["subscription_id", "starts_at", "ends_at", "proration_factor"],
                    "properties": {
                        "subscription_id": {"type": "string"},
                        "starts_at": {"type": "string", "format": "date-time"},
                        "ends_at": {"type": "string", "format": "date-time"},
                        "proration_factor": {"type": "string"},
                    },
                },
            },
        )


def change_plan_answers_json(doc):
    """Change-plan answers `SubscriptionChangePlanResponse` (Rust SDK 1.127, CHANGELOG
    1.115.0); 1.113 documents no body, on which that SDK fails (reference §6.4)."""
    doc["components"]["schemas"]["SubscriptionChangePlanResponse"] = {
        "type": "object",
        "properties": {
            key: {"type": ["string", "null"]}
            for key in ["client_secret", "expires_on", "payment_id", "payment_link"]
        },
    }
    ok = doc["paths"]["/subscriptions/{subscription_id}/change-plan"]["post"]["responses"]["200"]
    ok["content"] = {
        "application/json": {"schema": {"$ref": "#/components/schemas/SubscriptionChangePlanResponse"}}
    }


def page_size_bounds(doc):
    """`page_size`: the spec says `minimum: 0`, its description "max is 100"; the sandbox
    refuses 0 and 101 (Dodo's answer to 0 is unknown)."""
    for item in doc["paths"].values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for param in op.get("parameters", []):
                if param.get("name") == "page_size" and param.get("in") == "query":
                    param["schema"] = {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100}


def error_responses(doc):
    """Every operation may answer Dodo's flat error body with a 4xx; 1.113 lists most error
    statuses with a description only (and 401/404 rarely)."""
    doc["components"]["schemas"]["ErrorResponse"] = ERROR
    for item in doc["paths"].values():
        for method, op in item.items():
            if method in ("options", "parameters") or not isinstance(op, dict):
                continue
            responses = op.setdefault("responses", {})
            for status, response in list(responses.items()):
                if status.startswith("4") and "content" not in response:
                    responses[status] = json_error(response.get("description", "error"))
            responses.setdefault("4XX", json_error("Dodo's error body"))


def invoice_is_a_pdf(doc):
    """`GET /invoices/payments/{payment_id}` answers the PDF's bytes; 1.113 describes them as
    a JSON-style array of integers under `application/pdf`, which no client can check."""
    op = doc["paths"]["/invoices/payments/{payment_id}"]["get"]
    op["responses"]["200"]["content"] = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


PATCHES = [
    newer_proration_mode,
    product_translations,
    preferred_locale,
    newer_response_fields,
    change_plan_answers_json,
    page_size_bounds,
    invoice_is_a_pdf,
    error_responses,
]


def patched():
    doc = json.loads(SOURCE.read_text(encoding="utf-8"))
    out = copy.deepcopy(doc)
    for patch in PATCHES:
        patch(out)
    info = out["info"]
    info["version"] = info["version"] + "+dodo-upsell"
    info["description"] = "Dodo's OpenAPI 1.113.0 with crates/dodo-sandbox/openapi/patch.py applied"
    return out


def main():
    if len(sys.argv) != 2:
        print("usage: patch.py OUT.json", file=sys.stderr)
        return 2
    target = Path(sys.argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(patched(), sort_keys=True, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
