package dev.stockroom.deploy;

import dev.stockroom.platform.ConnectionBudget;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The connection budget of a rendered environment at its worst moment, counted with the service's own
 * {@link ConnectionBudget} arithmetic.
 *
 * <p>At most {@code maxReplicas + surge} pods run at once (the autoscaler's maximum plus the rollout's surge), each
 * with a full write pool, a full read pool and a full report pool. The service counts the same budget at start from
 * {@code STOCKROOM_BUDGET_*}, so the replica count the environment declares to it must cover the surge too.
 */
record DeployBudget(int maxReplicas, int surge, int writePool, int readPool, int reportPool, int reserve,
                    int databaseMax,
                    int declaredMaxReplicas) {

    static final String WRITE_POOL = "STOCKROOM_WRITE_POOL_SIZE";
    static final String READ_POOL = "STOCKROOM_AVAILABILITY_READ_POOL_SIZE";
    static final String REPORT_POOL = "STOCKROOM_HISTORY_POOL_SIZE";
    static final String RESERVE = "STOCKROOM_BUDGET_RESERVE_CONNECTIONS";
    static final String DATABASE_MAX = "STOCKROOM_BUDGET_DATABASE_MAX_CONNECTIONS";
    static final String MAX_REPLICAS = "STOCKROOM_BUDGET_MAX_REPLICAS";

    /** Reads the budget from a rendered environment: its autoscaler, rollout strategy and ConfigMap. */
    static DeployBudget of(Rendered env) {
        Map<String, String> config = env.config();
        int maxReplicas = env.autoscalerMaxReplicas();
        return new DeployBudget(maxReplicas, env.surge(maxReplicas), required(config, WRITE_POOL),
                required(config, READ_POOL), required(config, REPORT_POOL), required(config, RESERVE), required(config,
                        DATABASE_MAX),
                required(config, MAX_REPLICAS));
    }

    int maxPods() {
        return maxReplicas + surge;
    }

    /** Every pod that can run at once, counted as the service counts replicas. */
    ConnectionBudget atWorst() {
        return new ConnectionBudget(writePool, readPool, reportPool, maxPods(), reserve, databaseMax);
    }

    /** What is wrong with this budget; empty when it holds. */
    List<String> violations() {
        List<String> violations = new ArrayList<>();
        if (!atWorst().fits()) {
            violations.add("connection budget exceeded with %d replicas + %d surge: %s".formatted(maxReplicas, surge,
                    atWorst().arithmetic()));
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
