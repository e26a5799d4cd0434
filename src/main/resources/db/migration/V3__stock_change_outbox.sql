-- Outbox of stock level changes, written by a trigger in the writing transaction so that no write path (HTTP,
-- events, set-based SQL, the expiry sweeper) can forget it. The relay publishes rows as stock.changed events
-- and deletes them.

CREATE TABLE stock_change_outbox (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku          varchar(64) NOT NULL,
    location     varchar(32) NOT NULL,
    on_hand      integer     NOT NULL,
    reserved     integer     NOT NULL,
    committed    integer     NOT NULL,
    safety_stock integer     NOT NULL,
    version      bigint      NOT NULL,
    changed_at   timestamptz NOT NULL
);

-- The relay finds the oldest row of each SKU (its head) and then that SKU's rows in id order.
CREATE INDEX stock_change_outbox_sku ON stock_change_outbox (sku, id);

-- Statement-level triggers with transition tables: a set-based write of thousands of stock levels (a batch of
-- warehouse events) fills the outbox with one INSERT ... SELECT instead of one function call per row.
CREATE FUNCTION stock_level_inserted_to_outbox() RETURNS trigger AS $$
BEGIN
    INSERT INTO stock_change_outbox (sku, location, on_hand, reserved, committed, safety_stock, version, changed_at)
    SELECT n.sku, n.location, n.on_hand, n.reserved, n.committed, n.safety_stock, n.version, n.updated_at
    FROM new_rows n ORDER BY n.sku, n.location;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Only real changes: an UPDATE that leaves the version as it was publishes nothing.
CREATE FUNCTION stock_level_updated_to_outbox() RETURNS trigger AS $$
BEGIN
    INSERT INTO stock_change_outbox (sku, location, on_hand, reserved, committed, safety_stock, version, changed_at)
    SELECT n.sku, n.location, n.on_hand, n.reserved, n.committed, n.safety_stock, n.version, n.updated_at
    FROM new_rows n JOIN old_rows o ON o.sku = n.sku AND o.location = n.location
    WHERE o.version IS DISTINCT FROM n.version
    ORDER BY n.sku, n.location;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER stock_level_outbox_insert
    AFTER INSERT ON stock_level
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stock_level_inserted_to_outbox();

CREATE TRIGGER stock_level_outbox_update
    AFTER UPDATE ON stock_level
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stock_level_updated_to_outbox();
