-- PostgreSQL only (payments fillfactor, for HOT updates). SQLite rewrites a row in place and touches
-- an index only when an indexed column changes, so there is nothing to do here; the script exists
-- because both engines keep the same migration versions.
SELECT 1;
