-- Mail the service sends (receipts, "payment failed", "trial ends soon"): a transactional outbox of its
-- own. A row is written in the same transaction as the change it is about and sent by MailDispatcher.
-- dedupe_key names the event ("receipt:pay_…"): UNIQUE, and writers insert with ON CONFLICT DO NOTHING,
-- so an event makes one mail however often it is applied. The message is rendered when the row is
-- written (what it says is what was true then). message_id is the Message-ID header, the same on every
-- attempt, so a resend after a crash between "sent" and "marked" is recognisably the same mail.
-- locked_until is a lease: a node claims due rows (FOR UPDATE SKIP LOCKED) until then, so two nodes
-- never send a row at once; a node that dies holding it holds it until the lease runs out.
CREATE TABLE mail_outbox (
    id              bigserial PRIMARY KEY,
    kind            text NOT NULL,
    dedupe_key      text NOT NULL,
    recipient       text NOT NULL,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text,
    message_id      text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until    timestamptz,
    sent_at         timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX ix_mail_outbox_dedupe_key ON mail_outbox (dedupe_key);
CREATE INDEX ix_mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
