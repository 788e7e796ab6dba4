-- Every return from Dodo's checkout and what came of it: the offer shown or why there was
-- none (the merchant dashboard's "why no offer"). One row per landing, reloads included.
CREATE TABLE landings (
    id TEXT PRIMARY KEY NOT NULL,
    payment_id TEXT NOT NULL,
    customer_id TEXT,                   -- NULL: Dodo did not know the payment
    landed_at BIGINT NOT NULL,
    outcome TEXT NOT NULL,              -- store::landings::LandingOutcome codes
    rule_id TEXT,                       -- offered: the rule whose offer was shown
    offer_id TEXT,
    one_click_blocked TEXT,             -- offered, but only through a checkout: why
    owes_money BIGINT,                  -- 1/0: the customer owed a subscription payment; NULL unknown
    embedded BIGINT NOT NULL,
    skipped TEXT NOT NULL               -- JSON list: the rules that matched but were skipped, and why
);
CREATE INDEX landings_recent ON landings (landed_at);
CREATE INDEX landings_by_payment ON landings (payment_id, landed_at);
CREATE INDEX landings_by_customer ON landings (customer_id, landed_at);
