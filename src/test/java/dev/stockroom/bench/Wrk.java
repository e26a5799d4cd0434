package dev.stockroom.bench;

import dev.stockroom.support.Commands;
import dev.stockroom.support.Tokens;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code wrk} runs as a client would send them: a storefront token and a fresh Idempotency-Key per hold, or one
 * client's GETs one after another. wrk runs in its own process, as a client does, so its figures do not include a
 * client sharing the service's JVM and CPU.
 */
public final class Wrk {

    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 3);

    private Wrk() {
    }

    /** What a run of GETs came to. */
    record Run(double requestsPerSecond) {
    }

    /** What a run of holds came to; {@code meanBatch} is holds per batch transaction, NaN without batches. */
    record Holds(double heldPerSecond, Map<String, Long> statuses, double p50Ms, double p99Ms, double meanBatch) {
        Holds withMeanBatch(double mean) {
            return new Holds(heldPerSecond, statuses, p50Ms, p99Ms, mean);
        }

        String describe() {
            String batch = Double.isNaN(meanBatch) ? "" : String.format(", mean batch %.1f", meanBatch);
            return String.format("%.0f holds/s, p50 %.1f ms, p99 %.1f ms%s, answers %s", heldPerSecond, p50Ms, p99Ms,
                    batch, statuses);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** Latencies of one client, in milliseconds, over {@code requests} answers. */
    public record Latency(double p50, double p95, double p99, long requests) {
    }

    /**
     * GETs {@code paths} (absolute paths of {@code base}) in turn on one connection, each as soon as the previous one
     * is answered, for {@code seconds} after a warm-up; fails if any answer is not 2xx.
     */
    public static Latency sequential(URI base, List<String> paths, String token, int seconds) throws Exception {
        Path script = Files.createTempFile("gets-", ".lua");
        script.toFile().deleteOnExit();
        String list = paths.stream().map(p -> '"' + p + '"').collect(Collectors.joining(", "));
        Files.writeString(script, """
                local paths, i = { %s }, 0
                wrk.headers["Authorization"] = "Bearer %s"
                function request() i = i %% #paths + 1; return wrk.format("GET", paths[i]) end
                function done(summary, latency, requests)
                  io.write(string.format("latency %%d %%d %%d requests %%d non2xx %%d\\n", latency:percentile(50),
                    latency:percentile(95), latency:percentile(99), summary.requests, summary.errors.status))
                end
                """.formatted(list, token), StandardCharsets.UTF_8);
        run(1, WARMUP_SECONDS, script, null, base);
        String out = run(1, seconds, script, null, base);
        Matcher m = Pattern.compile("(?m)^latency (\\d+) (\\d+) (\\d+) requests (\\d+) non2xx (\\d+)$").matcher(out);
        if (!m.find() || !"0".equals(m.group(5))) {
            throw new IllegalStateException("wrk did not get only 2xx answers:\n" + out);
        }
        return new Latency(Long.parseLong(m.group(1)) / 1000.0, Long.parseLong(m.group(2)) / 1000.0,
                Long.parseLong(m.group(3)) / 1000.0, Long.parseLong(m.group(4)));
    }

    /** GETs {@code uri} with a storefront token. */
    static Run get(URI uri, int connections, int seconds) throws Exception {
        String auth = "Authorization: Bearer " + Tokens.withRoles("storefront");
        run(connections, WARMUP_SECONDS, null, auth, uri);
        String out = run(connections, seconds, null, auth, uri);
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        if (!rps.find()) {
            throw new IllegalStateException("wrk printed no rate:\n" + out);
        }
        return new Run(Double.parseDouble(rps.group(1)));
    }

    /** One-unit holds on {@code sku} (or a random one of {@code skus} named {@code sku-n}) at {@code location}. */
    static Holds holds(URI uri, String sku, int skus, String location, int connections, int seconds)
            throws Exception {
        Path script = Files.createTempFile("holds-", ".lua");
        script.toFile().deleteOnExit();
        String auth = "Bearer " + Tokens.withRoles("storefront");
        java.util.function.UnaryOperator<String> forRun = run -> """
                local prefix, count, location, run, auth = "%s", %d, "%s", "%s", "%s"
                threads, counts, id, n = {}, {}, 0, 0
                wrk.method = "POST"
                function setup(thread) id = id + 1; thread:set("id", id); table.insert(threads, thread) end
                function init(args) math.randomseed(os.time() * 100 + id); counts = {} end
                function request()
                  n = n + 1
                  local sku = count > 1 and (prefix .. "-" .. math.random(count)) or prefix
                  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = auth,
                                    ["Idempotency-Key"] = run .. "-" .. id .. "-" .. n }
                  return wrk.format(nil, nil, headers, '{"orderRef":"bench","lines":[{"sku":"' .. sku
                    .. '","quantity":1,"location":"' .. location .. '"}]}')
                end
                function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
                function done(summary, latency, requests)
                  local total = {}
                  for _, t in ipairs(threads) do
                    for s, c in pairs(t:get("counts")) do total[s] = (total[s] or 0) + c end
                  end
                  for s, c in pairs(total) do io.write(string.format("status %%d %%d\\n", s, c)) end
                  io.write(string.format("p50 %%d p99 %%d us %%d\\n", latency:percentile(50), latency:percentile(99),
                    summary.duration))
                end
                """.formatted(sku, skus, location, run, auth);
        // The script sets every header itself: wrk.format replaces the ones given on the command line. Each run
        // gets keys of its own: the measured run must not replay the warm-up's holds.
        Files.writeString(script, forRun.apply(UUID.randomUUID().toString()), StandardCharsets.UTF_8);
        run(connections, WARMUP_SECONDS, script, null, uri);
        Files.writeString(script, forRun.apply(UUID.randomUUID().toString()), StandardCharsets.UTF_8);
        String out = run(connections, seconds, script, null, uri);
        Map<String, Long> statuses = new TreeMap<>();
        Matcher status = Pattern.compile("(?m)^status (\\d+) (\\d+)$").matcher(out);
        while (status.find()) {
            statuses.put(status.group(1), Long.parseLong(status.group(2)));
        }
        Matcher timeouts = Pattern.compile("timeout (\\d+)").matcher(out);
        if (timeouts.find() && !"0".equals(timeouts.group(1))) {
            statuses.put("timeout", Long.parseLong(timeouts.group(1)));
        }
        Matcher latency = Pattern.compile("(?m)^p50 (\\d+) p99 (\\d+) us (\\d+)$").matcher(out);
        if (!latency.find()) {
            throw new IllegalStateException("wrk printed no summary:\n" + out);
        }
        double elapsed = Long.parseLong(latency.group(3)) / 1e6;
        return new Holds(statuses.getOrDefault("201", 0L) / elapsed, statuses,
                Long.parseLong(latency.group(1)) / 1000.0, Long.parseLong(latency.group(2)) / 1000.0, Double.NaN);
    }

    /** wrk gives up on an answer after 2 s by default and counts it only as a timeout: it waits longer here. */
    private static String run(int connections, int seconds, Path script, String auth, URI uri)
            throws IOException, InterruptedException {
        String threads = Integer.toString(Math.min(connections, 2));
        return script == null
                ? Commands.run("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                        "-H", auth, uri.toString())
                : Commands.run("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                        "-s", script.toString(), uri.toString());
    }
}
