-- No index may cover a column that settling a payment changes (status, refunded_minor, updated_at,
-- paid_at, failure_reason): then PostgreSQL can settle it as a HOT update (payments keep free room,
-- 0008) instead of adding a new entry to every index of the table. The reconciliation worker finds
-- its candidates through ix_payments_created instead (see docs/decisions.md).
DROP INDEX IF EXISTS ix_payments_status_checked;
