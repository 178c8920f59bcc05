-- Marketplace, issue 14 items 5 and 6.

-- A vendor's customer (the host's customer id) at the vendor's provider, where its saved payment methods live.
-- The vendor is part of the key: one vendor can never name another's customer.
CREATE TABLE vendor_customers (
    vendor_id            text NOT NULL REFERENCES vendors (id),
    customer_id          text NOT NULL,
    provider             text NOT NULL,
    provider_customer_id text NOT NULL,
    created_at           timestamptz NOT NULL,
    PRIMARY KEY (vendor_id, customer_id)
);

-- Payouts our payout worker made (vendors with a minimum payout: their account is on a manual schedule at the
-- provider). period is the schedule's due date the payout belongs to: one payout per vendor, currency and period,
-- so two nodes or a retried round never pay a period twice.
CREATE TABLE vendor_payouts (
    id                 text PRIMARY KEY,
    vendor_id          text NOT NULL REFERENCES vendors (id),
    currency           text NOT NULL CHECK (length(currency) = 3),
    period             text NOT NULL,
    provider           text NOT NULL,
    account_id         text NOT NULL,
    amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
    status             text NOT NULL CHECK (status IN ('pending', 'in_transit', 'paid', 'failed', 'canceled')),
    provider_payout_id text,
    failure_code       text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE UNIQUE INDEX ix_vendor_payouts_vendor_id_currency_period ON vendor_payouts (vendor_id, currency, period);
