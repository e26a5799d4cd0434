package dev.stockroom.history;

import io.agroal.api.AgroalDataSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Generated ledgers for tests, written by the same code as {@code bin/generate-ledger}. */
final class GeneratedLedgers {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private GeneratedLedgers() {
    }

    /** A ledger of {@code rows} rows over the 400 days before today, names starting with {@code prefix}. */
    static SyntheticLedger.Shape shape(long rows, int skus, int locations, String prefix) {
        return new SyntheticLedger.Shape(rows, skus, locations, 400, LocalDate.now(ZoneOffset.UTC), 42, prefix);
    }

    /** Writes the ledger and its stock levels; the rollup is left to the rollup job. */
    static SyntheticLedger write(AgroalDataSource dataSource, SyntheticLedger.Shape shape) throws SQLException {
        SyntheticLedger ledger = new SyntheticLedger(shape);
        try (Connection c = dataSource.getConnection()) {
            new LedgerLoader(c, QUIET).load(new SyntheticLedger(shape), shape.rows(), ledger.locations(),
                    new LedgerLoader.Options(true, false));
        }
        return ledger;
    }
}
