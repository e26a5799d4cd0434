-- Stockroom schema: locations, stock levels, reservations (holds) and the movement ledger.
-- Every per-SKU table leads with sku, so per-SKU reads and locks stay on one index range.

CREATE TABLE location (
    code       varchar(32)  PRIMARY KEY,
    name       varchar(200) NOT NULL,
    kind       varchar(16)  NOT NULL CHECK (kind IN ('WAREHOUSE', 'STORE')),
    priority   integer      NOT NULL CHECK (priority >= 0),
    active     boolean      NOT NULL,
    updated_at timestamptz  NOT NULL
);

CREATE TABLE stock_level (
    sku          varchar(64) NOT NULL,
    location     varchar(32) NOT NULL REFERENCES location (code),
    on_hand      integer     NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved     integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    committed    integer     NOT NULL DEFAULT 0 CHECK (committed >= 0),
    safety_stock integer     NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    -- Grows by one with every change of the row; consumers of change events order by it.
    version      bigint      NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (sku, location)
);

CREATE TABLE reservation (
    id              uuid         PRIMARY KEY,
    -- Unique, so that concurrent retries with one key serialize on the index and create one hold.
    idempotency_key varchar(128) UNIQUE,
    request_hash    varchar(64),
    order_ref       varchar(128) NOT NULL,
    status          varchar(16)  NOT NULL CHECK (status IN ('HELD', 'COMMITTED', 'RELEASED', 'EXPIRED', 'FULFILLED')),
    created_at      timestamptz  NOT NULL,
    expires_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL
);

-- The expiry sweeper scans only live holds, oldest deadline first.
CREATE INDEX reservation_held_expiry ON reservation (expires_at) WHERE status = 'HELD';

CREATE TABLE reservation_line (
    reservation_id uuid        NOT NULL REFERENCES reservation (id),
    sku            varchar(64) NOT NULL,
    location       varchar(32) NOT NULL REFERENCES location (code),
    quantity       integer     NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (reservation_id, sku, location)
);

CREATE INDEX reservation_line_sku ON reservation_line (sku, location);

-- Append-only: one row per change of any quantity of a stock level, so that stock levels can be recomputed.
CREATE TABLE stock_movement (
    sku                varchar(64)  NOT NULL,
    id                 bigint       GENERATED ALWAYS AS IDENTITY,
    location           varchar(32)  NOT NULL,
    kind               varchar(16)  NOT NULL,
    on_hand_delta      integer      NOT NULL DEFAULT 0,
    reserved_delta     integer      NOT NULL DEFAULT 0,
    committed_delta    integer      NOT NULL DEFAULT 0,
    safety_stock_delta integer      NOT NULL DEFAULT 0,
    reservation_id     uuid,
    event_id           varchar(128),
    reason             varchar(200),
    occurred_at        timestamptz  NOT NULL,
    recorded_at        timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, id)
);

CREATE INDEX stock_movement_history ON stock_movement (sku, occurred_at);
CREATE INDEX stock_movement_reservation ON stock_movement (reservation_id) WHERE reservation_id IS NOT NULL;

-- The ledger is append-only: refuse updates and deletes at the database.
CREATE FUNCTION stock_movement_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'stock_movement is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER stock_movement_no_change
    BEFORE UPDATE OR DELETE ON stock_movement
    FOR EACH ROW EXECUTE FUNCTION stock_movement_append_only();
