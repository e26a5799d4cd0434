package dev.stockroom.history;

import dev.stockroom.stock.MovementKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * A ledger exported as CSV with a header naming the columns of {@code stock_movement}, as psql's
 * {@code \copy (SELECT ...) TO 'file.csv' CSV HEADER} writes it, read in chunks with SKUs, locations, event ids,
 * reservation ids and (unless kept) reasons replaced by stable pseudonyms. Required columns: sku, location, kind,
 * occurred_at; the deltas default to 0, recorded_at to occurred_at.
 */
final class CsvLedger implements Iterator<List<LedgerRow>> {

    /** psql writes {@code 2026-03-01 12:00:00.123456+00}; ISO text with a T is accepted too. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss").optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendPattern("[XXX][XX][X]").toFormatter();

    private final BufferedReader in;
    private final Pseudonyms pseudonyms;
    private final boolean keepReasons;
    private final int chunk;
    private final Map<String, Integer> columns = new HashMap<>();
    private final Map<String, String> skus = new HashMap<>();
    private long line = 1;
    private List<String> pending;

    CsvLedger(BufferedReader in, Pseudonyms pseudonyms, boolean keepReasons, int chunk) throws IOException {
        this.in = in;
        this.pseudonyms = pseudonyms;
        this.keepReasons = keepReasons;
        this.chunk = chunk;
        List<String> header = record();
        if (header == null) {
            throw new IllegalArgumentException("The CSV file is empty");
        }
        for (int i = 0; i < header.size(); i++) {
            columns.put(header.get(i).strip().toLowerCase(java.util.Locale.ROOT), i);
        }
        for (String required : List.of("sku", "location", "kind", "occurred_at")) {
            if (!columns.containsKey(required)) {
                throw new IllegalArgumentException("The CSV header has no column " + required);
            }
        }
        pending = record();
    }

    @Override
    public boolean hasNext() {
        return pending != null;
    }

    @Override
    public List<LedgerRow> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<LedgerRow> rows = new ArrayList<>(chunk);
        try {
            while (pending != null && rows.size() < chunk) {
                rows.add(row(pending));
                pending = record();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private LedgerRow row(List<String> r) {
        try {
            Instant occurred = time(field(r, "occurred_at"));
            String recorded = field(r, "recorded_at");
            String reservation = field(r, "reservation_id");
            String reason = field(r, "reason");
            return new LedgerRow(skus.computeIfAbsent(field(r, "sku"), pseudonyms::sku),
                    pseudonyms.location(field(r, "location")), MovementKind.valueOf(field(r, "kind")),
                    number(r, "on_hand_delta"), number(r, "reserved_delta"), number(r, "committed_delta"),
                    number(r, "safety_stock_delta"),
                    reservation == null ? null : pseudonyms.reservation(UUID.fromString(reservation)),
                    pseudonyms.eventId(field(r, "event_id")), keepReasons ? reason : pseudonyms.reason(reason),
                    occurred, recorded == null ? occurred : time(recorded));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("CSV record ending on line " + line + ": " + e.getMessage(), e);
        }
    }

    private String field(List<String> r, String column) {
        Integer i = columns.get(column);
        String value = i == null || i >= r.size() ? null : r.get(i);
        return value == null || value.isEmpty() ? null : value;
    }

    private int number(List<String> r, String column) {
        String value = field(r, column);
        return value == null ? 0 : Integer.parseInt(value.strip());
    }

    private static Instant time(String text) {
        return OffsetDateTime.parse(text.strip(), TIMESTAMP).toInstant();
    }

    /** One CSV record (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks); null at the end. */
    private List<String> record() throws IOException {
        String text = in.readLine();
        if (text == null) {
            return null;
        }
        line++;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0;; i++) {
            if (i == text.length()) {
                if (!quoted) {
                    break;
                }
                String more = in.readLine();
                if (more == null) {
                    throw new IllegalArgumentException("Unterminated quoted field before line " + line);
                }
                line++;
                field.append('\n');
                text = more;
                i = -1;
                continue;
            }
            char ch = text.charAt(i);
            if (quoted && ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
