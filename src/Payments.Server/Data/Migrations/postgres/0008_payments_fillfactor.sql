-- Leave 15 % of each payments page free, so that settling a payment (status, updated_at, paid_at:
-- no indexed column) is a HOT update: the new row version stays on its page and none of the five
-- indexes of payments gets a new entry. At the default fillfactor (100) pages are full after the
-- inserts, and every settlement wrote five index entries. Applies to pages written from now on.
ALTER TABLE payments SET (fillfactor = 85);
