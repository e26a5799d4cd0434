-- Adds a required column without a default: inserts of the running version fail.
SET LOCAL lock_timeout = '3s';
SET LOCAL statement_timeout = '60s';
ALTER TABLE reservation ADD COLUMN channel text NOT NULL;
