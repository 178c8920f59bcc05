-- The Node.js peer's own tables: what a hand-written Stripe integration typically keeps.
CREATE TABLE IF NOT EXISTS payments (
  id                 text PRIMARY KEY,
  provider_reference text NOT NULL UNIQUE,  -- the Checkout Session id
  amount             bigint NOT NULL,       -- minor units
  currency           text NOT NULL,         -- ISO 4217, upper case
  status             text NOT NULL DEFAULT 'pending',
  updated_at         timestamptz NOT NULL DEFAULT now()
);
-- One row per Stripe event id: the dedupe key.
CREATE TABLE IF NOT EXISTS stripe_events (
  id          text PRIMARY KEY,
  type        text NOT NULL,
  payment_id  text,
  received_at timestamptz NOT NULL DEFAULT now()
);
