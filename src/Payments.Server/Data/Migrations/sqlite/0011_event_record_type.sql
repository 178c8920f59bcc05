-- Webhook intake records every event once and dispatches it to the handler of the record it concerns
-- (payment, refund, subscription, invoice, customer, connected account). The event row says which,
-- and the provider's id of that record when it is not a payment (payment_id links payments).
-- Rows written before this are all payment events.
ALTER TABLE payment_events ADD COLUMN record_type TEXT NOT NULL DEFAULT 'payment';
ALTER TABLE payment_events ADD COLUMN record_id TEXT;
