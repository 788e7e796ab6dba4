-- The trusted core: offers and what customers did with them, charge and plan-change attempts
-- (written before Dodo is called), suppressions and webhook events.
-- Timestamps are unix milliseconds (BIGINT) and statuses are TEXT, so the same queries run
-- on SQLite and PostgreSQL. Keep this file and ../sqlite/0002_core.sql in step.

-- An offer made to a customer: one row per (purchase, step, kind). Amounts are what Dodo said
-- the product costs when the offer was made; the charge itself is priced by Dodo.
CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,                 -- upsell | downsell | cross_sell
    customer_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    price_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    source_payment_id TEXT,             -- the purchase that triggered a post-purchase offer
    rule_id TEXT NOT NULL,
    step BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX offers_per_purchase_step ON offers (source_payment_id, step, kind) WHERE source_payment_id IS NOT NULL;
CREATE INDEX offers_by_customer ON offers (customer_id, product_id);

-- Every time an offer was shown.
CREATE TABLE impressions (
    id TEXT PRIMARY KEY NOT NULL,
    offer_id TEXT NOT NULL REFERENCES offers (id),
    shown_at BIGINT NOT NULL,
    embedded BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX impressions_by_offer ON impressions (offer_id);

-- What the customer decided; one decision per offer.
CREATE TABLE decisions (
    offer_id TEXT PRIMARY KEY NOT NULL REFERENCES offers (id),
    decision TEXT NOT NULL,             -- accepted | declined | suppressed | expired
    decided_at BIGINT NOT NULL
);

-- A one-click charge. Written (status 'recorded') before Dodo is called; `idempotency_key`
-- makes a second accept of the same offer find this row instead of charging again.
CREATE TABLE charge_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,                 -- upsell | cross_sell
    offer_id TEXT,
    customer_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    request_json TEXT NOT NULL,         -- exactly what is (or was) sent to Dodo
    status TEXT NOT NULL,               -- recorded | sending | pending | succeeded | failed | requires_action | unknown | expired
    dodo_session_id TEXT,
    dodo_payment_id TEXT,
    payment_link TEXT,
    error_code TEXT,
    error_message TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT,
    settled_at BIGINT
);
CREATE INDEX charge_attempts_unsettled ON charge_attempts (status, updated_at);
CREATE INDEX charge_attempts_by_payment ON charge_attempts (dodo_payment_id);

-- A plan change confirmed by a subscriber. Same life cycle as a charge attempt.
CREATE TABLE plan_change_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    subscription_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    from_product_id TEXT NOT NULL,
    to_product_id TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    request_json TEXT NOT NULL,
    previewed_total_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,               -- recorded | sending | pending | succeeded | failed | requires_action | unknown | expired
    dodo_payment_id TEXT,
    payment_link TEXT,
    error_code TEXT,
    error_message TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT,
    settled_at BIGINT
);
CREATE INDEX plan_change_attempts_by_subscription ON plan_change_attempts (subscription_id, created_at);

-- "Don't show me offers like this again". scope is '*' (every offer) or a product id.
CREATE TABLE suppressions (
    customer_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, scope)
);

-- Every verified webhook, stored once by its webhook-id.
CREATE TABLE webhook_events (
    webhook_id TEXT PRIMARY KEY NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    processed_at BIGINT,
    error TEXT
);
