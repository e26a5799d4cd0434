package dev.stockroom.warehouse;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What was decided about each warehouse event, by its (source, id), in the caller's transaction: the record that
 * makes an applied event's redelivery a duplicate.
 *
 * <p>Beside {@code event_decision} it keeps {@code applied_event} (keyed by id alone) up to date for the previous
 * version of the service, which may run in the same consumer group during a rollout or after a rollback; see
 * {@code V5__event_decisions_by_source.sql}.
 */
@ApplicationScoped
class EventDecisions {

    private final AgroalDataSource dataSource;

    EventDecisions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims the events that are not yet applied: new ones, and rejected ones delivered again (judged again, since
     * their cause may have been fixed). Returns the claimed keys; the others are duplicates.
     */
    Set<EventKey> claim(Collection<EventKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return Set.of();
        }
        Object sources = keys.stream().map(EventKey::source).toArray(String[]::new);
        Object ids = keys.stream().map(EventKey::id).toArray(String[]::new);
        try (Connection c = dataSource.getConnection()) {
            // First the previous version's unique id: a concurrent claim of the same id there (by either version)
            // makes this statement wait for it, so the claim below sees its outcome.
            String applied = Decision.APPLIED.name();
            String rejected = Decision.REJECTED.name();
            Sql.update(c, """
                    INSERT INTO applied_event (event_id, outcome, source)
                    SELECT DISTINCT ON (k.event_id) k.event_id, ?::varchar, k.source
                    FROM unnest(?::varchar[], ?::varchar[]) AS k(source, event_id) ORDER BY k.event_id, k.source
                    ON CONFLICT (event_id) DO UPDATE SET outcome = excluded.outcome, applied_at = now()
                        WHERE applied_event.source = excluded.source AND applied_event.outcome = ?""",
                    applied, sources, ids, rejected);
            List<EventKey> claimed = Sql.query(c,
                    """
                            INSERT INTO event_decision AS d (source, event_id, outcome)
                            SELECT k.source, k.event_id, ?::varchar FROM unnest(?::varchar[], ?::varchar[]) AS k(source, event_id)
                            -- An id the previous version applied counts for every source: it did not keep sources.
                            WHERE NOT EXISTS (SELECT 1 FROM applied_event a WHERE a.event_id = k.event_id
                                              AND a.source IS NULL AND a.outcome = ?)
                            ON CONFLICT (source, event_id) DO UPDATE SET outcome = excluded.outcome, decided_at = now()
                                WHERE d.outcome = ?
                            RETURNING d.source, d.event_id""",
                    rs -> new EventKey(rs.getString("source"), rs.getString("event_id")), applied, sources, ids,
                    applied, rejected);
            return new HashSet<>(claimed);
        }
    }

    /** Records that the claimed events were rejected: delivered again, they are judged again. */
    void reject(Collection<EventKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            String rejected = Decision.REJECTED.name();
            Sql.update(c, """
                    WITH k AS (SELECT * FROM unnest(?::varchar[], ?::varchar[]) AS k(source, event_id)),
                    decided AS (UPDATE event_decision d SET outcome = ? FROM k
                                WHERE d.source = k.source AND d.event_id = k.event_id)
                    UPDATE applied_event a SET outcome = ? FROM k
                    WHERE a.event_id = k.event_id AND a.source = k.source""",
                    keys.stream().map(EventKey::source).toArray(String[]::new),
                    keys.stream().map(EventKey::id).toArray(String[]::new), rejected, rejected);
        }
    }
}
