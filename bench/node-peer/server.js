// The peer bench/run.sh compares the service's webhook apply rate with: the Stripe webhook handler
// people usually write by hand. Express, the official `stripe` package verifying the raw body
// (stripe.webhooks.constructEvent), `pg` with a Pool, and one transaction per event:
// insert the event id (dedupe), and if it is new, mark the payment succeeded when it is pending and
// the amount and currency match; commit. Nothing here is tuned beyond what such code does.
//
// Environment: PORT, DATABASE_URL, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, PG_POOL_MAX (pool size;
// default 10, pg's own default).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const express = require('express');
const Stripe = require('stripe');
const { Pool } = require('pg');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET;
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.PG_POOL_MAX || 10),
});

const app = express();
let ready = false;

app.get('/healthz', (req, res) => res.status(ready ? 200 : 503).json({ ready }));

// The raw body: the signature is over the exact bytes Stripe sent.
app.post('/api/v1/payment/webhook/stripe', express.raw({ type: 'application/json', limit: '1mb' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], webhookSecret);
  } catch (err) {
    return res.status(400).json({ error: 'signature_invalid' });
  }
  if (event.type !== 'checkout.session.completed') return res.json({ outcome: 'ignored' });

  const session = event.data.object;
  const paymentId = session.client_reference_id || (session.metadata && session.metadata.payment_id);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query(
      'INSERT INTO stripe_events (id, type, payment_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
      [event.id, event.type, paymentId]);
    if (inserted.rowCount === 0) {
      await client.query('COMMIT');
      return res.json({ outcome: 'duplicate' });
    }
    let outcome = 'ignored';
    if (session.payment_status === 'paid') {
      const updated = await client.query(
        `UPDATE payments SET status = 'succeeded', updated_at = now()
          WHERE id = $1 AND provider_reference = $2 AND amount = $3 AND currency = $4 AND status = 'pending'`,
        [paymentId, session.id, session.amount_total, String(session.currency).toUpperCase()]);
      outcome = updated.rowCount === 1 ? 'applied' : 'mismatch';
    }
    await client.query('COMMIT');
    res.json({ outcome });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    console.error(err);
    res.status(500).json({ error: 'internal' });
  } finally {
    client.release();
  }
});

async function main() {
  await pool.query(fs.readFileSync(path.join(__dirname, 'schema.sql'), 'utf8'));
  const port = Number(process.env.PORT || 3000);
  app.listen(port, '127.0.0.1', () => {
    ready = true;
    console.log(`node peer listening on 127.0.0.1:${port}`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
