package dev.stockroom.platform;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which database failures are "retry later" (503) and which are bugs (500). */
class DatabaseUnavailableTest {

    @Test
    void causedBy_connectionLostDeepInTheChain_isUnavailable() {
        // Given: how Hibernate and Narayana wrap a link cut mid-transaction
        Exception failure = new IllegalStateException("commit failed",
                new RuntimeException("JDBC", new SQLException("An I/O error occurred", "08006")));

        // Then
        assertThat(DatabaseUnavailable.causedBy(failure)).isTrue();
    }

    @Test
    void causedBy_linkLostDuringCommit_isUnavailable() {
        // Given: Narayana's report of a commit whose connection broke: the driver's error is only a suppressed one
        Exception commit = new IllegalStateException("ARJUNA016053: Could not commit transaction.");
        commit.addSuppressed(new RuntimeException("Error trying to transactionCommit local transaction",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")));

        // Then
        assertThat(DatabaseUnavailable.causedBy(new RuntimeException("Error invoking subclass method", commit)))
                .isTrue();
    }

    @Test
    void causedBy_timeoutsAndPoolExhaustion_areUnavailable() {
        assertThat(DatabaseUnavailable.causedBy(new SQLException("canceling statement due to statement timeout",
                "57014"))).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new SQLException("canceling statement due to lock timeout", "55P03")))
                .isTrue();
        assertThat(DatabaseUnavailable.causedBy(new RuntimeException(new SQLException("Sorry, acquisition timeout!"))))
                .isTrue();
        assertThat(DatabaseUnavailable.causedBy(new SQLTransientConnectionException("pool closed"))).isTrue();
    }

    @Test
    void causedBy_constraintViolationOrBug_isNotUnavailable() {
        assertThat(DatabaseUnavailable.causedBy(new SQLException("violates check constraint", "23514"))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(new NullPointerException())).isFalse();
        assertThat(DatabaseUnavailable.causedBy(new SQLException("no state"))).isFalse();
    }

    @Test
    void timedOut_lockOrStatementTimeoutAnywhereInTheChain_isTold_otherFailuresAreNot() {
        SQLException lockTimeout = new SQLException("canceling statement due to lock timeout", "55P03");
        SQLException statementTimeout = new SQLException("canceling statement due to statement timeout", "57014");
        SQLException noState = new SQLException("Sorry, acquisition timeout!");

        assertThat(DatabaseUnavailable.timedOut(new RuntimeException("batch", lockTimeout))).isTrue();
        assertThat(DatabaseUnavailable.timedOut(statementTimeout)).isTrue();
        // A failure without SQLSTATE (the pool's) is unavailability, not a timeout of the database's
        assertThat(DatabaseUnavailable.timedOut(new RuntimeException("batch", noState))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(noState)).isTrue();
        assertThat(DatabaseUnavailable.timedOut(new SQLException("deadlock detected", "40P01"))).isFalse();
    }
}
