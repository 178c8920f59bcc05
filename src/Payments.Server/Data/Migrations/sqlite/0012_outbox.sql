-- The host application's side: a transactional outbox and signed outgoing webhooks (see the
-- PostgreSQL script for what each table is for). Times are UTC ticks.
CREATE TABLE outbox_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      TEXT NOT NULL,
    type          TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    payload       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    fanned_out    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_outbox_events_unfanned ON outbox_events (id) WHERE fanned_out = 0;

CREATE TABLE webhook_endpoints (
    id                         TEXT PRIMARY KEY,
    url                        TEXT NOT NULL,
    events                     TEXT NOT NULL,
    description                TEXT,
    secret                     TEXT NOT NULL,
    previous_secret            TEXT,
    previous_secret_expires_at INTEGER,
    created_at                 INTEGER NOT NULL,
    deleted_at                 INTEGER
);

CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id),
    outbox_id        INTEGER NOT NULL REFERENCES outbox_events (id),
    resource_key     TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    locked_until     INTEGER,
    last_status_code INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
CREATE UNIQUE INDEX ix_webhook_deliveries_endpoint_outbox ON webhook_deliveries (endpoint_id, outbox_id);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_deliveries_order ON webhook_deliveries (endpoint_id, resource_key, outbox_id) WHERE status = 'pending';
