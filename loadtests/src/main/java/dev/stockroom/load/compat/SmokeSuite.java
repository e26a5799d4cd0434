package dev.stockroom.load.compat;

import dev.stockroom.load.env.Deadline;
import dev.stockroom.load.env.Stack;
import dev.stockroom.load.env.WarehouseEvents;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pass over everything a storefront and a warehouse do, over HTTP and Kafka, against whichever build the stack
 * is running: locations, a stock correction, a hold that is committed and one that is released, reads, and one
 * warehouse event of each type, each followed by the quantities it must leave behind.
 *
 * <p>Every name carries a prefix of its own, so that two builds can run the suite one after the other on the same
 * database and each checks only what it wrote. The first step that fails ends the pass.
 */
final class SmokeSuite {

    /** One step and what it found. */
    record Step(String name, boolean passed, String detail) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration EVENT_DEADLINE = Duration.ofSeconds(60);

    private final Stack stack;
    private final String sku;
    private final String east;
    private final String west;
    private final String prefix;
    private final List<Step> steps = new ArrayList<>();

    SmokeSuite(Stack stack, String prefix) {
        this.stack = stack;
        this.prefix = prefix;
        String upper = prefix.toUpperCase();
        this.sku = "N1-" + upper + "-SKU";
        this.east = "N1-" + upper + "-EAST";
        this.west = "N1-" + upper + "-WEST";
    }

    /** Runs every step in order, stopping at the first that fails; the steps taken. */
    List<Step> run() {
        try {
            locations();
            String committed = stockAndHolds();
            events(committed);
        } catch (StepFailed e) {
            steps.add(new Step(e.step, false, e.getMessage()));
        } catch (RuntimeException e) {
            steps.add(new Step("(unexpected)", false, e.toString()));
        }
        return steps;
    }

    private void locations() {
        expect("create locations", 201, call("PUT", "/v1/locations/" + east,
                "{\"name\":\"East\",\"kind\":\"WAREHOUSE\",\"priority\":1,\"active\":true}"));
        expect("create locations", 201, call("PUT", "/v1/locations/" + west,
                "{\"name\":\"West\",\"kind\":\"WAREHOUSE\",\"priority\":2,\"active\":true}"));
        Response list = call("GET", "/v1/locations", null);
        expect("list locations", 200, list);
        if (!list.body.contains(east) || !list.body.contains(west)) {
            throw new StepFailed("list locations", "the new locations are not listed: " + list.body);
        }
        passed("locations: create two, list them");
    }

    /** Corrects stock, holds and commits 2, holds and releases 1, reads; the committed reservation's id. */
    private String stockAndHolds() {
        expect("stock correction", 201, call("PUT", "/v1/stock/" + sku + "/locations/" + east,
                "{\"onHand\":10,\"reason\":\"n-1 smoke\"}"));
        expectLevel("stock correction", east, 10, 0, 0);

        Response hold = call("POST", "/v1/reservations", hold(2));
        expect("hold to commit", 201, hold);
        String committed = id(hold);
        expectLevel("hold to commit", east, 10, 2, 0);
        Response commit = call("POST", "/v1/reservations/" + committed + "/commit", null);
        expect("commit", 200, commit);
        expectStatus("commit", commit, "COMMITTED");
        expectLevel("commit", east, 10, 0, 2);

        Response second = call("POST", "/v1/reservations", hold(1));
        expect("hold to release", 201, second);
        Response release = call("DELETE", "/v1/reservations/" + id(second), null);
        expect("release", 200, release);
        expectStatus("release", release, "RELEASED");
        expectLevel("release", east, 10, 0, 2);

        Response read = call("GET", "/v1/reservations/" + committed, null);
        expect("read reservation", 200, read);
        expectStatus("read reservation", read, "COMMITTED");
        Response bulk = call("GET", "/v1/stock?sku=" + sku + "&sku=N1-NO-SUCH-SKU", null);
        expect("bulk read", 200, bulk);
        if (!bulk.body.contains("N1-NO-SUCH-SKU")) {
            throw new StepFailed("bulk read", "the unknown SKU is not reported: " + bulk.body);
        }
        passed("stock: correct, read one, read in bulk; holds: hold, commit, hold, release, read");
        return committed;
    }

    private void events(String committed) {
        String run = prefix + "-" + UUID.randomUUID();
        try (WarehouseEvents warehouse = new WarehouseEvents(stack.broker().bootstrapServers())) {
            warehouse.received("n1-received-" + run, sku, east, 5);
            warehouse.counted("n1-counted-" + run, sku, west, 7);
            warehouse.adjusted("n1-adjusted-" + run, sku, east, -1, "damaged");
            warehouse.transferred("n1-transferred-" + run, sku, east, west, 2);
            warehouse.shipped("n1-shipped-" + run, sku, east, 2, committed);
            warehouse.flush();
        }
        // East: 10 + 5 received - 1 damaged - 2 transferred - 2 shipped; west: counted 7 + 2 transferred.
        awaitLevel("warehouse events", east, 10, 0, 0);
        awaitLevel("warehouse events", west, 9, 0, 0);
        Response fulfilled = call("GET", "/v1/reservations/" + committed, null);
        expectStatus("warehouse events", fulfilled, "FULFILLED");
        passed("warehouse events: received, counted, adjusted, transferred, shipped (reservation fulfilled)");
    }

    private String hold(int quantity) {
        return "{\"orderRef\":\"n1-" + prefix + "\",\"ttlSeconds\":600,\"lines\":[{\"sku\":\"" + sku
                + "\",\"quantity\":" + quantity + ",\"location\":\"" + east + "\"}]}";
    }

    private void expectLevel(String step, String location, int onHand, int reserved, int committed) {
        Response stock = call("GET", "/v1/stock/" + sku, null);
        expect(step, 200, stock);
        String found = level(stock.body, location);
        String wanted = onHand + "/" + reserved + "/" + committed;
        if (!wanted.equals(found)) {
            throw new StepFailed(step, location + " onHand/reserved/committed " + found + ", expected " + wanted);
        }
    }

    /** Waits for events to be applied: the read path may also serve the previous figures for a few seconds. */
    private void awaitLevel(String step, String location, int onHand, int reserved, int committed) {
        String wanted = onHand + "/" + reserved + "/" + committed;
        String[] last = {"nothing"};
        boolean reached = Deadline.within(EVENT_DEADLINE).poll(Duration.ofMillis(250), () -> {
            Response stock = call("GET", "/v1/stock/" + sku, null);
            last[0] = stock.status + " " + (stock.status == 200 ? level(stock.body, location) : stock.body);
            return stock.status == 200 && wanted.equals(level(stock.body, location));
        });
        if (!reached) {
            throw new StepFailed(step, location + " onHand/reserved/committed expected " + wanted + " within "
                    + EVENT_DEADLINE.toSeconds() + " s, last read " + last[0]);
        }
    }

    /** onHand/reserved/committed of one location in a stock view, or "absent". */
    private static String level(String body, String location) {
        int at = body.indexOf("\"location\":\"" + location + "\"");
        if (at < 0) {
            return "absent";
        }
        String object = body.substring(at, body.indexOf('}', at));
        return number(object, "onHand") + "/" + number(object, "reserved") + "/" + number(object, "committed");
    }

    private static String number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?\\d+)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    private static String id(Response response) {
        Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(response.body);
        if (!m.find()) {
            throw new StepFailed("hold", "no reservation id in " + response.body);
        }
        return m.group(1);
    }

    private static void expectStatus(String step, Response response, String status) {
        if (!response.body.contains("\"status\":\"" + status + "\"")) {
            throw new StepFailed(step, "expected status " + status + ": " + response.body);
        }
    }

    private static void expect(String step, int status, Response response) {
        if (response.status != status) {
            throw new StepFailed(step, "HTTP " + response.status + " (expected " + status + "): " + response.body);
        }
    }

    private void passed(String name) {
        steps.add(new Step(name, true, ""));
    }

    private record Response(int status, String body) {
    }

    private Response call(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.api() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + stack.tokens().token("admin", Duration.ofMinutes(10)));
        if (json != null) {
            request.header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString());
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "interrupted");
        }
    }

    private static final class StepFailed extends RuntimeException {
        private final String step;

        StepFailed(String step, String message) {
            super(message);
            this.step = step;
        }
    }
}
