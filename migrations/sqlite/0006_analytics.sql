-- The merchant dashboard's numbers (src/server/analytics). An attempt's status alone cannot
-- tell revenue Dodo confirmed from a success we read back ourselves (the reconciler, Dodo's
-- answer to the send), and refunds made in Dodo's dashboard touch no attempt at all; so both
-- are kept as ledgers written only from verified webhooks, once per Dodo object (a webhook
-- delivered again, or the same object under a new webhook-id, adds nothing).
-- Keep this file and ../postgres/0006_analytics.sql in step.

-- Every verified `payment.succeeded`, with the attempt and offer it paid for when we know them
-- (NULL for purchases that are not ours, e.g. the first sale on the merchant's checkout).
CREATE TABLE confirmed_payments (
    payment_id TEXT PRIMARY KEY NOT NULL,
    attempt_id TEXT,
    offer_id TEXT,
    amount_minor BIGINT NOT NULL,       -- the payment's total, as Dodo reported it
    currency TEXT NOT NULL,
    confirmed_at BIGINT NOT NULL        -- the webhook's timestamp (Dodo's clock), unix ms
);
CREATE INDEX confirmed_payments_by_offer ON confirmed_payments (offer_id);
CREATE INDEX confirmed_payments_by_attempt ON confirmed_payments (attempt_id);

-- Every verified `refund.succeeded`, ours (an undo) or the merchant's (Dodo's dashboard).
CREATE TABLE refunds_seen (
    refund_id TEXT PRIMARY KEY NOT NULL,
    payment_id TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    succeeded_at BIGINT NOT NULL        -- the webhook's timestamp, unix ms
);
CREATE INDEX refunds_seen_by_payment ON refunds_seen (payment_id);

-- The language the offer was shown in (a BCP 47 tag: en, en-IN, id, hi); NULL for
-- impressions recorded before it was kept, which only the "all locales" view counts.
ALTER TABLE impressions ADD COLUMN locale TEXT;
-- The dashboard reads impressions by time and per offer, with the filter's columns: both
-- indexes cover what it reads, so it never visits the table (100,000 impressions: see the
-- README's benchmark).
CREATE INDEX impressions_by_time ON impressions (shown_at, offer_id, embedded, locale);
CREATE INDEX impressions_by_offer_time ON impressions (offer_id, shown_at, embedded, locale);
-- Its first column, now covered by the one above.
DROP INDEX impressions_by_offer;
CREATE INDEX decisions_by_time ON decisions (decided_at);
CREATE INDEX attempts_by_kind_time ON attempts (kind, created_at);
