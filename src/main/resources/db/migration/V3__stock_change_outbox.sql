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

CREATE FUNCTION stock_level_to_outbox() RETURNS trigger AS $$
BEGIN
    INSERT INTO stock_change_outbox (sku, location, on_hand, reserved, committed, safety_stock, version, changed_at)
    VALUES (NEW.sku, NEW.location, NEW.on_hand, NEW.reserved, NEW.committed, NEW.safety_stock, NEW.version,
            NEW.updated_at);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Only real changes: an UPDATE that leaves every quantity and the version as they were publishes nothing.
CREATE TRIGGER stock_level_outbox_insert
    AFTER INSERT ON stock_level
    FOR EACH ROW EXECUTE FUNCTION stock_level_to_outbox();

CREATE TRIGGER stock_level_outbox_update
    AFTER UPDATE ON stock_level
    FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
    EXECUTE FUNCTION stock_level_to_outbox();
