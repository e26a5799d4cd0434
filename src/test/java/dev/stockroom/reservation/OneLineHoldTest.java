package dev.stockroom.reservation;

import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The short way of a hold of one line at a named location, alone in its transaction (every hold of the direct
 * engine, and a batch of one): the same answers as the general way, with the stock row locked only by the statement
 * that writes it.
 */
@QuarkusTest
class OneLineHoldTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @Inject
    DirectHolds direct;

    @Inject
    HoldIntake intake;

    @Inject
    Db db;

    @Test
    void hold_fits_isHeldWithItsLineAndLedgerRow() throws Exception {
        // Given
        String location = location();
        String sku = Api.unique("ONE");
        Api.stock(sku, location, 5);

        // When
        ReservationService.HoldOutcome outcome = hold(UUID.randomUUID().toString(), sku, 2, location).get();

        // Then
        UUID id = outcome.reservation().id();
        assertThat(outcome.replayed()).isFalse();
        assertThat(outcome.reservation().lines()).containsExactly(new ReservationView.Line(sku, location, 2));
        assertThat(db.level(sku, location)).containsExactly(5, 2, 0, 0);
        assertThat(db.scalar("SELECT count(*) FROM reservation_line WHERE reservation_id = ? AND quantity = 2", id))
                .isEqualTo(1);
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE reservation_id = ? AND kind = 'HOLD'"
                + " AND reserved_delta = 2", id)).isEqualTo(1);
        assertThat(db.ledgerMismatches(sku)).isEmpty();
    }

    @Test
    void hold_short_isRefusedWithItsShortageAndLeavesNothing() {
        // Given
        String location = location();
        String sku = Api.unique("ONE");
        Api.stock(sku, location, 3);

        // When
        ProblemException refusal = refusal(hold(UUID.randomUUID().toString(), sku, 4, location));

        // Then
        assertThat(refusal.type()).isEqualTo(ProblemType.INSUFFICIENT_STOCK);
        assertThat(refusal.extensions().get("shortages")).isEqualTo(List.of(new Shortage(sku, location, 4, 3)));
        assertNothingLeft(sku, location, 3);
    }

    @Test
    void hold_inactiveLocation_isRefusedAsOutOfStock() {
        // Given
        String location = location();
        String sku = Api.unique("ONE");
        Api.stock(sku, location, 3);
        db.writeUnannounced("UPDATE location SET active = false WHERE code = ?", location);

        // When
        ProblemException refusal = refusal(hold(UUID.randomUUID().toString(), sku, 1, location));

        // Then
        assertThat(refusal.type()).isEqualTo(ProblemType.INSUFFICIENT_STOCK);
        assertThat(refusal.extensions().get("shortages")).isEqualTo(List.of(new Shortage(sku, location, 1, 0)));
        assertNothingLeft(sku, location, 3);
    }

    @Test
    void hold_unknownLocation_isRefusedNamingItAndLeavesNothing() {
        // When
        String sku = Api.unique("ONE");
        ProblemException refusal = refusal(hold(UUID.randomUUID().toString(), sku, 1, "NOWHERE-" + sku));

        // Then
        assertThat(refusal.type()).isEqualTo(ProblemType.UNKNOWN_LOCATION);
        assertThat(db.scalar("SELECT count(*) FROM reservation_line WHERE sku = ?", sku)).isZero();
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ?", sku)).isZero();
    }

    @Test
    void hold_sameKeyAgain_isAnsweredWithTheFirstReservation() throws Exception {
        // Given
        String location = location();
        String sku = Api.unique("ONE");
        Api.stock(sku, location, 5);
        String key = UUID.randomUUID().toString();
        ReservationService.HoldOutcome first = hold(key, sku, 2, location).get();

        // When
        ReservationService.HoldOutcome again = hold(key, sku, 2, location).get();

        // Then
        assertThat(again.replayed()).isTrue();
        assertThat(again.reservation().id()).isEqualTo(first.reservation().id());
        assertThat(db.level(sku, location)).containsExactly(5, 2, 0, 0);
    }

    @Test
    void hold_waitsForTheStockRowOnlyInTheStatementThatWritesIt() throws Exception {
        // Given: the stock row locked by a transaction outside the service
        String location = location();
        String sku = Api.unique("ONE");
        Api.stock(sku, location, 5);
        CompletableFuture<ReservationService.HoldOutcome> held;
        try (Connection outside = Db.lockOutside(sku, location)) {
            // When
            held = hold(UUID.randomUUID().toString(), sku, 1, location);

            // Then: the hold waits in the statement that reserves and writes the row, its reservation and line
            // written already, rather than in a SELECT ... FOR UPDATE ahead of them
            await().atMost(BOUND).until(() -> db.scalar("SELECT count(*) FROM pg_stat_activity a"
                    + " WHERE a.wait_event_type = 'Lock' AND a.application_name = 'stockroom-write'"
                    + " AND a.query LIKE 'WITH changed AS ( UPDATE stock_level%'"
                    + " AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.granted"
                    + "   AND l.relation = 'reservation_line'::regclass AND l.mode = 'RowExclusiveLock')") == 1);
            outside.rollback();
        }
        assertThat(held.get().reservation().lines()).containsExactly(new ReservationView.Line(sku, location, 1));
        assertThat(db.level(sku, location)).containsExactly(5, 1, 0, 0);
    }

    private CompletableFuture<ReservationService.HoldOutcome> hold(String key, String sku, int quantity,
                                                                   String location) {
        return direct.submit(intake.take(key, new HoldRequest("one-line",
                List.of(new HoldRequest.Line(sku, quantity, location)), null))).toCompletableFuture();
    }

    private static ProblemException refusal(CompletableFuture<ReservationService.HoldOutcome> hold) {
        Throwable thrown = catchThrowable(hold::get);
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ProblemException.class);
        return (ProblemException) thrown.getCause();
    }

    private void assertNothingLeft(String sku, String location, int onHand) {
        assertThat(db.level(sku, location)).containsExactly(onHand, 0, 0, 0);
        assertThat(db.scalar("SELECT count(*) FROM reservation_line WHERE sku = ?", sku)).isZero();
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ? AND kind = 'HOLD'", sku)).isZero();
    }

    private static String location() {
        String location = Api.unique("ONE-WH");
        Api.location(location, 1);
        return location;
    }
}
