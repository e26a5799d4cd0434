package dev.stockroom.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The service's Prometheus scrape, filtered to the series a run's record wants. */
final class Metrics {

    private Metrics() {
    }

    static List<String> scrape(URI metrics, String... prefixes) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> !l.startsWith("#"))
                    .filter(l -> Arrays.stream(prefixes).anyMatch(l::startsWith)).toList();
        } catch (IOException e) {
            return List.of("metrics unavailable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
