-- Subscriptions, their invoices and the queue of provider events still to apply (issue 13 items 3-6).

-- A subscription of ours. price_id is the catalog price version it was sold at; amount_minor/currency the net
-- price of one period, tax_rate_bp the VAT agreed when it started (the provider was told the same rate), so what
-- each invoice must come to is known here. The rest mirrors the provider's state as last fetched (synced_at).
CREATE TABLE subscriptions (
    id                   text PRIMARY KEY,
    user_id              text NOT NULL,
    customer_id          text NOT NULL REFERENCES billing_customers (id),
    price_id             text NOT NULL REFERENCES catalog_prices (id),
    price_key            text NOT NULL,
    provider             text NOT NULL,
    status               text NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due',
                                                         'unpaid', 'canceled', 'paused')),
    amount_minor         bigint NOT NULL CHECK (amount_minor > 0),
    currency             text NOT NULL CHECK (length(currency) = 3),
    tax_rate_bp          integer NOT NULL CHECK (tax_rate_bp >= 0 AND tax_rate_bp <= 10000),
    tax_rule             text NOT NULL,
    tax_country          text,
    current_period_start timestamptz,
    current_period_end   timestamptz,
    cancel_at_period_end boolean NOT NULL DEFAULT false,
    trial_end            timestamptz,
    canceled_at          timestamptz,
    latest_invoice       text,
    checkout_id          text,
    redirect_url         text,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    synced_at            timestamptz NOT NULL
);
CREATE INDEX ix_subscriptions_user_created ON subscriptions (user_id, created_at);
CREATE INDEX ix_subscriptions_customer ON subscriptions (customer_id);
CREATE UNIQUE INDEX ix_subscriptions_provider_checkout ON subscriptions (provider, checkout_id) WHERE checkout_id IS NOT NULL;
CREATE INDEX ix_subscriptions_synced ON subscriptions (synced_at);

-- 0015 left this foreign key for now: the table it points at exists.
ALTER TABLE external_subscriptions
    ADD CONSTRAINT fk_external_subscriptions_subscription FOREIGN KEY (subscription_id) REFERENCES subscriptions (id);

-- An invoice of a subscription as the provider last told us, with what it should come to by our numbers (net,
-- VAT rate and amount) and the parties' VAT standing when it was recorded. payment_id: the payment of ours that a
-- paid invoice became (one per invoice).
CREATE TABLE subscription_invoices (
    provider          text NOT NULL,
    external_id       text NOT NULL,
    subscription_id   text NOT NULL REFERENCES subscriptions (id),
    payment_id        text REFERENCES payments (id),
    status            text NOT NULL,
    amount_due_minor  bigint NOT NULL,
    amount_paid_minor bigint NOT NULL,
    currency          text NOT NULL CHECK (length(currency) = 3),
    net_minor         bigint NOT NULL,
    vat_minor         bigint NOT NULL,
    tax_rate_bp       integer NOT NULL,
    tax_rule          text NOT NULL,
    customer_name     text NOT NULL,
    customer_country  text NOT NULL,
    customer_vat_id   text,
    period_start      timestamptz,
    period_end        timestamptz,
    attempt_count     integer NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (provider, external_id)
);
CREATE INDEX ix_subscription_invoices_subscription ON subscription_invoices (subscription_id, created_at);
CREATE UNIQUE INDEX ix_subscription_invoices_payment ON subscription_invoices (payment_id) WHERE payment_id IS NOT NULL;

-- Provider events about subscriptions, invoices and customers, recorded by the intake and applied afterwards: per
-- customer, one at a time, by fetching the record from the provider under the customer's lock. A row leaves the
-- queue when its record's fetched state is applied; next_attempt_at schedules a retry after a failure.
CREATE TABLE billing_event_queue (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider             text NOT NULL,
    event_id             text NOT NULL,
    event_type           text NOT NULL,
    record_type          text NOT NULL,
    record_id            text,
    provider_customer_id text,
    created_at           timestamptz NOT NULL,
    attempts             integer NOT NULL DEFAULT 0,
    next_attempt_at      timestamptz NOT NULL,
    last_error           text
);
CREATE UNIQUE INDEX ix_billing_event_queue_event ON billing_event_queue (provider, event_id);
CREATE INDEX ix_billing_event_queue_due ON billing_event_queue (next_attempt_at);
