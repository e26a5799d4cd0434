package dev.stockroom.availability;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the batch loader coalesces single keys into batches, with the executor in the test's hands: a batch runs
 * when the test says so, so every interleaving below is the one written, whatever the machine.
 */
class BatchLoaderTest {

    /** Holds submitted batches until the test runs them, in order. */
    private static final class HeldExecutor implements Executor {
        final Queue<Runnable> waiting = new ArrayDeque<>();
        boolean rejecting;

        @Override
        public void execute(Runnable task) {
            if (rejecting) {
                throw new RejectedExecutionException("shut down");
            }
            waiting.add(task);
        }

        void runNext() {
            waiting.remove().run();
        }
    }

    private final HeldExecutor executor = new HeldExecutor();
    private final List<List<String>> batches = new ArrayList<>();

    private BatchLoader<String> loader(int batchSize, int maxInFlight) {
        return loader(batchSize, maxInFlight, keys -> keys.stream().collect(Collectors.toMap(k -> k, k -> "v-" + k)));
    }

    private BatchLoader<String> loader(int batchSize, int maxInFlight,
                                       Function<List<String>, Map<String, String>> answer) {
        return new BatchLoader<>(batchSize, maxInFlight, executor, keys -> {
            batches.add(List.copyOf(keys));
            return answer.apply(keys);
        });
    }

    @Test
    void load_keysAskedWhileEveryBatchRuns_goOutTogetherInTheNextBatch() {
        // Given: one batch at a time, and one running for "a"
        BatchLoader<String> loader = loader(200, 1);
        CompletableFuture<String> a = loader.load("a");

        // When: three more keys are asked for before it ends
        CompletableFuture<String> b = loader.load("b");
        CompletableFuture<String> c = loader.load("c");
        CompletableFuture<String> d = loader.load("d");
        assertThat(loader.queued()).isEqualTo(3);
        executor.runNext();
        executor.runNext();

        // Then: they waited, and went out as one batch
        assertThat(batches).containsExactly(List.of("a"), List.of("b", "c", "d"));
        assertThat(List.of(a, b, c, d)).extracting(CompletableFuture::join).containsExactly("v-a", "v-b", "v-c", "v-d");
        assertThat(executor.waiting).isEmpty();
    }

    @Test
    void load_sameKeyWhileQueuedOrInFlight_sharesOneLoad() {
        // Given
        BatchLoader<String> loader = loader(200, 1);

        // When: "a" is asked for twice while in flight, "b" twice while queued
        CompletableFuture<String> first = loader.load("a");
        CompletableFuture<String> second = loader.load("a");
        CompletableFuture<String> b1 = loader.load("b");
        CompletableFuture<String> b2 = loader.load("b");
        executor.runNext();
        executor.runNext();

        // Then: one future each, one load each
        assertThat(second).isSameAs(first);
        assertThat(b2).isSameAs(b1);
        assertThat(batches).containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void load_moreKeysQueuedThanABatchHolds_sendsBatchesOfAtMostBatchSize() {
        // Given: batches of two, one at a time, and "a" in flight
        BatchLoader<String> loader = loader(2, 1);
        loader.load("a");
        List.of("b", "c", "d", "e", "f").forEach(loader::load);

        // When
        while (!executor.waiting.isEmpty()) {
            executor.runNext();
        }

        // Then: the queue drains in order, two keys a query
        assertThat(batches).containsExactly(List.of("a"), List.of("b", "c"), List.of("d", "e"), List.of("f"));
    }

    @Test
    void load_maxInFlightReached_startsNoFurtherBatchUntilOneEnds() {
        // Given: at most two batches at once
        BatchLoader<String> loader = loader(1, 2);

        // When: three keys are asked for at once
        loader.load("a");
        loader.load("b");
        CompletableFuture<String> c = loader.load("c");

        // Then: two batches were handed to the executor, the third key waits
        assertThat(executor.waiting).hasSize(2);
        assertThat(loader.queued()).isEqualTo(1);
        executor.runNext();
        assertThat(executor.waiting).hasSize(2);
        assertThat(c).isNotDone();
    }

    @Test
    void load_batchFails_failsEveryKeyOfItAndALaterLoadTriesAgain() {
        // Given: a source that fails once
        boolean[] failed = {false};
        BatchLoader<String> loader = loader(200, 1, keys -> {
            if (!failed[0]) {
                failed[0] = true;
                throw new IllegalStateException("database away");
            }
            return Map.of("a", "v-a");
        });

        // When
        CompletableFuture<String> first = loader.load("a");
        executor.runNext();
        CompletableFuture<String> retry = loader.load("a");
        executor.runNext();

        // Then: the first caller hears of the failure; the next one gets a fresh load
        assertThat(first).isCompletedExceptionally();
        assertThat(retry).isNotSameAs(first);
        assertThat(retry.join()).isEqualTo("v-a");
    }

    @Test
    void load_executorRejects_failsTheKeysAndFreesTheSlot() {
        // Given: an executor that refuses work (shutting down)
        BatchLoader<String> loader = loader(200, 1);
        executor.rejecting = true;

        // When
        CompletableFuture<String> refused = loader.load("a");
        executor.rejecting = false;
        CompletableFuture<String> later = loader.load("b");
        executor.runNext();

        // Then: the refused key fails at once, and its slot went back, so the next batch could start
        assertThat(refused).isCompletedExceptionally();
        assertThat(later.join()).isEqualTo("v-b");
    }
}
