package dev.stockroom.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The service's Prometheus scrape: filtered lines for a run's record, or series whose change over a window tells. */
final class Metrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Metrics() {
    }

    static List<String> scrape(URI metrics, String... prefixes) {
        String body = body(metrics);
        if (body.isEmpty()) {
            return List.of("metrics unavailable: " + metrics);
        }
        return body.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> Arrays.stream(prefixes).anyMatch(l::startsWith)).toList();
    }

    /** Every series of the scrape ({@code name{labels}} to value); empty when the replica did not answer. */
    static Map<String, Double> series(URI metrics) {
        Map<String, Double> series = new LinkedHashMap<>();
        body(metrics).lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> {
            int space = l.lastIndexOf(' ');
            try {
                series.put(l.substring(0, space), Double.parseDouble(l.substring(space + 1)));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // not a sample line
            }
        });
        return series;
    }

    /**
     * What the hold combiner of one replica did between two scrapes: batches, mean batch size, time in queue and
     * batch time (mean and p99 from the histogram buckets), holds shed by reason, and write requests shed.
     */
    static String holds(Map<String, Double> before, Map<String, Double> after) {
        double batches = delta(before, after, "stockroom_holds_batch_size_count");
        double holds = delta(before, after, "stockroom_holds_batch_size_sum");
        double queueCount = delta(before, after, "stockroom_holds_queue_time_seconds_count");
        double batchCount = delta(before, after, "stockroom_holds_batch_duration_seconds_count");
        Map<String, Double> shed = new TreeMap<>();
        after.forEach((k, v) -> {
            if (k.startsWith("stockroom_holds_shed_total{")) {
                shed.put(label(k, "reason"), v - before.getOrDefault(k, 0.0));
            }
        });
        return ("%.0f holds in %.0f batches (mean %.1f a batch); in queue mean %.1f ms, p99 ≤ %s; batch time mean %.1f ms,"
                + " p99 ≤ %s; holds shed %s; commits and releases shed %.0f").formatted(holds, batches,
                holds / Math.max(1, batches),
                1000 * delta(before, after, "stockroom_holds_queue_time_seconds_sum") / Math.max(1, queueCount),
                p99(before, after, "stockroom_holds_queue_time_seconds"),
                1000 * delta(before, after, "stockroom_holds_batch_duration_seconds_sum") / Math.max(1, batchCount),
                p99(before, after, "stockroom_holds_batch_duration_seconds"), shed,
                delta(before, after, "stockroom_write_shed_total"));
    }

    /** The change of every series whose name is exactly this (all label sets summed). */
    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return sum(after, name) - sum(before, name);
    }

    private static double sum(Map<String, Double> series, String name) {
        return series.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The smallest bucket bound (ms) under which 99% of the window's observations fall. */
    private static String p99(Map<String, Double> before, Map<String, Double> after, String name) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        after.forEach((k, v) -> {
            if (k.startsWith(name + "_bucket{")) {
                String le = label(k, "le");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.merge(bound, v - before.getOrDefault(k, 0.0), Double::sum);
            }
        });
        Double total = buckets.get(Double.POSITIVE_INFINITY);
        if (total == null || total <= 0) {
            return "n/a";
        }
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            if (b.getValue() >= 0.99 * total) {
                return b.getKey().isInfinite() ? "above the largest bucket" : "%.0f ms".formatted(b.getKey() * 1000);
            }
        }
        return "n/a";
    }

    private static String label(String series, String label) {
        int at = Math.max(series.indexOf("{" + label + "=\""), series.indexOf("," + label + "=\""));
        if (at < 0) {
            return "";
        }
        int from = at + label.length() + 3;
        return series.substring(from, series.indexOf('"', from));
    }

    private static String body(URI metrics) {
        try {
            return HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
