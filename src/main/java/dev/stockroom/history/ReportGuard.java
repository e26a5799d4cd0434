package dev.stockroom.history;

import com.zaxxer.hikari.HikariDataSource;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Runs history and report queries on the report pool, at most as many at once as it has connections. One more is
 * refused at once (503 with {@code Retry-After}) rather than queued: a caller waiting behind a slow report would
 * hold a request thread for nothing.
 *
 * <p>Policies stack outside in: the SmallRye Fault Tolerance bulkhead (synchronous, so it rejects without a queue),
 * then the pool's connection timeout, then {@code statement_timeout} on the connection, which stops a query in the
 * database itself (a timeout in Java could not interrupt JDBC). Created at start, so that its refusal counter exists
 * (at zero) before the first report.
 */
@ApplicationScoped
@Startup
class ReportGuard {

    /** A query on a report connection. */
    @FunctionalInterface
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    /** SQLSTATE of a statement stopped by {@code statement_timeout}. */
    private static final String QUERY_CANCELED = "57014";

    private final HikariDataSource pool;
    private final Guard bulkhead;
    private final long retryAfterSeconds;
    private final long timeoutMillis;

    ReportGuard(@ReportPool HikariDataSource pool, HistoryConfig config, MeterRegistry registry) {
        this.pool = pool;
        Counter rejected = Counter.builder("stockroom.history.reports.rejected")
                .description("History and report requests refused because every report connection was busy")
                .register(registry);
        this.bulkhead = Guard.create().withDescription("history reports")
                .withBulkhead().limit(config.pool().size()).onRejected(rejected::increment).done()
                .build();
        this.retryAfterSeconds = Math.max(1, config.pool().retryAfter().toSeconds());
        this.timeoutMillis = config.pool().statementTimeout().toMillis();
    }

    @SuppressWarnings("unchecked")
    <T> T run(Query<T> query) {
        try {
            return (T) bulkhead.call(() -> {
                try (Connection c = pool.getConnection()) {
                    return query.run(c);
                }
            }, Object.class);
        } catch (BulkheadException e) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "Every report connection is busy; retry shortly", Map.of("retryAfterSeconds", retryAfterSeconds));
        } catch (SQLException e) {
            if (QUERY_CANCELED.equals(e.getSQLState())) {
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The query ran into its "
                        + timeoutMillis + " ms limit; retry shortly", Map.of("retryAfterSeconds", retryAfterSeconds));
            }
            throw new IllegalStateException("History query failed", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("History query failed", e);
        }
    }
}
