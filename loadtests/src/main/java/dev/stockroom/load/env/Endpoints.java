package dev.stockroom.load.env;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Spreads requests across the replicas as a Kubernetes Service does: each request goes to the next replica, in turn,
 * among those that are ready. Readiness is probed every {@code stack.probe-ms} on each replica; a replica the harness
 * killed leaves at once, as the kubelet sees a container exit.
 *
 * <p>When no replica is ready (a frozen database link turns every readiness DOWN), requests go to every replica still
 * running, as a load balancer in panic mode does, so that a fault of the database is met by the service's own
 * answers (503 with {@code Retry-After}) rather than by refused connections. With no replica running at all, the
 * requests go to the replicas anyway and find nothing listening: the storefront sees no answer and tries again.
 */
public final class Endpoints implements AutoCloseable {

    private final List<Service> replicas;
    private final List<String> bases;
    /** The last probe's answer, per replica. */
    private final boolean[] ready;
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService prober;

    Endpoints(List<Service> replicas, Duration interval) {
        this.replicas = List.copyOf(replicas);
        this.bases = replicas.stream().map(s -> s.api().toString()).toList();
        this.ready = new boolean[replicas.size()];
        // A thread per replica: a probe through a frozen link waits its timeout, and must not delay the other's.
        this.prober = Executors.newScheduledThreadPool(replicas.size(), r -> {
            Thread t = new Thread(r, "endpoints-probe");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < replicas.size(); i++) {
            int replica = i;
            prober.scheduleWithFixedDelay(() -> probe(replica), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void probe(int replica) {
        boolean up = replicas.get(replica).isReady();
        synchronized (ready) {
            ready[replica] = up;
        }
    }

    private boolean isReady(int replica) {
        synchronized (ready) {
            return ready[replica] && replicas.get(replica).running();
        }
    }

    /** The base URL ({@code http://127.0.0.1:port}) of the replica the next request goes to. */
    public String pick() {
        int n = replicas.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < n; k++) {
                int i = (start + k) % n;
                if (pass == 0 ? isReady(i) : replicas.get(i).running()) {
                    return bases.get(i);
                }
            }
        }
        return bases.get(start);
    }

    /** Whether every replica is ready (the chaos's notion of "the service is ready"). */
    public boolean allReady() {
        return IntStream.range(0, replicas.size()).allMatch(this::isReady);
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
