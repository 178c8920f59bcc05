-- The dummy provider's own side of the world (its checkouts and the refunds made on them), kept in
-- our database so a restart forgets nothing: refunds and verify still know earlier dummy payments.
-- It stands for a provider's records, not ours: no key points at payments. Instants are INTEGER UTC ticks.
CREATE TABLE dummy_checkouts (
    id              TEXT PRIMARY KEY NOT NULL,
    idempotency_key TEXT NOT NULL,
    payment_id      TEXT NOT NULL,
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    success_url     TEXT NOT NULL,
    cancel_url      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined', 'canceled')),
    refunded_minor  INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_dummy_checkouts_idempotency_key ON dummy_checkouts (idempotency_key);

CREATE TABLE dummy_refunds (
    idempotency_key TEXT PRIMARY KEY NOT NULL,
    checkout_id     TEXT NOT NULL REFERENCES dummy_checkouts (id),
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    created_at      INTEGER NOT NULL
);
