-- The host application's side: a transactional outbox and signed outgoing webhooks.
-- outbox_events: one row per change that matters to the host, written in the same transaction as the
-- change; event_id is the stable id the host deduplicates on. fanned_out: copied into a delivery per
-- matching endpoint (the dispatcher does that, once, under a row lock).
-- Every index here is paid for by every settling webhook, so there are two: the primary key and the
-- fan-out queue. event_id is made unique by construction (Ids.New: time + 80 random bits) and never
-- looked up; `events replay --since` reads created_at by scanning, which an operator command can afford.
CREATE TABLE outbox_events (
    id            bigserial PRIMARY KEY,
    event_id      text NOT NULL,
    type          text NOT NULL,
    resource_type text NOT NULL,
    resource_id   text NOT NULL,
    payload       text NOT NULL,
    created_at    timestamptz NOT NULL,
    fanned_out    boolean NOT NULL DEFAULT false
);
CREATE INDEX ix_outbox_events_unfanned ON outbox_events (id) WHERE NOT fanned_out;

-- Endpoints the host registered (admins manage them). The secret signs deliveries; after a rotation the
-- previous one still signs (a second v1=) until previous_secret_expires_at.
CREATE TABLE webhook_endpoints (
    id                         text PRIMARY KEY,
    url                        text NOT NULL,
    events                     text NOT NULL,
    description                text,
    secret                     text NOT NULL,
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    created_at                 timestamptz NOT NULL,
    deleted_at                 timestamptz
);

-- One event for one endpoint: attempts, the next try, and a lease (locked_until) so two nodes never
-- send it at once. Per (endpoint, resource) the next event waits until the earlier one is done.
CREATE TABLE webhook_deliveries (
    id               bigserial PRIMARY KEY,
    endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id),
    outbox_id        bigint NOT NULL REFERENCES outbox_events (id),
    resource_key     text NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    locked_until     timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    delivered_at     timestamptz
);
CREATE UNIQUE INDEX ix_webhook_deliveries_endpoint_outbox ON webhook_deliveries (endpoint_id, outbox_id);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_deliveries_order ON webhook_deliveries (endpoint_id, resource_key, outbox_id) WHERE status = 'pending';
