-- Same schema as PostgreSQL's 0009: the reconciliation worker finds its candidates through
-- ix_payments_created, and settling a payment no longer updates a status index.
DROP INDEX IF EXISTS ix_payments_status_checked;
