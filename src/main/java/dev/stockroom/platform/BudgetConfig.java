package dev.stockroom.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The connection budget: what every replica's pools may take from the database at the most. */
@ConfigMapping(prefix = "stockroom.budget")
public interface BudgetConfig {

    /** Most replicas the deployment may scale to (the autoscaler's maximum). */
    @WithDefault("8")
    int maxReplicas();

    /** Connections kept free for everyone else: migrations, psql, monitoring, superuser slots. */
    @WithDefault("10")
    int reserveConnections();

    /** The database's connection limit; 0 reads the server's {@code max_connections} at start. */
    @WithDefault("0")
    int databaseMaxConnections();

    /** What to do when the budget does not fit: refuse to start, or log a warning. */
    @WithDefault("fail")
    OnViolation onViolation();

    enum OnViolation {
        FAIL,
        WARN
    }
}
