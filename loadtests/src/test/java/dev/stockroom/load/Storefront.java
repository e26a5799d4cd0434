package dev.stockroom.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * What storefronts do, as Gatling chains: browse availability, and check out (hold, then commit, release or abandon).
 * Every request goes to the replica the {@code route} names at that moment, as through a Kubernetes Service.
 *
 * <p>Like a real storefront, a checkout whose hold got no answer (connection refused or reset, timeout) or was shed
 * (503) tries again with the <b>same</b> {@code Idempotency-Key}, after the {@code Retry-After} the 503 gave (or
 * {@code load.retry-pause-ms} without one): a hold that did commit is replayed, one that did not is decided afresh.
 * Every hold therefore ends with one definitive answer, and the holds answered 201 can be compared one for one with
 * the database.
 */
final class Storefront {

    static final String READ = "availability";
    static final String HOLD = "hold";
    static final String COMMIT = "commit";
    static final String RELEASE = "release";

    /** What a buyer means to do with a hold once granted. */
    private enum Plan { COMMIT, RELEASE, ABANDON }

    private final Catalogue catalogue;
    private final Settings settings;
    private final Tally tally;
    private final Supplier<String> route;
    private final Zipf popularity;

    /** @param route the base URL ({@code http://host:port}) of the replica the next request goes to */
    Storefront(Catalogue catalogue, Settings settings, Tally tally, Supplier<String> route) {
        this.catalogue = catalogue;
        this.settings = settings;
        this.tally = tally;
        this.route = route;
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
        return exec(session -> session.set("readStatus", Tally.NO_ANSWER).set("replica", route.get()))
                .exec(http(READ).get("#{replica}/v1/stock/#{sku}").check(status().saveAs("readStatus"), status().in(200, 503)))
                .exec(session -> {
                    tally.record(READ, session.getInt("readStatus"));
                    return session;
                });
    }

    /** A shopper's checkout on a hot SKU: look at it, hold one or two units, think, then commit, release or walk away. */
    ChainBuilder checkout() {
        return exec(plan()).exec(read()).exec(holdAndFollowUp());
    }

    /**
     * A flash-sale buyer on a hot SKU: holds one or two units at once (the page is already open), thinks, then commits,
     * releases or walks away; a buyer turned away (409) looks at the SKU once more.
     */
    ChainBuilder buy() {
        return exec(plan()).exec(holdAndFollowUp()).doIf(session -> !held(session)).then(read());
    }

    private ChainBuilder plan() {
        return exec(session -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            double p = random.nextDouble();
            Plan plan = p < settings.commitShare() ? Plan.COMMIT
                    : p < settings.commitShare() + settings.releaseShare() ? Plan.RELEASE : Plan.ABANDON;
            // Abandoned carts: the hold is given a short lifetime, which the sweeper must account for.
            String ttl = plan == Plan.ABANDON ? ",\"ttlSeconds\":" + settings.abandonTtl() : "";
            return session.set("sku", Catalogue.hot(random.nextInt(catalogue.hotSkus())))
                    .set("key", UUID.randomUUID().toString()).set("quantity", 1 + random.nextInt(2))
                    .set("plan", plan.name()).set("ttl", ttl);
        });
    }

    private ChainBuilder holdAndFollowUp() {
        return exec(hold())
                .doIf(session -> held(session) && !session.getString("plan").equals(Plan.ABANDON.name())).then(
                        exec(pause(Duration.ofSeconds(1), Duration.ofSeconds(3)))
                                .doIfEqualsOrElse("#{plan}", Plan.COMMIT.name())
                                .then(retrying(COMMIT, http(COMMIT).post("#{replica}/v1/reservations/#{holdId}/commit"), 200, 409))
                                .orElse(retrying(RELEASE, http(RELEASE).delete("#{replica}/v1/reservations/#{holdId}"), 200, 409)));
    }

    private static boolean held(Session session) {
        return session.contains("holdId");
    }

    /** A hold of the session's SKU and quantity, with the session's lifetime (none: the service's default). */
    private ChainBuilder hold() {
        return retrying(HOLD, http(HOLD).post("#{replica}/v1/reservations")
                .header("Idempotency-Key", "#{key}")
                .header("Content-Type", "application/json")
                .body(StringBody("{\"orderRef\":\"flash-#{key}\",\"lines\":[{\"sku\":\"#{sku}\",\"quantity\":#{quantity}}]"
                        + "#{ttl}}"))
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
     * same key), up to the configured attempts. Every attempt goes to the replica the route names then. Every answer
     * is tallied; any status but the definitive ones and 503 fails the request in Gatling's report.
     */
    private ChainBuilder retrying(String name, HttpRequestActionBuilder request, Integer... definitive) {
        String statusKey = name + "Status";
        Integer[] allowed = Arrays.copyOf(definitive, definitive.length + 1);
        allowed[definitive.length] = 503;
        return exec(session -> session.set(statusKey, -1).set("attempts", 0))
                .asLongAs(session -> session.getInt("attempts") < settings.retries()
                        && isRetryable(session.getInt(statusKey))).on(
                        doIf(session -> session.getInt("attempts") > 0).then(pause(this::retryAfter)),
                        exec(session -> session.set(statusKey, Tally.NO_ANSWER).set("replica", route.get())
                                .remove("millis").remove("retryAfter")),
                        exec(request.check(status().saveAs(statusKey), responseTimeInMillis().saveAs("millis"),
                                header("Retry-After").optional().saveAs("retryAfter"), status().in(allowed))),
                        exec(session -> {
                            int status = session.getInt(statusKey);
                            tally.record(name, status);
                            if (name.equals(HOLD) && status != Tally.NO_ANSWER && session.contains("millis")) {
                                tally.holdAnswered(System.currentTimeMillis(), session.getInt("millis"));
                            }
                            return session.set("attempts", session.getInt("attempts") + 1);
                        }));
    }

    /** The {@code Retry-After} of the last answer (whole seconds), or the configured pause when it gave none. */
    private Duration retryAfter(Session session) {
        if (session.contains("retryAfter")) {
            try {
                return Duration.ofSeconds(Long.parseLong(session.getString("retryAfter").strip()));
            } catch (NumberFormatException e) {
                // an HTTP date or garbage: fall back to the storefront's own pause
            }
        }
        return settings.retryPause();
    }

    /** Not yet tried (-1), no answer, or shed: a storefront tries again. */
    private static boolean isRetryable(int status) {
        return status == -1 || status == Tally.NO_ANSWER || status == 503;
    }
}
