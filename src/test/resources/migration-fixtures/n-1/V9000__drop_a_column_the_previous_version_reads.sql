-- N-1 check fixture (bin/n-1-check --self-test): a contract step shipped too early. The previous version still
-- reads reservation.order_ref (every reservation it returns carries orderRef), so the check must fail on it.
ALTER TABLE reservation DROP COLUMN order_ref;
