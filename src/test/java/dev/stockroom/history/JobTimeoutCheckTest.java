package dev.stockroom.history;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobTimeoutCheckTest {

    private static final Duration JOB = Duration.ofSeconds(60);

    @Test
    void check_socketTimeoutAboveTheJobs_passes() {
        assertThatCode(() -> JobTimeoutCheck.check(JOB, Optional.of(Duration.ofSeconds(75))))
                .doesNotThrowAnyException();
    }

    @Test
    void check_noSocketTimeoutOrZero_passes() {
        assertThatCode(() -> JobTimeoutCheck.check(JOB, Optional.empty())).doesNotThrowAnyException();
        assertThatCode(() -> JobTimeoutCheck.check(JOB, Optional.of(Duration.ZERO))).doesNotThrowAnyException();
    }

    @Test
    void check_socketTimeoutEqualToOrBelowTheJobs_refusesNamingBothSettings() {
        for (Duration socket : new Duration[]{Duration.ofSeconds(60), Duration.ofSeconds(30)}) {
            assertThatThrownBy(() -> JobTimeoutCheck.check(JOB, Optional.of(socket)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stockroom.history.job-statement-timeout")
                    .hasMessageContaining("STOCKROOM_WRITE_POOL_SOCKET_TIMEOUT_SECONDS");
        }
    }
}
