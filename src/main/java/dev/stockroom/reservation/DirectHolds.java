package dev.stockroom.reservation;

import dev.stockroom.platform.WriteBulkhead;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.context.ManagedExecutor;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The direct engine: each hold is its own transaction, on a worker thread, behind the write bulkhead (shed with 503
 * when it is full). Decided by the same rule and written by the same statements as a batch of the combiner; the
 * difference is that every hold pays for the hot row's lock and its commit alone.
 */
@ApplicationScoped
class DirectHolds implements HoldEngine {

    private final HoldBatch batch;
    private final WriteBulkhead bulkhead;
    private final ManagedExecutor workers;

    DirectHolds(HoldBatch batch, WriteBulkhead bulkhead, ManagedExecutor workers) {
        this.batch = batch;
        this.bulkhead = bulkhead;
        this.workers = workers;
    }

    @Override
    public CompletionStage<ReservationService.HoldOutcome> submit(PendingHold hold) {
        workers.execute(() -> {
            try {
                bulkhead.enter();
            } catch (RuntimeException shed) {
                hold.answer().completeExceptionally(shed);
                return;
            }
            try {
                batch.place(List.of(hold));
            } catch (RuntimeException bug) {
                hold.answer().completeExceptionally(bug);
            } finally {
                bulkhead.leave();
            }
        });
        return hold.answer();
    }
}
