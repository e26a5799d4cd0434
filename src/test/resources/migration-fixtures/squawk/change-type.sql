-- Changes a column's type.
SET LOCAL lock_timeout = '3s';
SET LOCAL statement_timeout = '60s';
ALTER TABLE reservation ALTER COLUMN order_ref TYPE text;
