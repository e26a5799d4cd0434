package dev.stockroom.load.chaos;

import java.time.Duration;

/**
 * How recovery is judged, from system properties.
 *
 * @param baselineWindow   throughput before a fault is measured over this window ({@code chaos.baseline-seconds})
 * @param recoveryRatio    throughput is back when a one-second window serves this share of it ({@code chaos.recovery-ratio})
 * @param recoveryDeadline longest the service gets to recover before the fault counts as not recovered
 *                         ({@code chaos.recovery-deadline-seconds})
 */
public record ChaosConfig(Duration baselineWindow, double recoveryRatio, Duration recoveryDeadline) {

    public static ChaosConfig fromSystemProperties() {
        return new ChaosConfig(Duration.ofSeconds(Long.getLong("chaos.baseline-seconds", 5)),
                Double.parseDouble(System.getProperty("chaos.recovery-ratio", "0.5")),
                Duration.ofSeconds(Long.getLong("chaos.recovery-deadline-seconds", 90)));
    }
}
