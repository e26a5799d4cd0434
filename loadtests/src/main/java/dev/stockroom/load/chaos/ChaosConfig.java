package dev.stockroom.load.chaos;

import java.time.Duration;

/**
 * How recovery is judged, from system properties.
 *
 * @param baselineWindow   throughput before a fault is measured over this window ({@code chaos.baseline-seconds})
 * @param recoveryRatio    throughput is back when a one-second window serves this share of it ({@code chaos.recovery-ratio})
 * @param recoveryDeadline longest the service gets to recover before the fault counts as not recovered
 *                         ({@code chaos.recovery-deadline-seconds})
 * @param settle           after a recovery, how long latency is still counted as the fault's, not the service's
 *                         normal (a restarted JVM is cold and meets the backlog of retries) ({@code chaos.settle-seconds})
 */
public record ChaosConfig(Duration baselineWindow, double recoveryRatio, Duration recoveryDeadline, Duration settle) {

    public static ChaosConfig fromSystemProperties() {
        return new ChaosConfig(Duration.ofSeconds(Long.getLong("chaos.baseline-seconds", 5)),
                Double.parseDouble(System.getProperty("chaos.recovery-ratio", "0.5")),
                Duration.ofSeconds(Long.getLong("chaos.recovery-deadline-seconds", 90)),
                Duration.ofSeconds(Long.getLong("chaos.settle-seconds", 15)));
    }
}
