-- Merchant sign-in for /merchant. Keep this file and the other backend's 0005_merchant_auth.sql
-- in step.

-- Emails are stored normalised (trimmed, lower case), so the UNIQUE constraint is the
-- case-insensitive uniqueness; the CHECK keeps anything that writes here from storing a
-- mixed-case duplicate around the application's normalisation (on SQLite, whose lower() knows
-- only ASCII, for ASCII letters).
CREATE TABLE merchant_users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE CHECK (email = lower(trim(email)) AND email <> ''),
    password_hash TEXT NOT NULL,        -- argon2id PHC string, salt included
    created_at BIGINT NOT NULL
);

-- Server-side sessions (tower-sessions over our store): the cookie carries only the id.
CREATE TABLE merchant_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data TEXT NOT NULL,                 -- the session's JSON map (signed-in user, CSRF token)
    expires_at BIGINT NOT NULL          -- unix ms; a row past it is never loaded and is pruned
);
CREATE INDEX merchant_sessions_expiry ON merchant_sessions (expires_at);
