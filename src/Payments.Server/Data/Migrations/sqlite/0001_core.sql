-- Payments, verified provider events and the audit trail.
-- Instants are INTEGER UTC ticks (see PaymentsDb.StoreTimesAsTicks).
CREATE TABLE payments (
    id                  TEXT PRIMARY KEY NOT NULL,
    plan                TEXT,
    description         TEXT NOT NULL,
    amount_minor        INTEGER NOT NULL CHECK (amount_minor > 0),
    currency            TEXT NOT NULL CHECK (length(currency) = 3),
    owner_id            TEXT,
    provider            TEXT NOT NULL,
    provider_payment_id TEXT,
    provider_reference  TEXT,
    status              TEXT NOT NULL,
    refunded_minor      INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
    redirect_url        TEXT,
    failure_reason      TEXT,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    paid_at             INTEGER
);
CREATE UNIQUE INDEX ix_payments_provider_provider_payment_id ON payments (provider, provider_payment_id);
CREATE INDEX ix_payments_provider_reference ON payments (provider, provider_reference) WHERE provider_reference IS NOT NULL;
CREATE INDEX ix_payments_owner_created ON payments (owner_id, created_at);
CREATE INDEX ix_payments_created ON payments (created_at);

CREATE TABLE payment_events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    provider          TEXT NOT NULL,
    external_event_id TEXT NOT NULL,
    event_type        TEXT NOT NULL,
    payment_id        TEXT REFERENCES payments (id),
    received_at       INTEGER NOT NULL,
    raw_body          TEXT NOT NULL,
    verification      TEXT NOT NULL,
    outcome           TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_payment_events_provider_external_event_id ON payment_events (provider, external_event_id);
CREATE INDEX ix_payment_events_payment ON payment_events (payment_id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    action     TEXT NOT NULL,
    payment_id TEXT,
    actor      TEXT NOT NULL,
    data       TEXT
);
CREATE INDEX ix_audit_log_payment ON audit_log (payment_id, id);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);
