package dev.stockroom.load;

import dev.stockroom.load.env.Service;
import dev.stockroom.load.env.Stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings every replica to the state a sale meets in production, where replicas have served for hours before it: the
 * code paths of reads, holds and releases loaded and compiled. Sends {@code load.warm-requests} requests to each
 * replica, a few at a time: reads of catalogue SKUs, and every fourth a one-unit hold of a catalogue SKU (never a hot
 * one) released at once. The holds are tallied like any other, so the audit accounts for them.
 */
final class Warmup {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final Stack stack;
    private final Catalogue catalogue;
    private final Tally tally;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Warmup(Stack stack, Catalogue catalogue, Tally tally) {
        this.stack = stack;
        this.catalogue = catalogue;
        this.tally = tally;
    }

    /** Warms every replica at once, and returns a line for the run's record. */
    String run() {
        int requests = Integer.getInteger("load.warm-requests", 1500);
        long began = System.nanoTime();
        String token = "Bearer " + stack.tokens().token("storefront", Duration.ofMinutes(30));
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            for (Service replica : stack.services()) {
                try {
                    if (!inFlight.tryAcquire(2, TimeUnit.MINUTES)) {
                        return "warm-up gave up: a replica stopped answering";
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "warm-up interrupted";
                }
                String sku = Catalogue.sku(i % catalogue.skus());
                CompletableFuture<HttpResponse<String>> call = i % 4 == 3
                        ? holdAndRelease(replica.api(), token, sku, "warm-" + replica.name() + "-" + i, held)
                        : send(HttpRequest.newBuilder(replica.api().resolve("/v1/stock/" + sku)).GET(), token);
                all.add(call.whenComplete((response, e) -> {
                    if (e != null || response.statusCode() >= 500) {
                        failed.incrementAndGet();
                    }
                    inFlight.release();
                }));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return "warm-up: %d requests to each of %d replicas (%d holds placed and released) in %d ms, %d failed"
                .formatted(requests, stack.services().size(), held.get(), (System.nanoTime() - began) / 1_000_000,
                        failed.get()) + " (no answer or 5xx)";
    }

    private CompletableFuture<HttpResponse<String>> holdAndRelease(URI api, String token, String sku, String key, AtomicInteger held) {
        String body = "{\"orderRef\":\"" + key + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
        return send(HttpRequest.newBuilder(api.resolve("/v1/reservations")).header("Idempotency-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), token)
                .thenCompose(response -> {
                    Matcher id = ID.matcher(response.body());
                    if (response.statusCode() != 201 || !id.find()) {
                        return CompletableFuture.completedFuture(response);
                    }
                    tally.held(key);
                    held.incrementAndGet();
                    return send(HttpRequest.newBuilder(api.resolve("/v1/reservations/" + id.group(1))).DELETE(), token);
                });
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request, String token) {
        return http.sendAsync(request.timeout(Duration.ofSeconds(30)).header("Authorization", token)
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
