-- One money engine: every call that can move money (one-click charges, the hosted fallback
-- checkouts of offers, plan changes) is an attempt in ONE table with one life cycle, and the
-- rules that keep a customer from paying twice are constraints here, so every server instance
-- is held to them. Keep this file and the other backend's 0004_money_engine.sql in step.

CREATE TABLE attempts (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,                 -- charge | checkout | plan_change
    idempotency_key TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL,
    offer_id TEXT,                      -- charge, checkout: the offer it buys
    product_id TEXT NOT NULL,           -- bought (charge, checkout) or switched to (plan_change)
    quantity BIGINT NOT NULL,
    subscription_id TEXT,               -- plan_change
    from_product_id TEXT,               -- plan_change: the plan before
    amount_minor BIGINT NOT NULL,       -- what the customer agreed to pay now
    currency TEXT NOT NULL,
    exclusive BIGINT NOT NULL,          -- 1: one purchase of the product per customer (a claim below)
    order_json TEXT NOT NULL,           -- everything the server decided, exactly what is sent
    status TEXT NOT NULL,               -- recorded | sending | pending | requires_action | unknown | succeeded | failed | expired
    provisional BIGINT NOT NULL DEFAULT 0, -- failed only as far as we could tell: Dodo's verified payment may still win
    dodo_session_id TEXT,
    dodo_payment_id TEXT,
    payment_link TEXT,                  -- 3-D Secure page, or the hosted checkout page
    error_code TEXT,
    error_message TEXT,
    duplicate_of TEXT,                  -- a late success whose product another attempt (or purchase) already held
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT,
    answered_at BIGINT,                 -- when Dodo answered, or the call ended without an answer
    settled_at BIGINT,
    next_check_at BIGINT,               -- when the reconciler looks again; NULL: nothing left to learn
    checks BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX attempts_due ON attempts (next_check_at);
CREATE INDEX attempts_by_payment ON attempts (dodo_payment_id);
CREATE INDEX attempts_by_offer ON attempts (offer_id);
CREATE INDEX attempts_by_subscription ON attempts (subscription_id, created_at);
-- One plan change in flight per subscription: a second confirm (another tab, another instance)
-- is refused while one is open, so Dodo never applies an older change over a newer one.
CREATE UNIQUE INDEX attempts_one_open_plan_change ON attempts (subscription_id)
    WHERE kind = 'plan_change' AND status IN ('recorded', 'sending', 'pending', 'unknown', 'requires_action');
-- One open fallback checkout per offer: asking again returns the same checkout page.
CREATE UNIQUE INDEX attempts_one_open_checkout ON attempts (offer_id)
    WHERE kind = 'checkout' AND status IN ('recorded', 'sending', 'pending', 'unknown', 'requires_action');

-- Who owns (or is buying) which product: at most one row per customer and product. An attempt
-- for an exclusive product takes the row in the same transaction that records it, and gives it
-- back when it fails; a purchase we learn of from Dodo takes it for good. A second offer, a
-- second cross-sell link or a fallback checkout of a product the customer has is refused here.
CREATE TABLE product_claims (
    customer_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    attempt_id TEXT,                    -- the attempt holding it; NULL for a purchase known from Dodo
    payment_id TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, product_id)
);
CREATE INDEX product_claims_by_attempt ON product_claims (attempt_id);

-- What an offer cost when its page last showed it, when Dodo's price moved since the offer was
-- made: the page explains the change before asking again.
ALTER TABLE offers ADD COLUMN previous_price_minor BIGINT;

INSERT INTO attempts (id, kind, idempotency_key, customer_id, offer_id, product_id, quantity, subscription_id,
    from_product_id, amount_minor, currency, exclusive, order_json, status, provisional, dodo_session_id,
    dodo_payment_id, payment_link, error_code, error_message, created_at, updated_at, sent_at, answered_at,
    settled_at, next_check_at, checks)
SELECT id, 'charge', idempotency_key, customer_id, offer_id, product_id, 1, NULL, NULL, amount_minor, currency, 1,
    '{"charge":' || request_json || '}', status, 0, dodo_session_id, dodo_payment_id, payment_link, error_code,
    error_message, created_at, updated_at, sent_at, sent_at, settled_at,
    CASE WHEN status IN ('recorded', 'sending', 'pending', 'unknown', 'requires_action') THEN updated_at ELSE NULL END, 0
FROM charge_attempts;

INSERT INTO attempts (id, kind, idempotency_key, customer_id, offer_id, product_id, quantity, subscription_id,
    from_product_id, amount_minor, currency, exclusive, order_json, status, provisional, dodo_session_id,
    dodo_payment_id, payment_link, error_code, error_message, created_at, updated_at, sent_at, answered_at,
    settled_at, next_check_at, checks)
SELECT id, 'plan_change', idempotency_key, customer_id, NULL, to_product_id, quantity, subscription_id,
    from_product_id, previewed_total_minor, currency, 0, '{"plan_change":' || request_json || '}', status, 0, NULL,
    dodo_payment_id, payment_link, error_code, error_message, created_at, updated_at, sent_at, sent_at, settled_at,
    CASE WHEN status IN ('recorded', 'sending', 'pending', 'unknown', 'requires_action') THEN updated_at ELSE NULL END, 0
FROM plan_change_attempts;

INSERT INTO product_claims (customer_id, product_id, attempt_id, payment_id, created_at)
SELECT customer_id, product_id, id, dodo_payment_id, created_at FROM attempts
WHERE kind = 'charge' AND status NOT IN ('failed', 'expired')
ON CONFLICT DO NOTHING;

DROP TABLE charge_attempts;
DROP TABLE plan_change_attempts;
