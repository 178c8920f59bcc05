-- Mail the service sends: a transactional outbox of its own (see the PostgreSQL script for what each
-- column is for). Times are UTC ticks. SQLite has one writer, so a claim needs no row locks.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    dedupe_key      TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT,
    message_id      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until    INTEGER,
    sent_at         INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_mail_outbox_dedupe_key ON mail_outbox (dedupe_key);
CREATE INDEX ix_mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
