package dev.stockroom.reservation;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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
     * Inserts a HELD reservation for each hold, in idempotency-key order, with the lines that name a location (at a
     * location that exists), before any stock row is locked: then only the lines of holds that were refused, or
     * that the sourcing rule placed, are left for {@link #recordDecisions}. A hold whose key is already bound to a
     * committed reservation inserts nothing; while another transaction holds its key uncommitted, the insert waits
     * for that one to end (the unique index), so concurrent retries of one request create one hold. Inserting in key
     * order makes two batches that share keys wait for each other in one order, never in a cycle.
     *
     * @return the ids that were inserted
     */
    Set<UUID> insertHeld(List<PendingHold> holds, Instant now) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        List<HoldRequest.Line> located = new ArrayList<>();
        for (PendingHold hold : holds) {
            hold.request().lines().stream().filter(l -> l.location() != null).forEach(line -> {
                ids.add(hold.id());
                located.add(line);
            });
        }
        try (Connection c = dataSource.getConnection()) {
            return new HashSet<>(Sql.query(c, "WITH r AS (INSERT INTO reservation (id, idempotency_key, request_hash,"
                    + " order_ref, status, created_at, expires_at, updated_at)"
                    + " SELECT r.id, r.idempotency_key, r.request_hash, r.order_ref, ?, ?, r.expires_at, ?"
                    + " FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[])"
                    + "   AS r(id, idempotency_key, request_hash, order_ref, expires_at)"
                    + " ORDER BY r.idempotency_key COLLATE \"C\""
                    + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id),"
                    + " lines AS (INSERT INTO reservation_line (reservation_id, sku, location, quantity)"
                    + " SELECT x.id, x.sku, x.location, x.quantity"
                    + " FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::int[]) AS x(id, sku, location, quantity)"
                    + " JOIN r ON r.id = x.id JOIN location l ON l.code = x.location)"
                    + " SELECT id FROM r",
                    rs -> rs.getObject(1, UUID.class), ReservationStatus.HELD.name(), now, now,
                    holds.stream().map(PendingHold::id).toArray(UUID[]::new),
                    holds.stream().map(PendingHold::idempotencyKey).toArray(String[]::new),
                    holds.stream().map(PendingHold::fingerprint).toArray(String[]::new),
                    holds.stream().map(h -> h.request().orderRef()).toArray(String[]::new),
                    holds.stream().map(h -> now.plusSeconds(h.request().ttlSeconds())).toArray(Instant[]::new),
                    ids.toArray(UUID[]::new), located.stream().map(HoldRequest.Line::sku).toArray(String[]::new),
                    located.stream().map(HoldRequest.Line::location).toArray(String[]::new),
                    located.stream().map(HoldRequest.Line::quantity).toArray(Integer[]::new)));
        }
    }

    /**
     * Writes the lines the sourcing rule placed for granted holds, and removes the refused holds' reservations with
     * their lines, so that a refused hold leaves nothing behind, in one statement; none when there is neither.
     */
    void recordDecisions(Map<UUID, List<ReservationView.Line>> sourced, Collection<UUID> refused)
            throws SQLException {
        if (sourced.isEmpty() && refused.isEmpty()) {
            return;
        }
        int lines = sourced.values().stream().mapToInt(List::size).sum();
        UUID[] ids = new UUID[lines];
        String[] skus = new String[lines];
        String[] locations = new String[lines];
        Integer[] quantities = new Integer[lines];
        int i = 0;
        for (Map.Entry<UUID, List<ReservationView.Line>> hold : sourced.entrySet()) {
            for (ReservationView.Line line : hold.getValue()) {
                ids[i] = hold.getKey();
                skus[i] = line.sku();
                locations[i] = line.location();
                quantities[i++] = line.quantity();
            }
        }
        UUID[] gone = refused.toArray(UUID[]::new);
        try (Connection c = dataSource.getConnection()) {
            Sql.update(c, "WITH lines AS (INSERT INTO reservation_line (reservation_id, sku, location, quantity)"
                    + " SELECT * FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::int[])),"
                    + " refused_lines AS (DELETE FROM reservation_line WHERE reservation_id = ANY(?))"
                    + " DELETE FROM reservation WHERE id = ANY(?)",
                    ids, skus, locations, quantities, gone, gone);
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
