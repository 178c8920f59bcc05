-- API keys (stored as SHA-256 of the secret), refunds, and Idempotency-Key records.
CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    role         text NOT NULL CHECK (role IN ('admin', 'service')),
    secret_hash  text NOT NULL,
    created_at   timestamptz NOT NULL,
    created_by   text NOT NULL,
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX ix_api_keys_secret_hash ON api_keys (secret_hash);

CREATE TABLE refunds (
    id                 text PRIMARY KEY,
    payment_id         text NOT NULL REFERENCES payments (id),
    amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
    currency           char(3) NOT NULL,
    status             text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    reason             text,
    provider_refund_id text,
    failure_reason     text,
    requested_by       text NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX ix_refunds_payment ON refunds (payment_id);

CREATE TABLE idempotency_keys (
    scope             text NOT NULL,
    key               text NOT NULL,
    request_hash      text NOT NULL,
    state             text NOT NULL CHECK (state IN ('in_progress', 'completed')),
    response_status   integer,
    response_type     text,
    response_body     bytea,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX ix_idempotency_keys_expires ON idempotency_keys (expires_at);
