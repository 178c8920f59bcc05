-- Subscriptions, their invoices and the queue of provider events still to apply (issue 13 items 3-6).
-- Instants are INTEGER UTC ticks; booleans INTEGER 0/1.

-- A subscription of ours. price_id is the catalog price version it was sold at; amount_minor/currency the net
-- price of one period, tax_rate_bp the VAT agreed when it started (the provider was told the same rate), so what
-- each invoice must come to is known here. The rest mirrors the provider's state as last fetched (synced_at).
CREATE TABLE subscriptions (
    id                   TEXT PRIMARY KEY NOT NULL,
    user_id              TEXT NOT NULL,
    customer_id          TEXT NOT NULL REFERENCES billing_customers (id),
    price_id             TEXT NOT NULL REFERENCES catalog_prices (id),
    price_key            TEXT NOT NULL,
    provider             TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due',
                                                         'unpaid', 'canceled', 'paused')),
    amount_minor         INTEGER NOT NULL CHECK (amount_minor > 0),
    currency             TEXT NOT NULL CHECK (length(currency) = 3),
    tax_rate_bp          INTEGER NOT NULL CHECK (tax_rate_bp >= 0 AND tax_rate_bp <= 10000),
    tax_rule             TEXT NOT NULL,
    tax_country          TEXT,
    current_period_start INTEGER,
    current_period_end   INTEGER,
    cancel_at_period_end INTEGER NOT NULL DEFAULT 0,
    trial_end            INTEGER,
    canceled_at          INTEGER,
    latest_invoice       TEXT,
    checkout_id          TEXT,
    redirect_url         TEXT,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    synced_at            INTEGER NOT NULL
);
CREATE INDEX ix_subscriptions_user_created ON subscriptions (user_id, created_at);
CREATE INDEX ix_subscriptions_customer ON subscriptions (customer_id);
CREATE UNIQUE INDEX ix_subscriptions_provider_checkout ON subscriptions (provider, checkout_id) WHERE checkout_id IS NOT NULL;
CREATE INDEX ix_subscriptions_synced ON subscriptions (synced_at);

-- 0015 left out this foreign key; SQLite adds one only by rebuilding the table.
CREATE TABLE external_subscriptions_new (
    provider        TEXT NOT NULL,
    external_id     TEXT NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    created_at      INTEGER NOT NULL,
    synced_at       INTEGER NOT NULL,
    PRIMARY KEY (provider, external_id)
);
INSERT INTO external_subscriptions_new SELECT provider, external_id, subscription_id, created_at, synced_at FROM external_subscriptions;
DROP TABLE external_subscriptions;
ALTER TABLE external_subscriptions_new RENAME TO external_subscriptions;
CREATE UNIQUE INDEX ix_external_subscriptions_provider_subscription_id ON external_subscriptions (provider, subscription_id);

-- An invoice of a subscription as the provider last told us, with what it should come to by our numbers (net,
-- VAT rate and amount) and the parties' VAT standing when it was recorded. payment_id: the payment of ours that a
-- paid invoice became (one per invoice).
CREATE TABLE subscription_invoices (
    provider          TEXT NOT NULL,
    external_id       TEXT NOT NULL,
    subscription_id   TEXT NOT NULL REFERENCES subscriptions (id),
    payment_id        TEXT REFERENCES payments (id),
    status            TEXT NOT NULL,
    amount_due_minor  INTEGER NOT NULL,
    amount_paid_minor INTEGER NOT NULL,
    currency          TEXT NOT NULL CHECK (length(currency) = 3),
    net_minor         INTEGER NOT NULL,
    vat_minor         INTEGER NOT NULL,
    tax_rate_bp       INTEGER NOT NULL,
    tax_rule          TEXT NOT NULL,
    customer_name     TEXT NOT NULL,
    customer_country  TEXT NOT NULL,
    customer_vat_id   TEXT,
    period_start      INTEGER,
    period_end        INTEGER,
    attempt_count     INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (provider, external_id)
);
CREATE INDEX ix_subscription_invoices_subscription ON subscription_invoices (subscription_id, created_at);
CREATE UNIQUE INDEX ix_subscription_invoices_payment ON subscription_invoices (payment_id) WHERE payment_id IS NOT NULL;

-- Provider events about subscriptions, invoices and customers, recorded by the intake and applied afterwards: per
-- customer, one at a time, by fetching the record from the provider under the customer's lock. A row leaves the
-- queue when its record's fetched state is applied; next_attempt_at schedules a retry after a failure.
CREATE TABLE billing_event_queue (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    provider             TEXT NOT NULL,
    event_id             TEXT NOT NULL,
    event_type           TEXT NOT NULL,
    record_type          TEXT NOT NULL,
    record_id            TEXT,
    provider_customer_id TEXT,
    created_at           INTEGER NOT NULL,
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      INTEGER NOT NULL,
    last_error           TEXT
);
CREATE UNIQUE INDEX ix_billing_event_queue_event ON billing_event_queue (provider, event_id);
CREATE INDEX ix_billing_event_queue_due ON billing_event_queue (next_attempt_at);
