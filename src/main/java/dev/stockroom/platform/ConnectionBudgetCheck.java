package dev.stockroom.platform;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Checks the connection budget at start: reads the server's {@code max_connections} (unless configured) and refuses
 * to start, or warns, when every replica at full pools would not fit.
 */
@ApplicationScoped
public class ConnectionBudgetCheck {

    private static final Logger LOG = Logger.getLogger(ConnectionBudgetCheck.class);
    /**
     * The read pool's size, read by name because platform depends on no feature. It has no default here: its one
     * default is in the availability feature's configuration mapping, which puts it in the configuration.
     */
    static final String READ_POOL_SIZE = "stockroom.availability.read-pool.size";
    /** The report pool's size, read by name for the same reason; its default is in the history feature's mapping. */
    static final String REPORT_POOL_SIZE = "stockroom.history.pool.size";

    private final BudgetConfig config;
    private final int writePool;
    private final int readPool;
    private final int reportPool;
    private final AgroalDataSource dataSource;

    ConnectionBudgetCheck(BudgetConfig config, AgroalDataSource dataSource,
                          @ConfigProperty(name = "quarkus.datasource.jdbc.max-size") int writePool,
                          @ConfigProperty(name = READ_POOL_SIZE) int readPool,
                          @ConfigProperty(name = REPORT_POOL_SIZE) int reportPool) {
        this.config = config;
        this.dataSource = dataSource;
        this.writePool = writePool;
        this.readPool = readPool;
        this.reportPool = reportPool;
    }

    void onStart(@Observes StartupEvent start) throws SQLException {
        int limit = config.databaseMaxConnections() > 0 ? config.databaseMaxConnections() : serverMaxConnections();
        enforce(new ConnectionBudget(writePool, readPool, reportPool, config.maxReplicas(), config.reserveConnections(),
                limit),
                config.onViolation());
    }

    /**
     * Logs the budget; when it does not fit, fails (throws, so that the service does not start) or warns.
     *
     * @throws IllegalStateException when it does not fit and the policy is {@code fail}
     */
    static void enforce(ConnectionBudget budget, BudgetConfig.OnViolation onViolation) {
        if (budget.fits()) {
            LOG.infof("Connection budget fits: %s", budget.arithmetic());
            return;
        }
        String message = "Connection budget exceeded: " + budget.arithmetic()
                + ". Lower the pool sizes or stockroom.budget.max-replicas, or raise max_connections.";
        if (onViolation == BudgetConfig.OnViolation.WARN) {
            LOG.warn(message);
            return;
        }
        throw new IllegalStateException(message);
    }

    private int serverMaxConnections() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW max_connections")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }
}
