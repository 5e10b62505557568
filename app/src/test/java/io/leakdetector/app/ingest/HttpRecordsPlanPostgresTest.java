package io.leakdetector.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.TestDatabase;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.RowMaps;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The key look-up of an HTTP upsert on PostgreSQL must stay an index look-up after the billing table has grown on the
 * same connection: a plan cached while the table was empty (PostgreSQL's generic plan after five runs) scanned the whole
 * table per look-up until an ANALYZE (BENCHMARKS.md, "Real time", branch rt-log).
 */
class HttpRecordsPlanPostgresTest {

    @Test
    void keyLookUpReadsTheIndexAfterTheTableGrewOnTheSameConnection() throws Exception {
        try (TestDatabase db = TestDatabase.postgres(); Store store = Store.open(db.settings());
             Connection c = DriverManager.getConnection(db.settings().url(), db.settings().user(), db.settings().password())) {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            HttpRecords records = new HttpRecords(jdbc, true);
            List<HttpRecords.Incoming> few = new ArrayList<>();
            for (int i = 0; i < 30; i++) few.add(invoice(i));
            records.upsert(few);
            // pgjdbc prepares on the server from the 5th run, and the server caches its generic plan after 5 more
            for (int run = 0; run < 30; run++) records.upsert(List.of(invoice(run), invoice(run + 1)));
            // Then the table grows in small upserts, as real-time events grow it (a large one would go through COPY and
            // a temporary table, whose new schema makes the server plan again).
            for (int from = 30; from < 3_000; from += 50) {
                List<HttpRecords.Incoming> chunk = new ArrayList<>();
                for (int i = from; i < from + 50; i++) chunk.add(invoice(i));
                records.upsert(chunk);
            }

            c.setAutoCommit(false);
            // The counts not yet flushed to the statistics (earlier transactions' too), before and after, in one transaction.
            String counts = "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'invoices' AND schemaname = current_schema()";
            Map<String, Object> before = jdbc.queryForMap(counts);
            List<HttpRecords.Outcome> again = records.upsert(List.of(invoice(7), invoice(2_500)));
            Map<String, Object> after = jdbc.queryForMap(counts);
            c.rollback();
            c.setAutoCommit(true);

            assertThat(again).extracting(HttpRecords.Outcome::outcome).containsExactly("unchanged", "unchanged");
            assertThat(delta(before, after, "seq_scan")).as("whole-table scans of invoices by the look-up").isZero();
            assertThat(delta(before, after, "idx_scan")).as("index look-ups").isPositive();
        }
    }

    private static long delta(Map<String, Object> before, Map<String, Object> after, String column) {
        return ((Number) after.get(column)).longValue() - ((Number) before.get(column)).longValue();
    }

    private static HttpRecords.Incoming invoice(int i) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("invoice_id", "inp_" + i);
        f.put("customer_id", "cus_" + (i % 50));
        f.put("status", "open");
        f.put("created_at", "2026-11-01T00:00:00Z");
        f.put("currency", "USD");
        f.put("subtotal", "49.00");
        f.put("total", "49.00");
        return new HttpRecords.Incoming(EntityKind.INVOICES, RowMaps.parse(EntityKind.INVOICES.schema(), f, "event:" + i), "event:" + i);
    }
}
