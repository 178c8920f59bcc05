-- Webhooks registered at Vipps MobilePay (`payments-cli mobilepay register-webhook`), with the secret
-- each one's deliveries are signed with. Vipps shows a secret once, in the registration's answer, so
-- it is kept here, where every node and the CLI find it (docs/decisions.md says why not a file, and
-- why in clear like webhook_endpoints.secret). A provider's records, not ours: no key points at payments.
CREATE TABLE mobilepay_webhooks (
    id                     text PRIMARY KEY,
    merchant_serial_number text NOT NULL,
    url                    text NOT NULL,
    events                 text NOT NULL,
    secret                 text NOT NULL,
    created_at             timestamptz NOT NULL
);
CREATE INDEX ix_mobilepay_webhooks_msn ON mobilepay_webhooks (merchant_serial_number);
