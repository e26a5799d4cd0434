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
 * is status 0), requests and holds completed in each second, the {@code Idempotency-Key} of every hold answered 201
 * (the audit compares them with the database), and a running count of answered requests that the chaos samples to
 * tell when throughput is back.
 */
public final class Tally {

    /** Status recorded when the request got no answer (connection refused or reset, timeout). */
    public static final int NO_ANSWER = 0;

    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final LongAdder served = new LongAdder();
    /** Every answered hold attempt: when it was answered (epoch ms) and how long it took (ms). */
    private final Queue<long[]> holdTimes = new ConcurrentLinkedQueue<>();
    /** Requests completed (answered or not) in each epoch second, and of them hold attempts. */
    private final Map<Long, LongAdder> requestsBySecond = new ConcurrentHashMap<>();
    private final Map<Long, LongAdder> holdsBySecond = new ConcurrentHashMap<>();
    private final String holdRequest;

    /** @param holdRequest the request name of hold attempts, whose share of all requests is counted */
    public Tally(String holdRequest) {
        this.holdRequest = holdRequest;
    }

    public void record(String request, int status) {
        answers.computeIfAbsent(request + " " + (status == NO_ANSWER ? "no-answer" : status), k -> new LongAdder()).increment();
        long second = System.currentTimeMillis() / 1000;
        requestsBySecond.computeIfAbsent(second, k -> new LongAdder()).increment();
        if (request.equals(holdRequest)) {
            holdsBySecond.computeIfAbsent(second, k -> new LongAdder()).increment();
        }
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
     * The given percentiles (0-100) of the hold attempts answered in {@code [from, to]} (epoch ms), leaving out those
     * answered inside any of the excluded windows ({@code [start, end]} in epoch ms); the last element is how many
     * attempts were counted.
     */
    public long[] holdPercentiles(long from, long to, List<long[]> excluded, double... percentiles) {
        long[] sorted = holdTimes.stream()
                .filter(t -> t[0] >= from && t[0] <= to)
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

    /**
     * Requests completed in the whole seconds of {@code [from, to)} (epoch ms): every attempt counts, whatever its
     * answer, as the service had to take it.
     *
     * @param seconds       whole seconds in the window
     * @param requests      requests completed in them
     * @param holds         of them, hold attempts
     * @param slowestSecond the fewest requests completed in any one of them
     */
    public record Throughput(long seconds, long requests, long holds, long slowestSecond) {

        public double perSecond() {
            return seconds == 0 ? 0 : (double) requests / seconds;
        }

        public double holdShare() {
            return requests == 0 ? 0 : (double) holds / requests;
        }
    }

    public Throughput throughput(long from, long to) {
        long first = (from + 999) / 1000;
        long last = to / 1000;
        long requests = 0;
        long holds = 0;
        long slowest = Long.MAX_VALUE;
        for (long s = first; s < last; s++) {
            LongAdder r = requestsBySecond.get(s);
            LongAdder h = holdsBySecond.get(s);
            long n = r == null ? 0 : r.sum();
            requests += n;
            holds += h == null ? 0 : h.sum();
            slowest = Math.min(slowest, n);
        }
        return new Throughput(Math.max(0, last - first), requests, holds, slowest == Long.MAX_VALUE ? 0 : slowest);
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
