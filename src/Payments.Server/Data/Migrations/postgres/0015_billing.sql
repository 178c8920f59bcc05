-- Recurring billing, first part (issue 13 items 1 and 2): our catalog and our customers, and the provider
-- ids that belong to them. Internal data is the source of truth; a provider's ids live only in the
-- external_* tables (provider + external id + our id, unique both ways).

-- Products and the versions of each configured price. Configuration names prices by key ("pro_monthly");
-- each distinct set of terms (product, amount, currency, period) is a row of its own, so what a
-- subscription was sold at stays known after the configuration changes. One current version per key.
CREATE TABLE catalog_products (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE catalog_prices (
    id               text PRIMARY KEY,
    lookup_key       text NOT NULL,
    product_id       text NOT NULL REFERENCES catalog_products (id),
    amount_minor     bigint NOT NULL CHECK (amount_minor > 0),
    currency         text NOT NULL CHECK (length(currency) = 3),
    billing_interval text NOT NULL CHECK (billing_interval IN ('day', 'week', 'month', 'year')),
    interval_count   integer NOT NULL CHECK (interval_count > 0),
    created_at       timestamptz NOT NULL,
    archived_at      timestamptz
);
CREATE UNIQUE INDEX ix_catalog_prices_current ON catalog_prices (lookup_key) WHERE archived_at IS NULL;

-- A user's billing information (one customer per user), the state of its VAT number with VIES, and what
-- is still to be told to providers. vat_next_check_at and sync_due_at are the background worker's queues.
CREATE TABLE billing_customers (
    id                      text PRIMARY KEY,
    user_id                 text NOT NULL,
    name                    text NOT NULL,
    email                   text NOT NULL,
    address_line1           text NOT NULL,
    address_line2           text,
    address_city            text NOT NULL,
    address_postal_code     text,
    address_country         text NOT NULL CHECK (length(address_country) = 2),
    vat_id                  text,
    vat_status              text NOT NULL CHECK (vat_status IN ('none', 'pending', 'valid', 'invalid', 'unverified')),
    vat_checked_at          timestamptz,
    vat_consultation_number text,
    vat_error               text,
    vat_failures            integer NOT NULL DEFAULT 0,
    vat_next_check_at       timestamptz,
    tax_exempt              text NOT NULL CHECK (tax_exempt IN ('none', 'reverse', 'exempt')),
    sync_failures           integer NOT NULL DEFAULT 0,
    sync_due_at             timestamptz,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL
);
CREATE UNIQUE INDEX ix_billing_customers_user_id ON billing_customers (user_id);
CREATE INDEX ix_billing_customers_vat_due ON billing_customers (vat_next_check_at) WHERE vat_next_check_at IS NOT NULL;
CREATE INDEX ix_billing_customers_sync_due ON billing_customers (sync_due_at) WHERE sync_due_at IS NOT NULL;

-- Provider ids. synced_at: when the provider last got our record (a product renamed, a price archived, a
-- customer changed after it is told again).
CREATE TABLE external_products (
    provider    text NOT NULL,
    external_id text NOT NULL,
    product_id  text NOT NULL REFERENCES catalog_products (id),
    created_at  timestamptz NOT NULL,
    synced_at   timestamptz NOT NULL,
    PRIMARY KEY (provider, external_id)
);
CREATE UNIQUE INDEX ix_external_products_provider_product_id ON external_products (provider, product_id);

CREATE TABLE external_prices (
    provider    text NOT NULL,
    external_id text NOT NULL,
    price_id    text NOT NULL REFERENCES catalog_prices (id),
    created_at  timestamptz NOT NULL,
    synced_at   timestamptz NOT NULL,
    PRIMARY KEY (provider, external_id)
);
CREATE UNIQUE INDEX ix_external_prices_provider_price_id ON external_prices (provider, price_id);

CREATE TABLE external_customers (
    provider    text NOT NULL,
    external_id text NOT NULL,
    customer_id text NOT NULL REFERENCES billing_customers (id),
    created_at  timestamptz NOT NULL,
    synced_at   timestamptz NOT NULL,
    PRIMARY KEY (provider, external_id)
);
CREATE UNIQUE INDEX ix_external_customers_provider_customer_id ON external_customers (provider, customer_id);

-- Subscriptions come next (issue 13 item 3); their table does not exist yet, so subscription_id has no
-- foreign key here (SQLite cannot add one later without rebuilding the table: the subscriptions work does that).
CREATE TABLE external_subscriptions (
    provider        text NOT NULL,
    external_id     text NOT NULL,
    subscription_id text NOT NULL,
    created_at      timestamptz NOT NULL,
    synced_at       timestamptz NOT NULL,
    PRIMARY KEY (provider, external_id)
);
CREATE UNIQUE INDEX ix_external_subscriptions_provider_subscription_id ON external_subscriptions (provider, subscription_id);

-- The dummy provider's own billing objects (products, prices, customers; later subscriptions and invoices),
-- kept as a provider keeps them: its records, not ours, as dummy_checkouts (0010). kind has no CHECK so the
-- dummy can add kinds without a migration.
CREATE TABLE dummy_billing_objects (
    id              text PRIMARY KEY,
    kind            text NOT NULL,
    idempotency_key text NOT NULL,
    data            text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX ix_dummy_billing_objects_idempotency_key ON dummy_billing_objects (idempotency_key);
CREATE INDEX ix_dummy_billing_objects_kind ON dummy_billing_objects (kind, created_at);
