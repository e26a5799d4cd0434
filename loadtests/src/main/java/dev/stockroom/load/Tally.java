package dev.stockroom.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load tool itself saw, apart from Gatling's report: every answer by request and status (no answer at all
 * is status 0), the {@code Idempotency-Key} of every hold answered 201 (the audit compares them with the database),
 * and a running count of answered requests that the chaos samples to tell when throughput is back.
 */
public final class Tally {

    /** Status recorded when the request got no answer (connection refused or reset, timeout). */
    public static final int NO_ANSWER = 0;

    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final LongAdder served = new LongAdder();
    /** Every answered hold attempt: when it was answered (epoch ms) and how long it took (ms). */
    private final Queue<long[]> holdTimes = new ConcurrentLinkedQueue<>();

    public void record(String request, int status) {
        answers.computeIfAbsent(request + " " + (status == NO_ANSWER ? "no-answer" : status), k -> new LongAdder()).increment();
        if (status != NO_ANSWER && status < 500) {
            served.increment();
        }
    }

    /** A hold answered 201 (first answer or replay): counted once per key. */
    public void held(String idempotencyKey) {
        held.add(idempotencyKey);
    }

    /** A hold attempt that got an answer, timed. */
    public void holdAnswered(long answeredAtEpochMs, long millis) {
        holdTimes.add(new long[] {answeredAtEpochMs, millis});
    }

    /**
     * The given percentiles (0-100) of answered hold attempts, leaving out those answered inside any of the windows
     * ({@code [start, end]} in epoch ms); the last element is how many attempts were counted.
     */
    public long[] holdPercentiles(List<long[]> excluded, double... percentiles) {
        long[] sorted = holdTimes.stream()
                .filter(t -> excluded.stream().noneMatch(w -> t[0] >= w[0] && t[0] <= w[1]))
                .mapToLong(t -> t[1]).sorted().toArray();
        long[] result = new long[percentiles.length + 1];
        for (int i = 0; i < percentiles.length && sorted.length > 0; i++) {
            int rank = (int) Math.ceil(percentiles[i] / 100 * sorted.length) - 1;
            result[i] = sorted[Math.max(0, Math.min(rank, sorted.length - 1))];
        }
        result[percentiles.length] = sorted.length;
        return result;
    }

    /** Requests answered without a server error so far (the throughput the chaos watches). */
    public long served() {
        return served.sum();
    }

    public long holdsAnswered201() {
        return held.size();
    }

    /** Answers with a 5xx status other than 503 (load shedding and "retry later" are allowed; nothing else is). */
    public long serverErrorsOtherThan503() {
        return answers.entrySet().stream().filter(e -> {
            String status = e.getKey().substring(e.getKey().lastIndexOf(' ') + 1);
            return status.startsWith("5") && !status.equals("503");
        }).mapToLong(e -> e.getValue().sum()).sum();
    }

    /** Counts by "request status", sorted. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    /** Writes the keys of holds answered 201, one a line, for the audit. */
    public void writeHeldKeys(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, held);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
