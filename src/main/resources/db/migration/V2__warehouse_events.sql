-- Warehouse stock events: exactly-once effect, shipped quantities.

-- One row per warehouse event id ever decided, written in the same transaction as the event's effect (or its
-- rejection), so that a redelivered or duplicated event changes nothing.
CREATE TABLE applied_event (
    event_id   varchar(128) PRIMARY KEY,
    outcome    varchar(16)  NOT NULL CHECK (outcome IN ('APPLIED', 'REJECTED')),
    applied_at timestamptz  NOT NULL DEFAULT now()
);

-- How much of each reservation line has left the building; a reservation is FULFILLED when every line is shipped.
ALTER TABLE reservation_line ADD COLUMN shipped integer NOT NULL DEFAULT 0;
ALTER TABLE reservation_line ADD CONSTRAINT reservation_line_shipped_range CHECK (shipped >= 0 AND shipped <= quantity);
