package dev.stockroom.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.platform.Sql;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Keyset pagination of a SKU's movements while new movements keep arriving. */
@QuarkusTest
class MovementPaginationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Db db;

    /** One row of a page, as the API returned it. */
    record Seen(long id, Instant occurredAt, String location, String kind) {
    }

    @Test
    void pages_whileMovementsArrive_neverSkipNorRepeatARow() throws Exception {
        // Given: 1,500 movements of a SKU over 60 days at three locations, many sharing one timestamp
        String sku = Api.unique("PAGE");
        List<String> locations = seed(sku, 1_500);
        Set<Long> existing = ids(sku);

        // When: paging 37 at a time while, for every page read, a writer places a hold (a movement newer than every
        // page) and writes a late movement somewhere inside the range, and a transaction opened before paging began
        // (its row at a time long paged past) commits halfway
        Semaphore pagesRead = new Semaphore(0);
        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicInteger arrived = new AtomicInteger();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Connection open = dataSource.getConnection();
        open.setAutoCommit(false);
        insert(open, sku, locations.get(0), "ADJUSTED", Instant.now().minus(Duration.ofDays(59)));
        Future<?> writing = writer.submit(() -> {
            SplittableRandom random = new SplittableRandom(5);
            try (Connection c = dataSource.getConnection()) {
                while (paging.get() || pagesRead.availablePermits() > 0) {
                    if (!pagesRead.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    Api.reserve(Api.hold("o-page", List.of(Api.line(sku, 1, locations.get(1))))).statusCode(201);
                    insert(c, sku, locations.get(random.nextInt(3)), "COUNTED",
                            Instant.now().minus(Duration.ofMinutes(random.nextInt(60 * 24 * 59))));
                    arrived.addAndGet(2);
                }
            }
            return null;
        });
        List<Seen> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        try {
            do {
                JsonNode page = page(sku, Map.of("limit", 37), cursor);
                seen.addAll(items(page));
                cursor = next(page);
                if (++pages == 20) {
                    open.commit();
                }
                pagesRead.release();
            } while (cursor != null);
        } finally {
            paging.set(false);
            writer.shutdown();
            open.close();
        }
        writing.get();

        // Then: every row that existed when paging began came exactly once, in the page order
        List<Long> ids = seen.stream().map(Seen::id).toList();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids).containsAll(existing);
        assertDescending(seen);
        assertThat(pages).isGreaterThan(existing.size() / 37);
        assertThat(arrived.get()).isEqualTo(2 * pages);
        assertThat(ids).contains(db.rows("SELECT id FROM stock_movement WHERE sku = ? AND kind = 'ADJUSTED'"
                + " AND occurred_at < now() - interval '58 days'", sku).stream()
                .map(r -> ((Number) r.get("id")).longValue()).toArray(Long[]::new)).hasSizeGreaterThan(existing.size());
    }

    @Test
    void pages_filteredByLocationAndKind_holdEveryMatchingRowOnce() throws Exception {
        // Given
        String sku = Api.unique("PAGEF");
        List<String> locations = seed(sku, 600);
        List<Long> expected = db.rows(
                "SELECT id FROM stock_movement WHERE sku = ? AND location = ? AND kind = 'COUNTED'"
                        + " ORDER BY occurred_at DESC, id DESC", sku, locations.get(2)).stream()
                .map(r -> ((Number) r.get("id")).longValue()).toList();

        // When
        List<Seen> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = page(sku, Map.of("limit", 11, "location", locations.get(2), "kind", "COUNTED"), cursor);
            seen.addAll(items(page));
            cursor = next(page);
        } while (cursor != null);

        // Then
        assertThat(seen).extracting(Seen::id).containsExactlyElementsOf(expected);
        assertThat(seen).allMatch(s -> s.location().equals(locations.get(2)) && s.kind().equals("COUNTED"));
        assertThat(expected).hasSizeGreaterThan(11);
    }

    /** Three locations with stock, then {@code rows} movements over 60 days; every fifth shares its timestamp. */
    private List<String> seed(String sku, int rows) throws Exception {
        List<String> locations = List.of(Api.unique("PG"), Api.unique("PG"), Api.unique("PG"));
        for (String location : locations) {
            Api.location(location, 1);
            Api.stock(sku, location, 1_000_000);
        }
        SplittableRandom random = new SplittableRandom(11);
        Instant shared = Instant.now().minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.MICROS);
        try (Connection c = dataSource.getConnection()) {
            // 60 days back can reach two months before the current one; the ledger has partitions from the previous
            // month on (V10), and the service itself only ever writes the present.
            Instant oldest = Instant.now().minus(Duration.ofDays(60));
            for (YearMonth month = YearMonth.from(oldest.atZone(ZoneOffset.UTC)); !month.isAfter(YearMonth.now(
                    ZoneOffset.UTC)); month = month.plusMonths(1)) {
                Sql.query(c, "SELECT stock_movement_ensure_partition(?)", rs -> null, month.atDay(1));
            }
            for (int i = 0; i < rows; i++) {
                Instant at = i % 5 == 0 ? shared : Instant.now().minus(Duration.ofMinutes(random.nextInt(60 * 24
                        * 60)));
                insert(c, sku, locations.get(i % 3), i % 2 == 0 ? "COUNTED" : "ADJUSTED", at);
            }
        }
        return locations;
    }

    private static void insert(Connection c, String sku, String location, String kind, Instant at) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO stock_movement (sku, location, kind, on_hand_delta,"
                + " occurred_at) VALUES (?, ?, ?, 0, ?)")) {
            s.setString(1, sku);
            s.setString(2, location);
            s.setString(3, kind);
            s.setObject(4, at.atOffset(java.time.ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    private Set<Long> ids(String sku) {
        Set<Long> ids = new HashSet<>();
        db.rows("SELECT id FROM stock_movement WHERE sku = ?", sku).forEach(r -> ids.add(((Number) r.get("id"))
                .longValue()));
        return ids;
    }

    /** One page, parsed with Jackson (RestAssured's JsonPath compiles a Groovy script per path). */
    private static JsonNode page(String sku, Map<String, Object> params, String cursor) throws Exception {
        var request = given().queryParams(params).queryParam("from", Instant.now().minus(Duration.ofDays(61))
                .toString());
        if (cursor != null) {
            request.queryParam("cursor", cursor);
        }
        return JSON.readTree(request.get("/v1/stock/{sku}/movements", sku).then().statusCode(200).extract().asString());
    }

    private static List<Seen> items(JsonNode page) {
        List<Seen> seen = new ArrayList<>();
        page.get("items").forEach(i -> seen.add(new Seen(i.get("id").asLong(), Instant.parse(i.get("occurredAt")
                .asText()),
                i.get("location").asText(), i.get("kind").asText())));
        return seen;
    }

    private static String next(JsonNode page) {
        return page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    }

    private static void assertDescending(List<Seen> seen) {
        for (int i = 1; i < seen.size(); i++) {
            Seen before = seen.get(i - 1);
            Seen after = seen.get(i);
            assertThat(after.occurredAt().isBefore(before.occurredAt())
                    || after.occurredAt().equals(before.occurredAt()) && after.id() < before.id())
                    .as("row %d after row %d", after.id(), before.id()).isTrue();
        }
    }
}
