package dev.stockroom.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Many storefront requests in flight at once, as a crowd of buyers sends them: each with the storefront role's
 * token, at most a given number outstanding, without a thread per request. Like a storefront, it sends a hold
 * answered 503 again after its {@code Retry-After}, with the same {@code Idempotency-Key}: a 503 means the hold
 * was not placed (or, after a fault, that a replay will say whether it was).
 */
public final class Storefront {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Storefront() {
    }

    /** A hold request: the JSON body and the {@code Idempotency-Key} to send with it, if any. */
    public record Hold(String json, String idempotencyKey) {
    }

    /** One answer: the status and the body. */
    public record Answer(int status, String body) {
    }

    /** Most times one hold is sent. */
    private static final int ATTEMPTS = 30;

    /**
     * Posts every hold to {@code uri} with at most {@code inFlight} outstanding; returns the last answer to each, in
     * the order of the holds.
     */
    public static List<Answer> hold(URI uri, List<Hold> holds, int inFlight) throws InterruptedException {
        String token = "Bearer " + Tokens.withRoles("storefront");
        Semaphore permits = new Semaphore(inFlight);
        List<CompletableFuture<Answer>> answers = new ArrayList<>(holds.size());
        for (Hold hold : holds) {
            permits.acquire();
            answers.add(send(uri, hold, token, ATTEMPTS).whenComplete((r, e) -> permits.release()));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private static CompletableFuture<Answer> send(URI uri, Hold hold, String token, int attempts) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Authorization", token)
                .POST(HttpRequest.BodyPublishers.ofString(hold.json()));
        if (hold.idempotencyKey() != null) {
            request.header("Idempotency-Key", hold.idempotencyKey());
        }
        return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenCompose(r -> {
            if (r.statusCode() != 503 || attempts == 1) {
                return CompletableFuture.completedFuture(new Answer(r.statusCode(), r.body()));
            }
            long retryAfter = r.headers().firstValueAsLong("Retry-After").orElse(1);
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(retryAfter, java.util.concurrent.TimeUnit.SECONDS))
                    .thenCompose(ignored -> send(uri, hold, token, attempts - 1));
        });
    }

    /** Maps each answer with {@code f}, in order. */
    public static <T> List<T> map(List<Answer> answers, Function<Answer, T> f) {
        return answers.stream().map(f).toList();
    }
}
