-- Marketplace (issue 14): vendors, their connected accounts at a provider, destination-charge splits and a
-- double-entry ledger for them. Instants are INTEGER UTC ticks.

-- api_keys.role gains 'vendor' (a key bound to one vendor). SQLite cannot change a CHECK, so the table is
-- rebuilt; nothing references it.
CREATE TABLE api_keys_new (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'service', 'vendor')),
    secret_hash  TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    revoked_at   INTEGER,
    vendor_id    TEXT,
    CHECK ((role = 'vendor') = (vendor_id IS NOT NULL))
);
INSERT INTO api_keys_new (id, name, role, secret_hash, created_at, created_by, revoked_at)
    SELECT id, name, role, secret_hash, created_at, created_by, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
CREATE UNIQUE INDEX ix_api_keys_secret_hash ON api_keys (secret_hash);

CREATE TABLE vendors (
    id                    TEXT PRIMARY KEY NOT NULL,
    name                  TEXT NOT NULL,
    email                 TEXT NOT NULL,
    country               TEXT NOT NULL CHECK (length(country) = 2),
    currency              TEXT NOT NULL CHECK (length(currency) = 3),
    platform_fee_bps      INTEGER NOT NULL DEFAULT 250 CHECK (platform_fee_bps BETWEEN 0 AND 10000),
    provider              TEXT,
    account_id            TEXT,
    payout_interval       TEXT NOT NULL DEFAULT 'weekly' CHECK (payout_interval IN ('daily', 'weekly', 'monthly', 'manual')),
    payout_weekly_anchor  TEXT,
    payout_monthly_anchor INTEGER CHECK (payout_monthly_anchor BETWEEN 1 AND 31),
    minimum_payout_minor  INTEGER NOT NULL DEFAULT 0 CHECK (minimum_payout_minor >= 0),
    created_by            TEXT NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    CHECK ((provider IS NULL) = (account_id IS NULL))
);
CREATE UNIQUE INDEX ix_vendors_provider_account_id ON vendors (provider, account_id) WHERE account_id IS NOT NULL;

-- The provider's view of each connected account, written by whichever comes first: setup's create call or an
-- account.updated event (which may arrive before setup has committed the id). reported_at is the event's time
-- (NULL: only our create call's answer), so an older event never overwrites a newer one.
CREATE TABLE connected_accounts (
    provider          TEXT NOT NULL,
    account_id        TEXT NOT NULL,
    vendor_id         TEXT,
    charges_enabled   INTEGER NOT NULL,
    payouts_enabled   INTEGER NOT NULL,
    details_submitted INTEGER NOT NULL,
    requirements_due  TEXT NOT NULL,
    disabled_reason   TEXT,
    reported_at       INTEGER,
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (provider, account_id)
);

-- A destination charge's split, written with its payment (one per vendor and order).
CREATE TABLE vendor_payments (
    payment_id          TEXT PRIMARY KEY NOT NULL REFERENCES payments (id),
    vendor_id           TEXT NOT NULL REFERENCES vendors (id),
    order_id            TEXT NOT NULL,
    account_id          TEXT NOT NULL,
    amount_vendor_minor INTEGER NOT NULL CHECK (amount_vendor_minor >= 0),
    platform_fee_minor  INTEGER NOT NULL CHECK (platform_fee_minor >= 0),
    platform_fee_bps    INTEGER NOT NULL CHECK (platform_fee_bps BETWEEN 0 AND 10000)
);
CREATE UNIQUE INDEX ix_vendor_payments_vendor_id_order_id ON vendor_payments (vendor_id, order_id);

CREATE TABLE market_transactions (
    id         TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
    payment_id TEXT NOT NULL REFERENCES payments (id),
    vendor_id  TEXT NOT NULL REFERENCES vendors (id),
    reference  TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
-- Exactly once: one sale per payment, one take-back per refunded total.
CREATE UNIQUE INDEX ix_market_transactions_kind_payment_id_reference ON market_transactions (kind, payment_id, reference);

-- Entries of one transaction sum to zero (checked in code and by the tests).
CREATE TABLE market_entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL REFERENCES market_transactions (id),
    account        TEXT NOT NULL,
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    amount         INTEGER NOT NULL CHECK (amount <> 0)
);
CREATE UNIQUE INDEX ix_market_entries_transaction_account ON market_entries (transaction_id, account);
CREATE INDEX ix_market_entries_account ON market_entries (account, currency);
