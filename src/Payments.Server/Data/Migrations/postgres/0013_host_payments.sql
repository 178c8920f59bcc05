-- Payments the host application defines (issue 16): its own reference, its metadata, and when the
-- checkout closes. None of these change after the payment is written, so settling stays a HOT update.
ALTER TABLE payments ADD COLUMN reference_scope text;
ALTER TABLE payments ADD COLUMN reference text;
ALTER TABLE payments ADD COLUMN metadata text;
ALTER TABLE payments ADD COLUMN expires_at timestamptz;
-- One payment per (caller, reference): a repeated create-intent finds the first instead of charging twice.
CREATE UNIQUE INDEX ix_payments_reference ON payments (reference_scope, reference) WHERE reference IS NOT NULL;
-- GET /api/v1/payments?reference=… for callers who see every scope (admins, service keys).
CREATE INDEX ix_payments_reference_only ON payments (reference) WHERE reference IS NOT NULL;
