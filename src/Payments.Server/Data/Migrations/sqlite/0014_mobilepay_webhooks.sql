-- Webhooks registered at Vipps MobilePay and their signing secrets (see the PostgreSQL script).
-- Times are UTC ticks.
CREATE TABLE mobilepay_webhooks (
    id                     TEXT PRIMARY KEY,
    merchant_serial_number TEXT NOT NULL,
    url                    TEXT NOT NULL,
    events                 TEXT NOT NULL,
    secret                 TEXT NOT NULL,
    created_at             INTEGER NOT NULL
);
CREATE INDEX ix_mobilepay_webhooks_msn ON mobilepay_webhooks (merchant_serial_number);
