package dev.stockroom.load.chaos;

/**
 * How the service came back from one fault, measured from the moment the fault was healed.
 *
 * @param readyAfterMs      until readiness answered UP (-1: not within the deadline)
 * @param throughputAfterMs until a one-second window served at least the configured share of the baseline (-1: not)
 * @param notReadyMs        how long readiness was not UP, from the injection to the recovery (probed every 250 ms)
 * @param baselinePerSecond requests answered per second (no 5xx) in the window before the fault
 * @param duringPerSecond   the same while the fault lasted (for a zero-length fault: the second after it)
 */
public record Recovery(String fault, long injectedAtMs, long faultLastedMs, long readyAfterMs, long throughputAfterMs,
                       long notReadyMs, double baselinePerSecond, double duringPerSecond) {

    public boolean recovered() {
        return readyAfterMs >= 0 && throughputAfterMs >= 0;
    }

    public String line() {
        return ("%-28s at +%5.1fs lasted %5.1fs  ready after %s  throughput back after %s  readiness not UP for %d ms"
                + "  (%.0f/s before, %.0f/s during)").formatted(fault, injectedAtMs / 1000.0, faultLastedMs / 1000.0,
                ms(readyAfterMs), ms(throughputAfterMs), notReadyMs, baselinePerSecond, duringPerSecond);
    }

    private static String ms(long ms) {
        return ms < 0 ? "NOT RECOVERED" : "%d ms".formatted(ms);
    }
}
