package dev.stockroom.availability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Coalesces loads of single keys into batches: every key asked for joins a queue, and whenever fewer than
 * {@code maxInFlight} batches run, the next batch of up to {@code batchSize} queued keys is sent as one call.
 *
 * <p>While all batches are busy the queue grows, so the busier the cache the fuller its batches: a storm of
 * refreshes becomes a few large queries instead of many small ones. A key already queued or in flight is not
 * queued again; its callers share one future.
 */
final class BatchLoader<V> {

    /** Loads a batch; the answer has a value for every key asked. */
    @FunctionalInterface
    interface Batch<V> {
        Map<String, V> load(List<String> keys) throws Exception;
    }

    private final ConcurrentHashMap<String, CompletableFuture<V>> pending = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore inFlight;
    private final int batchSize;
    private final Executor executor;
    private final Batch<V> batch;

    BatchLoader(int batchSize, int maxInFlight, Executor executor, Batch<V> batch) {
        this.batchSize = batchSize;
        this.inFlight = new Semaphore(maxInFlight);
        this.executor = executor;
        this.batch = batch;
    }

    CompletableFuture<V> load(String key) {
        CompletableFuture<V> created = new CompletableFuture<>();
        CompletableFuture<V> existing = pending.putIfAbsent(key, created);
        if (existing != null) {
            return existing;
        }
        queue.add(key);
        dispatch();
        return created;
    }

    /** Keys queued and not yet sent. */
    int queued() {
        return queue.size();
    }

    private void dispatch() {
        while (!queue.isEmpty() && inFlight.tryAcquire()) {
            List<String> keys = new ArrayList<>(Math.min(batchSize, 256));
            String key;
            while (keys.size() < batchSize && (key = queue.poll()) != null) {
                keys.add(key);
            }
            if (keys.isEmpty()) {
                inFlight.release();
                continue;
            }
            try {
                executor.execute(() -> run(keys));
            } catch (RejectedExecutionException e) {
                inFlight.release();
                fail(keys, e);
            }
        }
    }

    private void run(List<String> keys) {
        try {
            Map<String, V> values = batch.load(keys);
            for (String key : keys) {
                CompletableFuture<V> future = pending.remove(key);
                if (future != null) {
                    future.complete(values.get(key));
                }
            }
        } catch (Throwable e) {
            fail(keys, e);
        } finally {
            inFlight.release();
            // Keys that arrived while every batch was busy go out now.
            dispatch();
        }
    }

    private void fail(List<String> keys, Throwable e) {
        for (String key : keys) {
            CompletableFuture<V> future = pending.remove(key);
            if (future != null) {
                future.completeExceptionally(e);
            }
        }
    }
}
