package io.leakdetector.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The migrations run and their constraints hold, on each database (subclasses). */
abstract class SchemaContract extends StoreTestBase {
    private static final OffsetDateTime T = OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC);

    private void insertFinding(JdbcTemplate jdbc, String id, String subject, String category) {
        jdbc.update("INSERT INTO findings (id, category, kind, subject, customer_id, amount_one_time_minor,"
                        + " amount_recurring_minor, currency, score, confidence, detected_at, status, explanation,"
                        + " recommended_action, evidence, matched_rules, updated_at)"
                        + " VALUES (?, ?, 'leak', ?, 'cus_1', 43680, 0, 'USD', 0.97, 'high', ?, 'open', 'unpaid after 3 attempts',"
                        + " 'retry payment', '[]', '[\"failed_payment.grace\"]', ?)",
                id, category, subject, T, T);
    }

    @Test
    void migratingTwiceIsANoOp() {
        String applied = "SELECT COUNT(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL";
        Store.migrate(store.dataSource());
        // every migration on the classpath exactly once, none again
        assertThat(store.jdbc().queryForObject(applied, Long.class)).isEqualTo(TestMigrations.versions().size());
    }

    @Test
    void oneFindingPerSubjectAndCategory() {
        JdbcTemplate jdbc = store.jdbc();
        insertFinding(jdbc, "f1", "invoice:in_1", "FAILED_PAYMENT");
        insertFinding(jdbc, "f2", "invoice:in_1", "DUPLICATE_BILLING");

        assertThatThrownBy(() -> insertFinding(jdbc, "f3", "invoice:in_1", "FAILED_PAYMENT"))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(jdbc.queryForObject("SELECT amount_one_time_minor FROM findings WHERE id = 'f1'", Long.class)).isEqualTo(43_680L);
    }

    @Test
    void statusHistoryRecordsWhoWhatAndWhenForAnExistingFinding() {
        JdbcTemplate jdbc = store.jdbc();
        insertFinding(jdbc, "f1", "invoice:in_1", "FAILED_PAYMENT");
        jdbc.update("INSERT INTO finding_status_history (finding_id, from_status, to_status, changed_by, changed_at, note)"
                + " VALUES ('f1', 'open', 'acknowledged', 'ana@example.com', ?, 'checking with the customer')", T);

        assertThat(jdbc.queryForObject("SELECT changed_by FROM finding_status_history WHERE finding_id = 'f1'", String.class))
                .isEqualTo("ana@example.com");
        assertThatThrownBy(() -> jdbc.update("INSERT INTO finding_status_history (finding_id, to_status, changed_by, changed_at)"
                + " VALUES ('missing', 'open', 'x', ?)", T)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void rejectedRowsAreUniquePerFileLineAndContent() {
        JdbcTemplate jdbc = store.jdbc();
        jdbc.update("INSERT INTO import_runs (started_at, status, directory) VALUES (?, 'running', '/d')", T);
        long id = jdbc.queryForObject("SELECT MAX(id) FROM import_runs", Long.class);
        String sql = "INSERT INTO rejected_rows (import_id, file_name, line, column_name, reason, raw, row_hash)"
                + " VALUES (?, 'customers.csv', 3, 'currency', 'unknown currency', 'c,XXX', 42) ON CONFLICT DO NOTHING";
        jdbc.update(sql, id);
        jdbc.update(sql, id);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM rejected_rows", Long.class)).isEqualTo(1);
    }
}
