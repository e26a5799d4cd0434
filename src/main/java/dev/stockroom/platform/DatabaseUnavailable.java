package dev.stockroom.platform;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tells a failure of the database's availability (link cut or frozen, pool exhausted, statement or lock timed out,
 * server restarting) from a bug. The first is the storefront's cue to retry later, so it is answered 503 with
 * {@code Retry-After} rather than 500: the transaction rolled back, and a retry with the same
 * {@code Idempotency-Key} either replays a hold that did commit or decides it afresh.
 */
public final class DatabaseUnavailable {

    /**
     * SQLSTATEs that mean "not now" rather than "wrong": connection exceptions (class 08), too many connections,
     * statement cancelled by {@code statement_timeout}, lock not available ({@code lock_timeout}), admin or crash
     * shutdown, cannot connect now, serialization failure and deadlock.
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("53300", "57014", "55P03", "57P01", "57P02", "57P03",
            "40001", "40P01");
    /** {@code statement_timeout} and {@code lock_timeout}. */
    private static final Set<String> TIMEOUT_STATES = Set.of("57014", "55P03");

    private DatabaseUnavailable() {
    }

    /**
     * Whether the failure, or anything that caused it, is the database being unavailable for now. Suppressed
     * exceptions count too: when the link breaks during commit, the transaction manager reports a bare
     * {@code RollbackException} and attaches the driver's I/O error as suppressed.
     */
    public static boolean causedBy(Throwable failure) {
        return causedBy(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /**
     * Whether the failure is a statement or lock that ran into its timeout ({@code statement_timeout},
     * {@code lock_timeout}): the database is there, but something held on longer than the service allows.
     */
    public static boolean timedOut(Throwable failure) {
        return anyCause(failure, t -> t instanceof SQLException sql && sql.getSQLState() != null
                && TIMEOUT_STATES.contains(sql.getSQLState()),
                Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean causedBy(Throwable t, Set<Throwable> seen) {
        return anyCause(t, DatabaseUnavailable::isTransient, seen);
    }

    private static boolean anyCause(Throwable t, Predicate<Throwable> test, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        if (test.test(t)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (anyCause(suppressed, test, seen)) {
                return true;
            }
        }
        return anyCause(t.getCause(), test, seen);
    }

    private static boolean isTransient(Throwable t) {
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state))) {
                return true;
            }
            // Agroal's pool gives up waiting for a connection with a plain SQLException and no SQLSTATE.
            return state == null && sql.getMessage() != null
                    && sql.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout");
        }
        return false;
    }
}
