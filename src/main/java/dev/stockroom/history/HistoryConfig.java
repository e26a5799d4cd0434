package dev.stockroom.history;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Movement history and reports: request limits, the report pool, and the background jobs that keep them fast. */
@ConfigMapping(prefix = "stockroom.history")
interface HistoryConfig {

    // The defaults of the request limits, also quoted by the API description (annotations need constants).
    String MAX_RANGE_DAYS = "400";
    String DEFAULT_PAGE_SIZE = "50";
    String MAX_PAGE_SIZE = "500";
    String DEFAULT_SHRINKAGE_ITEMS = "20";

    /** Longest range, in days, that a history page or a report may cover; a longer one is a 400 naming it. */
    @WithDefault(MAX_RANGE_DAYS)
    int maxRangeDays();

    /** Movements per history page when the request names no {@code limit}. */
    @WithDefault(DEFAULT_PAGE_SIZE)
    int defaultPageSize();

    /** Most movements per history page, and most SKUs in a shrinkage report. */
    @WithDefault(MAX_PAGE_SIZE)
    int maxPageSize();

    /** SKUs in a shrinkage report when the request names no {@code limit}. */
    @WithDefault(DEFAULT_SHRINKAGE_ITEMS)
    int defaultShrinkageItems();

    /**
     * {@code statement_timeout} of the background jobs' statements (a rollup step, a copy batch). They run on the
     * write pool, whose own timeout is sized for holds, not for aggregating a hundred thousand rows. It must stay
     * below the write pool's socket timeout ({@code STOCKROOM_WRITE_POOL_SOCKET_TIMEOUT_SECONDS}, 75 s), which would
     * otherwise cut a job's statement first; the service refuses to start otherwise ({@code JobTimeoutCheck}).
     */
    @WithDefault("60s")
    Duration jobStatementTimeout();

    /**
     * Whether this replica runs the background jobs (rollup, partitions and retention, the move of the ledger).
     * Any number of replicas may: they take turns through locks in the database.
     */
    @WithDefault("true")
    boolean jobs();

    /** The HikariCP pool {@code reports} that history pages and reports run on, never the write pool. */
    Pool pool();

    /** The job that maintains the daily rollup. */
    Rollup rollup();

    /** The job that creates monthly partitions ahead of time and detaches old ones for archiving. */
    Partitions partitions();

    /** The online move of an unpartitioned ledger into the partitioned one. */
    Move move();

    /** The report pool. */
    interface Pool {
        /**
         * Connections, fixed (minimum idle = maximum). Also how many history and report requests are served at
         * once: one more is refused at once with 503 and {@code Retry-After}. Counted in the connection budget.
         */
        @WithDefault("2")
        int size();

        /** Longest wait for a connection; the bulkhead keeps requests from waiting for one in normal operation. */
        @WithDefault("1s")
        Duration connectionTimeout();

        /** {@code statement_timeout} on report connections: the database stops a query that runs away. */
        @WithDefault("5s")
        Duration statementTimeout();

        /** Socket read timeout, so that a query on a frozen network fails instead of holding a connection. */
        @WithDefault("10s")
        Duration socketTimeout();

        /** {@code Retry-After} of a request refused because every report connection is busy. */
        @WithDefault("1s")
        Duration retryAfter();

        /** JDBC URL of the report pool (a replica, say); defaults to the write datasource's URL. */
        Optional<String> jdbcUrl();
    }

    /** The rollup job. */
    interface Rollup {
        /** How often the job rolls up what writers committed since its last run. */
        @WithDefault("5s")
        Duration interval();

        /**
         * Most ledger rows one rollup transaction aggregates. A writing transaction is never split, so one that
         * wrote more rows than this is rolled up in a step of its own.
         */
        @WithDefault("100000")
        int maxRowsPerStep();

        /** Steps one run may take before yielding to the next run. */
        @WithDefault("50")
        int maxStepsPerRun();
    }

    /** Partitions and retention. */
    interface Partitions {
        /** How often the job checks the partitions ahead and the retention. */
        @WithDefault("1h")
        Duration interval();

        /** Months after the current one that always have a partition (UTC months). */
        @WithDefault("3")
        int monthsAhead();

        /**
         * Whole months kept before the current one. An older partition is detached (never dropped) and listed in
         * {@code stock_movement_archive} for an operator to archive. It must cover {@link #maxRangeDays()}.
         */
        @WithDefault("25")
        int retentionMonths();

        /** Longest a partition change waits for a lock before it gives up until the next run. */
        @WithDefault("2s")
        Duration lockTimeout();

        /** Longest a detach may take, waiting for transactions that still see the partition. */
        @WithDefault("60s")
        Duration detachTimeout();
    }

    /** The move of the ledger. */
    interface Move {
        /** How often the job copies the next batches while a move is under way. */
        @WithDefault("1s")
        Duration interval();

        /** Old ledger rows copied per transaction. */
        @WithDefault("10000")
        int batchSize();

        /** Batches one run may copy before it yields to the next run. */
        @WithDefault("20")
        int maxBatchesPerRun();

        /** Switch over as soon as the copy is complete; false leaves it to an operator (docs/history.md). */
        @WithDefault("true")
        boolean switchOver();

        /** Longest the switch-over waits for the writers in flight; new writers queue behind it meanwhile. */
        @WithDefault("200ms")
        Duration switchLockWait();

        /** {@code Retry-After} of history and report requests while the move is under way. */
        @WithDefault("60s")
        Duration retryAfter();
    }
}
