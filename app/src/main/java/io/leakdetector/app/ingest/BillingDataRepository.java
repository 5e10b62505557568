package io.leakdetector.app.ingest;

import io.leakdetector.app.store.DataVersion;
import io.leakdetector.app.store.Store;
import io.leakdetector.core.ingest.EntityKind;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of the billing-data tables: key and reference look-ups for a batch (a handful of queries per batch,
 * never one per row) and bulk writes (batched inserts on H2; COPY into a staging table on PostgreSQL).
 * Every method runs in the caller's transaction.
 */
final class BillingDataRepository {
    private final JdbcTemplate jdbc;
    private final boolean postgres;

    /** Batches at least this large go through COPY on PostgreSQL. */
    static final int COPY_THRESHOLD = 100;

    BillingDataRepository(Store store) {
        this(store.jdbc(), store.postgres());
    }

    BillingDataRepository(JdbcTemplate jdbc, boolean postgres) {
        this.jdbc = jdbc;
        this.postgres = postgres;
    }

    /** Deletes the stored rows with the keys of {@code records} (an update is a delete and an insert in one transaction). */
    <T> void deleteKeys(BillingTable<T> table, List<T> records) {
        if (records.isEmpty()) return;
        DataVersion.bumpBilling();
        StringBuilder where = new StringBuilder();
        for (String k : table.keyColumns()) where.append(where.isEmpty() ? "" : " AND ").append(k).append(" = ?");
        String sql = "DELETE FROM " + table.table() + " WHERE " + where;
        List<Object[]> args = new ArrayList<>(records.size());
        for (T r : records) {
            Object[] values = table.values().apply(r);
            Object[] key = new Object[table.keyColumns().size()];
            for (int i = 0; i < key.length; i++) key[i] = jdbcValue(values[i]);
            args.add(key);
        }
        jdbc.batchUpdate(sql, args);
    }

    /** A row already in the store: its content hash and where it came from. */
    record StoredRow(long contentHash, String sourceFile, long sourceLine) {}

    /** The stored rows whose keys equal the keys of {@code records}, by key (the schema's key text). */
    <T> Map<String, StoredRow> findStored(BillingTable<T> table, List<T> records) {
        Map<String, StoredRow> found = new HashMap<>();
        if (records.isEmpty()) return found;
        Set<String> ids = new HashSet<>();
        LocalDate min = null, max = null;
        for (T r : records) {
            ids.add(table.lookupValue().apply(r));
            if (table.keyRange() != null) {
                LocalDate d = table.keyRange().apply(r);
                if (min == null || d.isBefore(min)) min = d;
                if (max == null || d.isAfter(max)) max = d;
            }
        }
        StringBuilder cols = new StringBuilder();
        for (String k : table.keyColumns()) cols.append("t.").append(k).append(", ");
        String range = table.keyRange() == null ? "" : " WHERE t." + table.keyColumns().get(1) + " BETWEEN ? AND ?";
        String sql = "SELECT " + cols + "t.content_hash, t.source_file, t.source_line FROM UNNEST(?) AS k(id) JOIN "
                + table.table() + " t ON t." + table.idColumn() + " = k.id" + range;
        int keyCount = table.keyColumns().size();
        LocalDate from = min, to = max;
        jdbc.query(sql, ps -> {
            plannedEachTime(ps);
            bindArray(ps, 1, ids);
            if (from != null) {
                ps.setObject(2, from);
                ps.setObject(3, to);
            }
        }, rs -> {
            String key = keyCount == 1 ? rs.getString(1) : rs.getString(1) + "@" + rs.getObject(2, LocalDate.class);
            found.put(key, new StoredRow(rs.getLong(keyCount + 1), rs.getString(keyCount + 2), rs.getLong(keyCount + 3)));
        });
        return found;
    }

    /** Which of {@code ids} exist as records of {@code target}. */
    Set<String> existingIds(EntityKind target, Collection<String> ids) {
        Set<String> found = new HashSet<>();
        if (ids.isEmpty()) return found;
        BillingTable<?> table = BillingTable.of(target);
        String sql = "SELECT t." + table.idColumn() + " FROM UNNEST(?) AS k(id) JOIN " + table.table() + " t ON t."
                + table.idColumn() + " = k.id";
        jdbc.query(sql, ps -> {
            plannedEachTime(ps);
            bindArray(ps, 1, ids);
        }, rs -> {
            found.add(rs.getString(1));
        });
        return found;
    }

    /** One row to write: the record with its provenance. */
    record NewRow<T>(T record, long line, long contentHash) {}

    /**
     * Writes {@code rows} (whose keys were checked absent in this transaction) and returns how many landed. A row
     * another writer inserted meanwhile is skipped (ON CONFLICT DO NOTHING) and not counted.
     */
    <T> long insert(BillingTable<T> table, List<NewRow<T>> rows, String sourceFile, long importId) {
        return insert(table, rows, i -> sourceFile, importId);
    }

    /** As {@link #insert(BillingTable, List, String, long)}, each row with its own source ({@code sources.get(i)}). */
    <T> long insert(BillingTable<T> table, List<NewRow<T>> rows, List<String> sources, long importId) {
        return insert(table, rows, sources::get, importId);
    }

    private <T> long insert(BillingTable<T> table, List<NewRow<T>> rows, IntFunction<String> sourceOf, long importId) {
        if (rows.isEmpty()) return 0;
        DataVersion.bumpBilling();
        // COPY pays a staging-table round trip that only large batches win back (HTTP paths write a few rows).
        return postgres && rows.size() >= COPY_THRESHOLD ? copyInsert(table, rows, sourceOf, importId)
                : batchInsert(table, rows, sourceOf, importId);
    }

    private <T> long batchInsert(BillingTable<T> table, List<NewRow<T>> rows, IntFunction<String> sourceOf, long importId) {
        List<String> cols = table.allColumns();
        String sql = "INSERT INTO " + table.table() + " (" + String.join(", ", cols) + ") VALUES (" + placeholders(cols.size())
                + ") ON CONFLICT DO NOTHING";
        return jdbc.execute((ConnectionCallback<Long>) con -> {
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                for (int r = 0; r < rows.size(); r++) {
                    NewRow<T> row = rows.get(r);
                    Object[] values = table.values().apply(row.record());
                    int i = 1;
                    for (Object v : values) ps.setObject(i++, jdbcValue(v));
                    ps.setString(i++, sourceOf.apply(r));
                    ps.setLong(i++, row.line());
                    ps.setLong(i++, row.contentHash());
                    ps.setLong(i, importId);
                    ps.addBatch();
                }
                long n = 0;
                for (int c : ps.executeBatch()) n += c == PreparedStatement.SUCCESS_NO_INFO ? 1 : Math.max(c, 0);
                return n;
            }
        });
    }

    /**
     * PostgreSQL: COPY the batch into a per-session staging table, then move it with one INSERT … SELECT that
     * skips keys present already. COPY is several times faster than batched INSERTs.
     */
    private <T> long copyInsert(BillingTable<T> table, List<NewRow<T>> rows, IntFunction<String> sourceOf, long importId) {
        String stage = "stage_" + table.table();
        String cols = String.join(", ", table.allColumns());
        StringBuilder csv = new StringBuilder(rows.size() * 160);
        for (int r = 0; r < rows.size(); r++) {
            NewRow<T> row = rows.get(r);
            for (Object v : table.values().apply(row.record())) {
                appendCsv(csv, v);
                csv.append(',');
            }
            appendCsv(csv, sourceOf.apply(r));
            csv.append(',').append(row.line()).append(',').append(row.contentHash()).append(',').append(importId).append('\n');
        }
        return jdbc.execute((ConnectionCallback<Long>) con -> {
            try (var st = con.createStatement()) {
                st.execute("CREATE TEMP TABLE IF NOT EXISTS " + stage + " (LIKE " + table.table() + ") ON COMMIT DELETE ROWS");
            }
            try {
                con.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY " + stage + " (" + cols + ") FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (var st = con.createStatement()) {
                long n = st.executeUpdate("INSERT INTO " + table.table() + " (" + cols + ") SELECT " + cols + " FROM " + stage
                        + " ON CONFLICT DO NOTHING");
                st.execute("TRUNCATE " + stage);
                return n;
            }
        });
    }

    /** Counts the rows of a kind's table (tests, benchmarks and the import summary). */
    long count(EntityKind kind) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + BillingTable.of(kind).table(), Long.class);
        return n == null ? 0 : n;
    }

    private static Object jdbcValue(Object v) {
        return v instanceof Instant i ? OffsetDateTime.ofInstant(i, ZoneOffset.UTC) : v;
    }

    /** CSV for COPY: NULL is an empty unquoted field, every text is quoted (so "" stays an empty string). */
    private static void appendCsv(StringBuilder sb, Object v) {
        if (v == null) return;
        if (v instanceof String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') sb.append('"');
                sb.append(c);
            }
            sb.append('"');
        } else if (v instanceof BigDecimal d) {
            sb.append(d.toPlainString());
        } else {
            sb.append(v); // Long, Integer, Boolean, Instant (ISO-8601 with Z), LocalDate
        }
    }

    static String placeholders(int n) {
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "?" : ", ?");
        return sb.toString();
    }

    /**
     * On PostgreSQL, plans this key look-up with its own keys every time instead of once per connection: the plan the
     * server caches after five runs is its generic plan, made for a table of the size it had then. A store that starts
     * empty — a new install, a benchmark — caches a hash join over a sequential scan of the then tiny billing table
     * and keeps scanning the whole table per look-up, at 20,000 invoices 2.8 ms instead of 0.05 ms, until an ANALYZE
     * invalidates it (BENCHMARKS.md, "Real time", branch rt-log). Planning a two-table join costs tens of microseconds.
     */
    private void plannedEachTime(PreparedStatement ps) throws SQLException {
        if (postgres && ps.isWrapperFor(PGStatement.class)) ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    }

    /**
     * Binds a set of ids as one SQL array. Look-ups join the table to {@code UNNEST(?)}: one index look-up per id on
     * both databases, whatever the batch size (H2 plans a long IN list or {@code = ANY(?)} as a scan of the table,
     * which made each batch cost O(table size)).
     */
    private static void bindArray(PreparedStatement ps, int index, Collection<String> values) throws SQLException {
        ps.setArray(index, ps.getConnection().createArrayOf("VARCHAR", values.toArray()));
    }
}
