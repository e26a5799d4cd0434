-- Takes an ACCESS EXCLUSIVE lock with no lock_timeout: every query queues behind it while it waits.
ALTER TABLE reservation ADD COLUMN channel text;
