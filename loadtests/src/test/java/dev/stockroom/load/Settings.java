package dev.stockroom.load;

import java.time.Duration;

/**
 * The shape of a load run, from system properties, with defaults that finish in a few minutes on two cores.
 *
 * @param warmupRate     arrivals per second while browsing warms up ({@code load.warmup-rate})
 * @param warmup         how long the warm-up lasts ({@code load.warmup-seconds})
 * @param spikeMultiple  the spike's rate as a multiple of the warm-up rate ({@code load.spike-multiple}, at least 10)
 * @param ramp           how fast the spike arrives ({@code load.ramp-seconds})
 * @param plateau        how long the spike's rate holds ({@code load.plateau-seconds})
 * @param holdShare      share of arrivals that check out (hold, then commit or release) ({@code load.hold-share})
 * @param holdP99Bound   hold p99 must stay below this ({@code load.hold-p99-ms}); with chaos, outside the faults
 * @param holdP99BoundUnderFaults with chaos, hold p99 over the whole run, faults included, must stay below this
 *                       ({@code load.hold-p99-under-faults-ms}; default: the request timeout of gatling.conf)
 * @param zipfExponent   popularity skew of browsing ({@code load.zipf-exponent})
 * @param retries        most attempts of a hold, commit or release whose answer was lost or shed ({@code load.retries})
 * @param retryPause     pause between attempts, as a storefront honouring Retry-After ({@code load.retry-pause-ms})
 * @param commitShare    share of checkouts that commit their hold ({@code load.commit-share})
 * @param releaseShare   share that release it; the rest abandon it ({@code load.release-share})
 * @param abandonTtl     lifetime of holds that checkouts abandon, so that they expire during the run
 *                       ({@code load.abandon-ttl-seconds})
 */
record Settings(double warmupRate, Duration warmup, double spikeMultiple, Duration ramp, Duration plateau,
                double holdShare, long holdP99Bound, long holdP99BoundUnderFaults, double zipfExponent, int retries, Duration retryPause,
                double commitShare, double releaseShare, int abandonTtl) {

    static Settings fromSystemProperties() {
        Settings settings = new Settings(
                Double.parseDouble(System.getProperty("load.warmup-rate", "15")),
                Duration.ofSeconds(Long.getLong("load.warmup-seconds", 30)),
                Double.parseDouble(System.getProperty("load.spike-multiple", "10")),
                Duration.ofSeconds(Long.getLong("load.ramp-seconds", 10)),
                Duration.ofSeconds(Long.getLong("load.plateau-seconds", 140)),
                Double.parseDouble(System.getProperty("load.hold-share", "0.1")),
                Long.getLong("load.hold-p99-ms", 2000),
                Long.getLong("load.hold-p99-under-faults-ms", 10_000),
                Double.parseDouble(System.getProperty("load.zipf-exponent", "1.0")),
                Integer.getInteger("load.retries", 60),
                Duration.ofMillis(Long.getLong("load.retry-pause-ms", 1000)),
                Double.parseDouble(System.getProperty("load.commit-share", "0.6")),
                Double.parseDouble(System.getProperty("load.release-share", "0.3")),
                Integer.getInteger("load.abandon-ttl-seconds", 20));
        if (settings.spikeMultiple() < 10) {
            throw new IllegalArgumentException("load.spike-multiple must be at least 10: a flash sale is a spike");
        }
        return settings;
    }

    double spikeRate() {
        return warmupRate * spikeMultiple;
    }

    /** When the plateau starts, from the start of the load. */
    Duration plateauStart() {
        return warmup.plus(ramp);
    }
}
