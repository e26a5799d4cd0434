package dev.stockroom.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The database connections a rendered environment can open at its worst moment, against the limit it declares.
 *
 * <p>At most {@code maxPods} pods run at once (the autoscaler's maximum plus the rollout's surge), each with a
 * full write pool, a full read pool and a full report pool; {@code reserve} stays free for migrations, operators and the server's own
 * superuser slots. The service reads the same numbers at start from {@code STOCKROOM_BUDGET_*}.
 */
record ConnectionBudget(int maxReplicas, int surge, int writePool, int readPool, int reportPool, int reserve,
                        int databaseMax, int declaredMaxReplicas) {

    static final String WRITE_POOL = "STOCKROOM_WRITE_POOL_SIZE";
    static final String READ_POOL = "STOCKROOM_AVAILABILITY_READ_POOL_SIZE";
    static final String REPORT_POOL = "STOCKROOM_HISTORY_POOL_SIZE";
    static final String RESERVE = "STOCKROOM_BUDGET_RESERVE_CONNECTIONS";
    static final String DATABASE_MAX = "STOCKROOM_BUDGET_DATABASE_MAX_CONNECTIONS";
    static final String MAX_REPLICAS = "STOCKROOM_BUDGET_MAX_REPLICAS";

    /** Reads the budget from a rendered environment: its autoscaler, rollout strategy and ConfigMap. */
    static ConnectionBudget of(Rendered env) {
        Map<String, String> config = env.config();
        int maxReplicas = env.autoscalerMaxReplicas();
        return new ConnectionBudget(maxReplicas, env.surge(maxReplicas), required(config, WRITE_POOL),
                required(config, READ_POOL), required(config, REPORT_POOL), required(config, RESERVE),
                required(config, DATABASE_MAX),
                required(config, MAX_REPLICAS));
    }

    int maxPods() {
        return maxReplicas + surge;
    }

    int needed() {
        return maxPods() * (writePool + readPool + reportPool) + reserve;
    }

    /** What is wrong with this budget; empty when it holds. */
    List<String> violations() {
        List<String> violations = new ArrayList<>();
        if (needed() > databaseMax) {
            violations.add("connection budget exceeded: (%d + %d) × (%d + %d + %d) + %d = %d > %d".formatted(
                    maxReplicas, surge, writePool, readPool, reportPool, reserve, needed(), databaseMax));
        }
        if (declaredMaxReplicas < maxPods()) {
            violations.add("%s=%d but up to %d pods can run; the service's own check would undercount".formatted(
                    MAX_REPLICAS, declaredMaxReplicas, maxPods()));
        }
        return violations;
    }

    private static int required(Map<String, String> config, String key) {
        String value = config.get(key);
        if (value == null) {
            throw new AssertionError("ConfigMap stockroom-config does not declare " + key);
        }
        return Integer.parseInt(value.strip());
    }
}
