package dev.stockroom.load;

import java.time.Duration;

/**
 * The shape of a flash sale, from system properties. Rates are <b>requests</b> per second as the service receives
 * them, holds included; the arrivals of browsers and buyers are worked out from them (see {@link #arrivals}).
 *
 * @param spikeRate      requests per second the spike aims at ({@code load.spike-rate})
 * @param spikeMultiple  the spike's rate as a multiple of the warm-up's ({@code load.spike-multiple}, at least 10)
 * @param warmup         how long browsing warms up at the spike's rate divided by the multiple
 *                       ({@code load.warmup-seconds})
 * @param ramp           how fast the spike arrives ({@code load.ramp-seconds})
 * @param plateau        how long the spike's rate holds ({@code load.plateau-seconds}); chaos adds its own stretch
 * @param holdShare      share of the requests that are first attempts of holds on the hot SKUs ({@code load.hold-share})
 * @param requiredRate   the spike passes only if the plateau completed at least this many requests per second
 *                       ({@code load.required-rate})
 * @param requiredHoldShare ... and if at least this share of them were hold attempts ({@code load.required-hold-share})
 * @param holdP99Bound   hold p99 must stay below this ({@code load.hold-p99-ms}); with chaos, outside the faults
 * @param holdP99BoundUnderFaults with chaos, hold p99 over the whole run, faults included, must stay below this
 *                       ({@code load.hold-p99-under-faults-ms}; default: the request timeout of gatling.conf)
 * @param zipfExponent   popularity skew of browsing ({@code load.zipf-exponent})
 * @param retries        most attempts of a hold, commit or release whose answer was lost or shed ({@code load.retries})
 * @param retryPause     pause before trying again after no answer, or a 503 without {@code Retry-After}
 *                       ({@code load.retry-pause-ms})
 * @param commitShare    share of granted holds that are committed ({@code load.commit-share})
 * @param releaseShare   share that are released; the rest are abandoned ({@code load.release-share})
 * @param abandonTtl     lifetime of holds that buyers abandon, so that they expire during the run
 *                       ({@code load.abandon-ttl-seconds})
 */
record Settings(double spikeRate, double spikeMultiple, Duration warmup, Duration ramp, Duration plateau,
                double holdShare, double requiredRate, double requiredHoldShare, long holdP99Bound,
                long holdP99BoundUnderFaults, double zipfExponent, int retries, Duration retryPause,
                double commitShare, double releaseShare, int abandonTtl) {

    static Settings fromSystemProperties() {
        Settings settings = new Settings(
                Double.parseDouble(System.getProperty("load.spike-rate", "2100")),
                Double.parseDouble(System.getProperty("load.spike-multiple", "10")),
                Duration.ofSeconds(Long.getLong("load.warmup-seconds", 20)),
                Duration.ofSeconds(Long.getLong("load.ramp-seconds", 10)),
                Duration.ofSeconds(Long.getLong("load.plateau-seconds", 60)),
                Double.parseDouble(System.getProperty("load.hold-share", "0.33")),
                Double.parseDouble(System.getProperty("load.required-rate", "2000")),
                Double.parseDouble(System.getProperty("load.required-hold-share", "0.30")),
                Long.getLong("load.hold-p99-ms", 250),
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
        if (settings.holdShare() * (1 + settings.followUps()) > 1) {
            throw new IllegalArgumentException("load.hold-share is too high: each buyer also sends %.1f requests after"
                    .formatted(settings.followUps()) + " the hold, so holds can be at most %.2f of the requests"
                    .formatted(1 / (1 + settings.followUps())));
        }
        return settings;
    }

    /**
     * Requests a buyer sends after a granted hold: a commit or a release, or nothing if abandoned. A buyer turned away
     * looks at the SKU once more instead, so once the hot SKUs sell out the rate runs a little above the aim.
     */
    double followUps() {
        return commitShare + releaseShare;
    }

    double warmupRate() {
        return spikeRate / spikeMultiple;
    }

    /**
     * Arrivals per second that make the given request rate: a browser sends one request (a read), a buyer a hold and
     * its follow-up, and buyers make {@code holdShare} of the requests.
     */
    double arrivals(double requestRate) {
        return requestRate * (1 - holdShare * followUps());
    }

    /** Share of the arrivals that are buyers. */
    double buyerShare() {
        return holdShare / (1 - holdShare * followUps());
    }

    /** When the plateau starts, from the start of the load. */
    Duration plateauStart() {
        return warmup.plus(ramp);
    }
}
