package dev.stockroom.history;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * Refuses to start when the background jobs' {@code statement_timeout} is not below the write pool's socket timeout.
 * The jobs run on write connections; a socket that gives up first would cut every long rollup step or copy batch as
 * if the link had failed, on every run, and the rollup would never catch up.
 */
@ApplicationScoped
class JobTimeoutCheck {

    /** The write pool's socket timeout in seconds, a driver property of the ORM's datasource; unset means none. */
    static final String WRITE_SOCKET_TIMEOUT = "quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout";

    private final HistoryConfig config;
    private final Optional<Integer> writeSocketTimeoutSeconds;

    JobTimeoutCheck(HistoryConfig config,
                    @ConfigProperty(name = WRITE_SOCKET_TIMEOUT) Optional<Integer> writeSocketTimeoutSeconds) {
        this.config = config;
        this.writeSocketTimeoutSeconds = writeSocketTimeoutSeconds;
    }

    void onStart(@Observes StartupEvent start) {
        check(config.jobStatementTimeout(), writeSocketTimeoutSeconds.map(Duration::ofSeconds));
    }

    /** @throws IllegalStateException when the socket would give up before a job's statement does */
    static void check(Duration jobStatementTimeout, Optional<Duration> writeSocketTimeout) {
        // Zero, like unset, is the driver's "no timeout".
        writeSocketTimeout.filter(socket -> !socket.isZero() && socket.compareTo(jobStatementTimeout) <= 0)
                .ifPresent(socket -> {
                    throw new IllegalStateException("stockroom.history.job-statement-timeout (" + jobStatementTimeout
                            + ") must be below the write pool's socket timeout (" + socket
                            + ", STOCKROOM_WRITE_POOL_SOCKET_TIMEOUT_SECONDS): raise the one or lower the other");
                });
    }
}
