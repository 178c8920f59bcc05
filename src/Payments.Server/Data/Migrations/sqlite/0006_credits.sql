-- Credits (issue 7): a double-entry ledger. A balance is the sum of a user's entries; nothing
-- stores a balance that could be overwritten. Instants are INTEGER UTC ticks.

-- One row per user: their referral code and who referred them. SQLite writers are serialized,
-- so the row needs no lock here; on PostgreSQL it is locked FOR UPDATE. No balance here.
CREATE TABLE credit_accounts (
    user_id          TEXT PRIMARY KEY NOT NULL,
    referral_code    TEXT NOT NULL,
    referred_by_code TEXT,
    created_at       INTEGER NOT NULL,
    CHECK (referred_by_code IS NULL OR referred_by_code <> referral_code)
);
CREATE UNIQUE INDEX ix_credit_accounts_referral_code ON credit_accounts (referral_code);

-- What a credits payment grants when it succeeds, fixed at create-intent.
CREATE TABLE credit_purchases (
    payment_id TEXT PRIMARY KEY NOT NULL REFERENCES payments (id),
    user_id    TEXT NOT NULL,
    credits    INTEGER NOT NULL CHECK (credits > 0),
    package    TEXT
);
CREATE INDEX ix_credit_purchases_user ON credit_purchases (user_id);

CREATE TABLE credit_transactions (
    id         TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('purchase', 'referral_bonus', 'refund', 'spend')),
    user_id    TEXT NOT NULL,
    reference  TEXT NOT NULL,
    payment_id TEXT REFERENCES payments (id),
    memo       TEXT,
    created_at INTEGER NOT NULL
);
-- The exactly-once key: one grant per payment, one referral bonus per referred user, one
-- take-back per refunded total, one spend per (user, reference).
CREATE UNIQUE INDEX ix_credit_transactions_kind_user_id_reference ON credit_transactions (kind, user_id, reference);
CREATE INDEX ix_credit_transactions_payment ON credit_transactions (payment_id) WHERE payment_id IS NOT NULL;

-- Entries of one transaction sum to zero (checked in code and by the tests: a CHECK cannot span rows).
CREATE TABLE credit_entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL REFERENCES credit_transactions (id),
    account        TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount <> 0)
);
CREATE UNIQUE INDEX ix_credit_entries_transaction_account ON credit_entries (transaction_id, account);
CREATE INDEX ix_credit_entries_account ON credit_entries (account, transaction_id);
