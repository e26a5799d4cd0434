-- Warehouse events are identified by their CloudEvents (source, id): the spec makes only the pair unique, so two
-- warehouse systems may both send "wms-000123". One row per event ever decided, written in the same transaction as
-- the event's effect (or its rejection). Only an APPLIED row makes a later delivery a duplicate; a REJECTED event
-- delivered again is judged again.
CREATE TABLE event_decision (
    source     varchar(255) NOT NULL,
    event_id   varchar(128) NOT NULL,
    outcome    varchar(16)  NOT NULL CHECK (outcome IN ('APPLIED', 'REJECTED')),
    decided_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id)
);

-- Expand now, contract later. During a rollout (and after a rollback) the previous version runs beside this one,
-- in the same consumer group, and keeps claiming ids in applied_event with INSERT ... ON CONFLICT (event_id): its
-- unique key on event_id alone must stay, and it must see what this version applied. So this version also enters
-- every id it decides there, with the source (left NULL by the previous version, which did not keep it), and treats
-- an id the previous version applied as applied for every source. Adding a nullable column without a default
-- rewrites nothing. A later release stops writing applied_event and moves its NULL-source rows over before dropping
-- it.
ALTER TABLE applied_event ADD COLUMN source varchar(255);
