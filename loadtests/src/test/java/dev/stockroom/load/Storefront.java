package dev.stockroom.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * What storefronts do, as Gatling chains: browse availability, and check out (hold, then commit, release or abandon).
 *
 * <p>Like a real storefront, a checkout whose hold got no answer (connection refused or reset, timeout) or was shed
 * (503) tries again after a pause with the <b>same</b> {@code Idempotency-Key}: a hold that did commit is replayed,
 * one that did not is decided afresh. Every hold therefore ends with one definitive answer, and the holds answered
 * 201 can be compared one for one with the database.
 */
final class Storefront {

    static final String READ = "availability";
    static final String HOLD = "hold";
    static final String COMMIT = "commit";
    static final String RELEASE = "release";

    private final Catalogue catalogue;
    private final Settings settings;
    private final Tally tally;
    private final Zipf popularity;

    Storefront(Catalogue catalogue, Settings settings, Tally tally) {
        this.catalogue = catalogue;
        this.settings = settings;
        this.tally = tally;
        this.popularity = new Zipf(catalogue.skus(), settings.zipfExponent());
    }

    /** One availability read of a catalogue SKU, chosen by popularity. */
    ChainBuilder browse() {
        return exec(session -> session.set("sku", Catalogue.sku(popularity.next())))
                .exec(read());
    }

    /** One availability read of a catalogue SKU chosen uniformly: every entry of the cache is read in turn. */
    ChainBuilder browseEverything() {
        return exec(session -> session.set("sku", Catalogue.sku(ThreadLocalRandom.current().nextInt(catalogue.skus()))))
                .exec(read());
    }

    private ChainBuilder read() {
        return exec(session -> session.set("readStatus", Tally.NO_ANSWER))
                .exec(http(READ).get("/v1/stock/#{sku}").check(status().saveAs("readStatus"), status().in(200, 503)))
                .exec(session -> {
                    tally.record(READ, session.getInt("readStatus"));
                    return session;
                });
    }

    /** A checkout on a hot SKU: look, hold one or two units, think, then commit, release or walk away. */
    ChainBuilder checkout() {
        return exec(session -> {
            String sku = Catalogue.hot(ThreadLocalRandom.current().nextInt(catalogue.hotSkus()));
            return session.set("sku", sku).set("key", UUID.randomUUID().toString())
                    .set("quantity", 1 + ThreadLocalRandom.current().nextInt(2));
        })
                .exec(read())
                .randomSwitch().on(
                        percent(settings.commitShare() * 100).then(hold(0).exec(pause(Duration.ofSeconds(1), Duration.ofSeconds(3)))
                                .doIf(Storefront::held).then(retrying(COMMIT,
                                        http(COMMIT).post("/v1/reservations/#{holdId}/commit"), 200, 409))),
                        percent(settings.releaseShare() * 100).then(hold(0).exec(pause(Duration.ofSeconds(1), Duration.ofSeconds(3)))
                                .doIf(Storefront::held).then(retrying(RELEASE,
                                        http(RELEASE).delete("/v1/reservations/#{holdId}"), 200, 409))),
                        // Abandoned carts: the hold is left to expire, which the sweeper must account for.
                        percent(100 - (settings.commitShare() + settings.releaseShare()) * 100)
                                .then(hold(settings.abandonTtl())));
    }

    private static boolean held(Session session) {
        return session.contains("holdId");
    }

    /** A hold of the session's SKU and quantity; ttl 0 leaves the service's default lifetime. */
    private ChainBuilder hold(int ttlSeconds) {
        String ttl = ttlSeconds > 0 ? ",\"ttlSeconds\":" + ttlSeconds : "";
        return retrying(HOLD, http(HOLD).post("/v1/reservations")
                .header("Idempotency-Key", "#{key}")
                .header("Content-Type", "application/json")
                .body(StringBody("{\"orderRef\":\"flash-#{key}\",\"lines\":[{\"sku\":\"#{sku}\",\"quantity\":#{quantity}}]"
                        + ttl + "}"))
                .check(jsonPath("$.id").optional().saveAs("holdId")), 201, 409)
                .exec(session -> {
                    if (session.getInt(HOLD + "Status") == 201) {
                        tally.held(session.getString("key"));
                        return session;
                    }
                    return session.remove("holdId");
                });
    }

    /**
     * Sends a request until it gets a definitive answer: none, or a 503, is retried after the pause (a hold with the
     * same key), up to the configured attempts. Every answer is tallied; any status but the definitive ones and 503
     * fails the request in Gatling's report.
     */
    private ChainBuilder retrying(String name, HttpRequestActionBuilder request, Integer... definitive) {
        String statusKey = name + "Status";
        Integer[] allowed = java.util.Arrays.copyOf(definitive, definitive.length + 1);
        allowed[definitive.length] = 503;
        return exec(session -> session.set(statusKey, -1).set("attempts", 0))
                .asLongAs(session -> session.getInt("attempts") < settings.retries()
                        && isRetryable(session.getInt(statusKey))).on(
                        doIf(session -> session.getInt("attempts") > 0).then(pause(settings.retryPause())),
                        exec(session -> session.set(statusKey, Tally.NO_ANSWER).remove("millis")),
                        exec(request.check(status().saveAs(statusKey), responseTimeInMillis().saveAs("millis"),
                                status().in(allowed))),
                        exec(session -> {
                            int status = session.getInt(statusKey);
                            tally.record(name, status);
                            if (name.equals(HOLD) && status != Tally.NO_ANSWER && session.contains("millis")) {
                                tally.holdAnswered(System.currentTimeMillis(), session.getInt("millis"));
                            }
                            return session.set("attempts", session.getInt("attempts") + 1);
                        }));
    }

    /** Not yet tried (-1), no answer, or shed: a storefront tries again. */
    private static boolean isRetryable(int status) {
        return status == -1 || status == Tally.NO_ANSWER || status == 503;
    }
}
