-- The accepted form of an added column: nullable, timeouts set for this transaction only.
SET LOCAL lock_timeout = '3s';
SET LOCAL statement_timeout = '60s';
ALTER TABLE reservation ADD COLUMN channel text;
