-- Renames a column the running version reads.
SET LOCAL lock_timeout = '3s';
SET LOCAL statement_timeout = '60s';
ALTER TABLE reservation RENAME COLUMN order_ref TO order_reference;
