-- The dummy provider's own side of the world (its checkouts and the refunds made on them), kept in
-- our database so a restart forgets nothing: refunds and verify still know earlier dummy payments.
-- It stands for a provider's records, not ours: no key points at payments.
CREATE TABLE dummy_checkouts (
    id              text PRIMARY KEY,
    idempotency_key text NOT NULL,
    payment_id      text NOT NULL,
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    currency        char(3) NOT NULL,
    success_url     text NOT NULL,
    cancel_url      text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined', 'canceled')),
    refunded_minor  bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX ix_dummy_checkouts_idempotency_key ON dummy_checkouts (idempotency_key);

CREATE TABLE dummy_refunds (
    idempotency_key text PRIMARY KEY,
    checkout_id     text NOT NULL REFERENCES dummy_checkouts (id),
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    created_at      timestamptz NOT NULL
);
