package dev.stockroom.platform;

/**
 * The arithmetic of the connection budget: (write pool + read pool + report pool) × max replicas + reserve must not
 * exceed the database's connection limit.
 */
public record ConnectionBudget(int writePool, int readPool, int reportPool, int maxReplicas, int reserve,
                               int databaseLimit) {

    public int needed() {
        return (writePool + readPool + reportPool) * maxReplicas + reserve;
    }

    public boolean fits() {
        return needed() <= databaseLimit;
    }

    /** The sum spelled out, for the log line that explains a refusal. */
    public String arithmetic() {
        return "(write pool " + writePool + " + read pool " + readPool + " + report pool " + reportPool
                + ") × max replicas " + maxReplicas
                + " + reserve " + reserve + " = " + needed() + (fits() ? " <= " : " > ")
                + "database max_connections " + databaseLimit;
    }
}
