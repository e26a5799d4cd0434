package dev.stockroom.load.env;

import dev.stockroom.load.Catalogue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The catalogue's stock, put in place before the load as warehouses would: locations, then received events. */
final class Seed {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Stack stack;

    Seed(Stack stack) {
        this.stack = stack;
    }

    /** Creates the warehouses, sends a received event per SKU and location, and waits until every one is applied. */
    void stock(Catalogue catalogue) {
        long began = System.nanoTime();
        for (int i = 0; i < Catalogue.WAREHOUSES.size(); i++) {
            int status = put("/v1/locations/" + Catalogue.WAREHOUSES.get(i), "{\"name\":\"" + Catalogue.WAREHOUSES.get(i)
                    + "\",\"kind\":\"WAREHOUSE\",\"priority\":" + (i + 1) + ",\"active\":true}");
            if (status / 100 != 2) {
                throw new IllegalStateException("Could not create location " + Catalogue.WAREHOUSES.get(i) + ": " + status);
            }
        }
        long events = 0;
        try (WarehouseEvents warehouse = new WarehouseEvents(stack.broker().bootstrapServers())) {
            for (int i = 0; i < catalogue.skus(); i++) {
                warehouse.received("seed-" + i, Catalogue.sku(i), Catalogue.WAREHOUSES.get(0), Catalogue.catalogueStock(i));
                events++;
            }
            for (int h = 0; h < catalogue.hotSkus(); h++) {
                for (String location : Catalogue.WAREHOUSES) {
                    warehouse.received("seed-" + Catalogue.hot(h) + "-" + location, Catalogue.hot(h), location,
                            catalogue.hotStock());
                    events++;
                }
            }
        }
        long expected = events;
        if (!Deadline.within(Duration.ofMinutes(3)).poll(Duration.ofMillis(250),
                () -> stack.scalar("SELECT count(*) FROM applied_event WHERE event_id LIKE 'seed-%'") >= expected)) {
            throw new IllegalStateException("The service did not apply the " + expected + " seed events within 3 minutes");
        }
        Stack.log("seeded %d SKUs (%d hot) with %d warehouse events in %d ms", catalogue.skus() + catalogue.hotSkus(),
                catalogue.hotSkus(), events, (System.nanoTime() - began) / 1_000_000);
    }

    private int put(String path, String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(stack.api().resolve(path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + stack.tokens().token("admin", Duration.ofMinutes(5)))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
