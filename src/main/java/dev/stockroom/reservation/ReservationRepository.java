package dev.stockroom.reservation;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rows a batch of holds writes, in plain SQL in the caller's transaction, one set-based statement each
 * whatever the batch size: holds are placed on the hot path of a flash sale.
 */
@ApplicationScoped
class ReservationRepository {

    private final AgroalDataSource dataSource;

    ReservationRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts a HELD reservation without lines for each hold, in idempotency-key order. A hold whose key is already
     * bound to a committed reservation inserts nothing; while another transaction holds its key uncommitted, the
     * insert waits for that one to end (the unique index), so concurrent retries of one request create one hold.
     * Inserting in key order makes two batches that share keys wait for each other in one order, never in a cycle.
     *
     * @return the ids that were inserted
     */
    Set<UUID> insertHeld(List<PendingHold> holds, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return new HashSet<>(Sql.query(c, "INSERT INTO reservation (id, idempotency_key, request_hash, order_ref,"
                    + " status, created_at, expires_at, updated_at)"
                    + " SELECT r.id, r.idempotency_key, r.request_hash, r.order_ref, ?, ?, r.expires_at, ?"
                    + " FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[])"
                    + "   AS r(id, idempotency_key, request_hash, order_ref, expires_at)"
                    + " ORDER BY r.idempotency_key COLLATE \"C\""
                    + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
                    rs -> rs.getObject(1, UUID.class), ReservationStatus.HELD.name(), now, now,
                    holds.stream().map(PendingHold::id).toArray(UUID[]::new),
                    holds.stream().map(PendingHold::idempotencyKey).toArray(String[]::new),
                    holds.stream().map(PendingHold::fingerprint).toArray(String[]::new),
                    holds.stream().map(h -> h.request().orderRef()).toArray(String[]::new),
                    holds.stream().map(h -> now.plusSeconds(h.request().ttlSeconds())).toArray(Instant[]::new)));
        }
    }

    /**
     * What {@link #insertHeldWithLine} wrote.
     *
     * @param reservation whether the reservation row was inserted; not when the key is bound already
     * @param line        whether its line was too; not when the line names no location
     */
    record Inserted(boolean reservation, boolean line) {
    }

    /**
     * Inserts a HELD reservation with its one line, for a hold of one line at a named location, in one statement
     * that locks no stock row. A bound key inserts nothing, as in {@link #insertHeld}.
     */
    Inserted insertHeldWithLine(PendingHold hold, Instant now) throws SQLException {
        HoldRequest.Line line = hold.request().lines().get(0);
        try (Connection c = dataSource.getConnection()) {
            return Sql.query(c, "WITH r AS (INSERT INTO reservation (id, idempotency_key, request_hash, order_ref,"
                    + " status, created_at, expires_at, updated_at) VALUES (?::uuid, ?::varchar, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id),"
                    + " line AS (INSERT INTO reservation_line (reservation_id, sku, location, quantity)"
                    + " SELECT r.id, ?, l.code, ? FROM r JOIN location l ON l.code = ? RETURNING 1)"
                    + " SELECT EXISTS (SELECT 1 FROM r), EXISTS (SELECT 1 FROM line)",
                    rs -> new Inserted(rs.getBoolean(1), rs.getBoolean(2)), hold.id(), hold.idempotencyKey(),
                    hold.fingerprint(), hold.request().orderRef(), ReservationStatus.HELD.name(), now,
                    now.plusSeconds(hold.request().ttlSeconds()), now, line.sku(), line.quantity(), line.location())
                    .get(0);
        }
    }

    /**
     * Writes the lines of the granted holds and removes the reservations of the refused ones, so that a refused
     * hold leaves nothing behind, in one statement.
     */
    void recordDecisions(Map<UUID, List<ReservationView.Line>> granted, Collection<UUID> refused)
            throws SQLException {
        int lines = granted.values().stream().mapToInt(List::size).sum();
        UUID[] ids = new UUID[lines];
        String[] skus = new String[lines];
        String[] locations = new String[lines];
        Integer[] quantities = new Integer[lines];
        int i = 0;
        for (Map.Entry<UUID, List<ReservationView.Line>> hold : granted.entrySet()) {
            for (ReservationView.Line line : hold.getValue()) {
                ids[i] = hold.getKey();
                skus[i] = line.sku();
                locations[i] = line.location();
                quantities[i++] = line.quantity();
            }
        }
        try (Connection c = dataSource.getConnection()) {
            Sql.update(c, "WITH lines AS (INSERT INTO reservation_line (reservation_id, sku, location, quantity)"
                    + " SELECT * FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::int[]))"
                    + " DELETE FROM reservation WHERE id = ANY(?)",
                    ids, skus, locations, quantities, refused.toArray(UUID[]::new));
        }
    }

    /** Which of the reservations exist: after a commit whose outcome the database never confirmed. */
    Set<UUID> existing(Collection<UUID> ids) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return new HashSet<>(Sql.query(c, "SELECT id FROM reservation WHERE id = ANY(?)",
                    rs -> rs.getObject(1, UUID.class), (Object) ids.toArray(UUID[]::new)));
        }
    }
}
