-- The browser that landed from Dodo's checkout first owns the purchase's offers. A payment id
-- that leaks later (a shared URL, a screenshot) binds nobody else, so it cannot charge anyone.
CREATE TABLE purchase_bindings (
    payment_id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    bound_at BIGINT NOT NULL
);
