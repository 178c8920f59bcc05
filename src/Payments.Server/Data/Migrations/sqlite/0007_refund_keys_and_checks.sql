-- A refund asked for with an Idempotency-Key is found again by it, so a retry after a timeout resumes
-- the same refund (same provider idempotency key) instead of reserving a second one.
ALTER TABLE refunds ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX ix_refunds_requested_by_request_key ON refunds (requested_by, request_key) WHERE request_key IS NOT NULL;

-- When the reconciliation worker last asked a provider about a payment (it asks the least recently
-- checked first, so payments the provider keeps calling "pending" cannot starve the others).
ALTER TABLE payments ADD COLUMN checked_at INTEGER;
CREATE INDEX ix_payments_status_checked ON payments (status, checked_at);
