package io.leakdetector.app.ingest;

import io.leakdetector.app.store.Store;
import io.leakdetector.core.ingest.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The SQL of import runs, their per-file progress and the rejected rows. */
final class ImportRunRepository {
    private final JdbcClient sql;
    private final JdbcTemplate jdbc;

    ImportRunRepository(Store store) {
        this.sql = store.client();
        this.jdbc = store.jdbc();
    }

    long start(String directory) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        sql.sql("INSERT INTO import_runs (started_at, status, directory) VALUES (?, 'running', ?)")
                .params(now(), directory).update(keys, "id");
        return keys.getKey().longValue();
    }

    void finish(long importId, String status, String message) {
        sql.sql("UPDATE import_runs SET finished_at = ?, status = ?, message = ? WHERE id = ?")
                .params(now(), status, message, importId).update();
    }

    /**
     * An earlier run of the same directory still marked running never finished (its process died): once a
     * later run of that directory completed it, it is marked interrupted, naming the run that completed it.
     */
    void markSuperseded(String directory, long completedBy) {
        sql.sql("UPDATE import_runs SET status = 'interrupted', finished_at = ?, message = ?"
                        + " WHERE status = 'running' AND directory = ? AND id < ?")
                .params(now(), "did not finish; completed by import " + completedBy, directory, completedBy).update();
    }

    void startFile(long importId, String file) {
        sql.sql("INSERT INTO import_file_counts (import_id, file_name, rows_read, imported, rejected, duplicates, completed)"
                + " VALUES (?, ?, 0, 0, 0, 0, FALSE)").params(importId, file).update();
    }

    void progress(long importId, String file, ImportCounts c, boolean completed) {
        sql.sql("UPDATE import_file_counts SET rows_read = ?, imported = ?, rejected = ?, duplicates = ?, completed = ?"
                        + " WHERE import_id = ? AND file_name = ?")
                .params(c.read(), c.imported(), c.rejected(), c.duplicates(), completed, importId, file).update();
    }

    /** The counts an import recorded per file (what landed, batch by batch, even when it was killed). */
    Map<String, ImportCounts> fileCounts(long importId) {
        Map<String, ImportCounts> out = new LinkedHashMap<>();
        sql.sql("SELECT file_name, rows_read, imported, rejected, duplicates FROM import_file_counts WHERE import_id = ?"
                        + " ORDER BY file_name")
                .param(importId)
                .query(rs -> {
                    out.put(rs.getString(1), new ImportCounts(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                });
        return out;
    }

    String status(long importId) {
        return sql.sql("SELECT status FROM import_runs WHERE id = ?").param(importId).query(String.class).single();
    }

    /** The newest import, or null when none ran. */
    Long latestImport() {
        return sql.sql("SELECT MAX(id) FROM import_runs").query(Long.class).optional().orElse(null);
    }

    /** Stores rejections; one already stored (same file, line, column, reason and text) is kept once. */
    void saveRejections(long importId, List<Rejection> rejections) {
        if (rejections.isEmpty()) return;
        jdbc.batchUpdate("INSERT INTO rejected_rows (import_id, file_name, line, column_name, reason, raw, row_hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                rejections, rejections.size(), (ps, r) -> {
                    ps.setLong(1, importId);
                    ps.setString(2, r.file());
                    ps.setLong(3, r.line());
                    ps.setString(4, r.column());
                    ps.setString(5, clip(r.reason(), 4096));
                    ps.setString(6, clip(r.raw() == null ? "" : r.raw(), 1_000_000));
                    ps.setLong(7, rowHash(r));
                });
    }

    /** Streams the rejected rows, of one import or of all (importId null), by file and line. */
    void forEachRejected(Long importId, Consumer<RejectedRow> action) {
        String where = importId == null ? "" : " WHERE import_id = ?";
        var spec = sql.sql("SELECT import_id, file_name, line, column_name, reason, raw FROM rejected_rows" + where
                + " ORDER BY import_id, file_name, line, id");
        if (importId != null) spec = spec.param(importId);
        spec.query(rs -> {
            action.accept(new RejectedRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                    rs.getString(5), rs.getString(6)));
        });
    }

    /** 64-bit FNV-1a over column, reason and raw text: the identity of a rejection at a file and line. */
    static long rowHash(Rejection r) {
        long h = 0xcbf29ce484222325L;
        for (String part : new String[] {r.column() == null ? "" : r.column(), r.reason(), r.raw() == null ? "" : r.raw()}) {
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            h ^= 0x1f;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
