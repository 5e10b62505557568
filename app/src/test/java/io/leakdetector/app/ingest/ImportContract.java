package io.leakdetector.app.ingest;

import static io.leakdetector.app.ingest.TestDirectories.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreTestBase;
import io.leakdetector.app.store.TestDatabase;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.FileFormatException;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The import's behaviour against a real store; run once per database by its subclasses. */
abstract class ImportContract extends StoreTestBase {
    ImportResult importDir(Path dir) {
        return new Importer(store).importDirectory(dir);
    }

    long count(String table) {
        return store.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    List<RejectedRow> rejected(Long importId) {
        List<RejectedRow> rows = new ArrayList<>();
        new ImportRunRepository(store).forEachRejected(importId, rows::add);
        return rows;
    }

    @Test
    void smallDirectoryImportsEveryFileWithExactCounts() {
        ImportResult r = importDir(TestDirectories.small(tmp.resolve("small")));

        assertThat(r.files().keySet()).containsExactly(java.util.Arrays.stream(EntityKind.values()).map(EntityKind::fileName)
                .toArray(String[]::new));
        assertThat(r.files().get("customers.csv")).isEqualTo(new ImportCounts(3, 3, 0, 0));
        assertThat(r.files().get("invoice_lines.csv")).isEqualTo(new ImportCounts(5, 5, 0, 0));
        assertThat(r.files().get("app_accounts.csv")).isEqualTo(new ImportCounts(3, 3, 0, 0));
        assertThat(r.total()).isEqualTo(new ImportCounts(TestDirectories.SMALL_TOTAL, TestDirectories.SMALL_TOTAL, 0, 0));
        assertThat(count("customers")).isEqualTo(TestDirectories.CUSTOMERS);
        assertThat(count("invoices")).isEqualTo(TestDirectories.INVOICES);
        assertThat(count("payments")).isEqualTo(TestDirectories.PAYMENTS);
        assertThat(count("app_accounts")).isEqualTo(TestDirectories.APP_ACCOUNTS);
        assertThat(count("change_events")).isEqualTo(TestDirectories.CHANGE_EVENTS);
        assertThat(new ImportRunRepository(store).status(r.importId())).isEqualTo("completed");
        assertThat(new ImportRunRepository(store).fileCounts(r.importId())).containsAllEntriesOf(r.files());
    }

    @Test
    void columnsHoldMinorUnitsCurrenciesTimesAndProvenance() {
        importDir(TestDirectories.small(tmp.resolve("small")));

        Map<String, Object> in1 = store.jdbc().queryForMap(
                "SELECT total_minor, discount_minor, currency, created_at, subscription_id, source_file, source_line"
                        + " FROM invoices WHERE invoice_id = 'in_001'");
        assertThat(((Number) in1.get("total_minor")).longValue()).isEqualTo(43_680L);
        assertThat(((Number) in1.get("discount_minor")).longValue()).isEqualTo(10_920L);
        assertThat(in1.get("currency")).isEqualTo("USD");
        assertThat(in1.get("source_file")).isEqualTo("invoices.csv");
        assertThat(((Number) in1.get("source_line")).longValue()).isEqualTo(2L);
        OffsetDateTime created = store.jdbc().queryForObject(
                "SELECT created_at FROM invoices WHERE invoice_id = 'in_001'", OffsetDateTime.class);
        assertThat(created.toInstant()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
        // JPY has no minor digits: 5500 yen is 5500 minor units; one-off invoices have no subscription
        assertThat(store.jdbc().queryForObject("SELECT total_minor FROM invoices WHERE invoice_id = 'in_003'", Long.class))
                .isEqualTo(5_500L);
        assertThat(store.jdbc().queryForObject("SELECT subscription_id FROM invoices WHERE invoice_id = 'in_003'", String.class))
                .isNull();
        assertThat(store.jdbc().queryForObject("SELECT name FROM customers WHERE customer_id = 'cus_002'", String.class))
                .isEqualTo("Globex, Inc.");
        Map<String, Object> sub = store.jdbc().queryForMap(
                "SELECT unit_amount_minor, currency, discount_percent, price_locked FROM subscriptions WHERE subscription_id = 'sub_001'");
        assertThat(((Number) sub.get("unit_amount_minor")).longValue()).isEqualTo(4_550L);
        assertThat(sub.get("currency")).isEqualTo("USD");
        assertThat(new java.math.BigDecimal(sub.get("discount_percent").toString())).isEqualByComparingTo("20");
        assertThat(sub.get("price_locked")).isEqualTo(false);
        assertThat(store.jdbc().queryForList(
                "SELECT observed_on FROM app_accounts WHERE account_id = 'acct_001' ORDER BY observed_on", LocalDate.class))
                .containsExactly(LocalDate.of(2026, 1, 15), LocalDate.of(2026, 1, 16));
        assertThat(store.jdbc().queryForObject("SELECT overage_unit_amount_minor FROM prices WHERE price_id = 'price_api_eur'",
                Long.class)).isEqualTo(2L);
    }

    @Test
    void secondImportOfTheSameDirectoryIsAllDuplicates() {
        Path dir = TestDirectories.small(tmp.resolve("small"));
        importDir(dir);
        ImportResult again = importDir(dir);

        assertThat(again.total()).isEqualTo(new ImportCounts(TestDirectories.SMALL_TOTAL, 0, 0, TestDirectories.SMALL_TOTAL));
        assertThat(count("invoices")).isEqualTo(TestDirectories.INVOICES);
        assertThat(count("rejected_rows")).isZero();
    }

    @Test
    void overlappingFilesAddOnlyTheNewRows() {
        Path a = tmp.resolve("a");
        write(a, "customers.csv", "customer_id,currency", "cus_1,USD", "cus_2,USD", "cus_3,EUR");
        Path b = tmp.resolve("b");
        write(b, "customers.csv", "customer_id,currency", "cus_2,USD", "cus_3,EUR", "cus_4,EUR", "cus_5,JPY");
        write(b, "invoices.csv", "invoice_id,customer_id,status,created_at,currency,subtotal,total",
                "in_1,cus_1,paid,2026-01-01,USD,10.00,10.00", "in_2,cus_5,paid,2026-01-01,JPY,1000,1000");

        importDir(a);
        ImportResult second = importDir(b);

        assertThat(second.files().get("customers.csv")).isEqualTo(new ImportCounts(4, 2, 0, 2));
        assertThat(second.files().get("invoices.csv")).isEqualTo(new ImportCounts(2, 2, 0, 0));
        assertThat(count("customers")).isEqualTo(5);
        assertThat(importDir(a).total()).isEqualTo(new ImportCounts(3, 0, 0, 3));
    }

    @Test
    void everyKindOfBadRowIsRejectedWithFileLineColumnAndReasonWhileGoodRowsLand() {
        Path dir = tmp.resolve("bad");
        ByteArrayOutputStream customers = new ByteArrayOutputStream();
        customers.writeBytes(String.join("\n",
                "customer_id,name,currency",
                "cus_001,Acme,EUR",                 // 2 good
                ",Nobody,USD",                       // 3 missing required field
                "cus_bad_currency,Bad,XYZ",          // 4 unknown currency
                "cus_001,Acme Renamed,EUR",          // 5 duplicate id with different content
                "cus_001,Acme,EUR",                  // 6 exact duplicate
                "cus_utf8,").getBytes(StandardCharsets.UTF_8));
        customers.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, 'x'}); // 7 invalid UTF-8 in name
        customers.writeBytes(",USD\ncus_002,Globex,USD\n".getBytes(StandardCharsets.UTF_8)); // 8 good
        TestDirectories.writeBytes(dir, "customers.csv", customers.toByteArray());
        write(dir, "invoices.csv",
                "invoice_id,customer_id,status,created_at,currency,subtotal,total",
                "in_001,cus_001,paid,2026-01-01,EUR,10.00,10.00",       // 2 good
                "in_bad_date,cus_001,paid,2026-02-30,EUR,10.00,10.00",  // 3 bad date
                "in_bad_money,cus_001,paid,2026-01-01,EUR,ten,10.00",   // 4 bad money
                "in_orphan,cus_missing,paid,2026-01-01,EUR,1.00,1.00",  // 5 reference to a missing customer
                "in_cents,cus_002,paid,2026-01-01,USD,1.234,1.23",      // 6 more decimals than USD has
                "in_002,cus_002,paid,2026-01-01,USD,5.00,5.00");        // 7 good

        ImportResult r = importDir(dir);

        assertThat(r.files().get("customers.csv")).isEqualTo(new ImportCounts(7, 2, 4, 1));
        assertThat(r.files().get("invoices.csv")).isEqualTo(new ImportCounts(6, 2, 4, 0));
        assertThat(store.jdbc().queryForList("SELECT customer_id FROM customers ORDER BY customer_id", String.class))
                .containsExactly("cus_001", "cus_002");
        assertThat(store.jdbc().queryForList("SELECT invoice_id FROM invoices ORDER BY invoice_id", String.class))
                .containsExactly("in_001", "in_002");
        assertThat(store.jdbc().queryForObject("SELECT name FROM customers WHERE customer_id = 'cus_001'", String.class))
                .isEqualTo("Acme");

        List<RejectedRow> rows = rejected(r.importId());
        assertThat(rows).extracting(RejectedRow::file, RejectedRow::line, RejectedRow::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple("customers.csv", 3L, "customer_id"),
                org.assertj.core.groups.Tuple.tuple("customers.csv", 4L, "currency"),
                org.assertj.core.groups.Tuple.tuple("customers.csv", 5L, "customer_id"),
                org.assertj.core.groups.Tuple.tuple("customers.csv", 7L, "name"),
                org.assertj.core.groups.Tuple.tuple("invoices.csv", 3L, "created_at"),
                org.assertj.core.groups.Tuple.tuple("invoices.csv", 4L, "subtotal"),
                org.assertj.core.groups.Tuple.tuple("invoices.csv", 5L, "customer_id"),
                org.assertj.core.groups.Tuple.tuple("invoices.csv", 6L, "subtotal"));
        assertThat(rows.get(0).reason()).contains("required");
        assertThat(rows.get(1).reason()).contains("unknown currency 'XYZ'");
        assertThat(rows.get(2).reason()).isEqualTo("duplicate id with different content than customers.csv:2");
        assertThat(rows.get(2).raw()).isEqualTo("cus_001,Acme Renamed,EUR");
        assertThat(rows.get(3).reason()).contains("invalid UTF-8");
        assertThat(rows.get(4).reason()).contains("2026-02-30");
        assertThat(rows.get(5).reason()).contains("ten");
        assertThat(rows.get(6).reason()).isEqualTo("customer_id 'cus_missing' not found in customers");
        assertThat(rows.get(6).raw()).isEqualTo("in_orphan,cus_missing,paid,2026-01-01,EUR,1.00,1.00");
        assertThat(rows.get(7).reason()).contains("more decimals");

        // the same bad rows seen again are counted again but stored once
        ImportResult again = importDir(dir);
        assertThat(again.total()).isEqualTo(new ImportCounts(13, 0, 8, 5));
        assertThat(count("rejected_rows")).isEqualTo(8);
    }

    @Test
    void duplicatesAndConflictsAreFoundWithinABatchAndAcrossBatches() {
        Path dir = tmp.resolve("batches");
        write(dir, "customers.csv", "customer_id,name,currency",
                "cus_1,One,USD",     // 2
                "cus_1,One,USD",     // 3 duplicate in the same batch
                "cus_2,Two,USD",     // 4
                "cus_1,Uno,USD",     // 5 conflict with line 2, in a later batch
                "cus_2,Two,USD",     // 6 duplicate of a row committed by an earlier batch
                "cus_3,Three,USD",   // 7
                "cus_3,Tres,USD");   // 8 conflict within the same batch

        ImportResult r = new Importer(store, 2, Importer.Listener.NONE).importDirectory(dir);

        assertThat(r.files().get("customers.csv")).isEqualTo(new ImportCounts(7, 3, 2, 2));
        assertThat(rejected(r.importId())).extracting(RejectedRow::line, RejectedRow::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5L, "duplicate id with different content than customers.csv:2"),
                org.assertj.core.groups.Tuple.tuple(8L, "duplicate id with different content than customers.csv:7"));
    }

    @Test
    void optionalReferencesMustResolveWhenGiven() {
        Path dir = tmp.resolve("refs");
        write(dir, "customers.csv", "customer_id,currency", "cus_1,USD");
        write(dir, "invoices.csv", "invoice_id,customer_id,subscription_id,status,created_at,currency,subtotal,total",
                "in_1,cus_1,,paid,2026-01-01,USD,1.00,1.00",
                "in_2,cus_1,sub_missing,paid,2026-01-01,USD,1.00,1.00");

        ImportResult r = importDir(dir);

        assertThat(r.files().get("invoices.csv")).isEqualTo(new ImportCounts(2, 1, 1, 0));
        assertThat(rejected(r.importId())).singleElement().satisfies(row -> {
            assertThat(row.column()).isEqualTo("subscription_id");
            assertThat(row.reason()).isEqualTo("subscription_id 'sub_missing' not found in subscriptions");
        });
    }

    @Test
    void aMissingRequiredHeaderColumnFailsBeforeAnyRowIsWritten() {
        Path dir = tmp.resolve("format");
        write(dir, "customers.csv", "customer_id,currency", "cus_1,USD");
        write(dir, "invoices.csv", "invoice_id,status,created_at,currency,subtotal,total", "in_1,paid,2026-01-01,USD,1,1");

        assertThatThrownBy(() -> importDir(dir)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("invoices.csv").hasMessageContaining("customer_id");
        assertThat(count("customers")).isZero();
    }

    @Test
    void rejectedRowsExportAsCsvWithFormulaCellsNeutralised() throws Exception {
        Path dir = tmp.resolve("csv");
        write(dir, "customers.csv", "customer_id,name,currency", "=1+2,Evil,ZZZ", "@cmd,x,QQQ");
        ImportResult r = importDir(dir);

        StringWriter out = new StringWriter();
        RejectedRowsCsv csv = new RejectedRowsCsv(out);
        csv.header();
        for (RejectedRow row : rejected(r.importId())) csv.row(row);

        String[] lines = out.toString().split("\r\n");
        assertThat(lines[0]).isEqualTo("import_id,file,line,column,reason,raw");
        assertThat(lines[1]).isEqualTo(r.importId() + ",customers.csv,2,currency,unknown currency 'ZZZ',"
                + "\"'=1+2,Evil,ZZZ\"");
        assertThat(lines[2]).isEqualTo(r.importId() + ",customers.csv,3,currency,unknown currency 'QQQ',\"'@cmd,x,QQQ\"");
    }

    /** The shipped example directories, found from the module directory or the repository root. */
    static Path example(String name) {
        for (Path p : List.of(Path.of("examples", name), Path.of("..", "examples", name))) {
            if (java.nio.file.Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException("examples/" + name + " not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void shippedSmallExampleImportsCleanlyAndThenOnlyAsDuplicates() {
        ImportResult first = importDir(example("small"));
        assertThat(first.total().rejected()).isZero();
        assertThat(first.total().duplicates()).isZero();
        assertThat(first.total().imported()).isEqualTo(first.total().read()).isPositive();
        assertThat(first.files()).hasSize(EntityKind.values().length);

        ImportResult second = importDir(example("small"));
        assertThat(second.total()).isEqualTo(new ImportCounts(first.total().read(), 0, 0, first.total().read()));
    }

    @Test
    void shippedBadExampleMatchesTheCountsItsReadmeDocuments() {
        ImportResult r = importDir(example("bad"));
        // examples/README.md: the expected counts per file
        assertThat(r.files().get("customers.csv")).isEqualTo(new ImportCounts(8, 3, 4, 1));
        assertThat(r.files().get("invoices.csv")).isEqualTo(new ImportCounts(7, 2, 5, 0));
        assertThat(r.files().get("invoice_lines.csv")).isEqualTo(new ImportCounts(2, 2, 0, 0));
        assertThat(r.files().get("payments.csv")).isEqualTo(new ImportCounts(2, 2, 0, 0));
        assertThat(r.total()).isEqualTo(new ImportCounts(19, 9, 9, 1));
        List<RejectedRow> bad = rejected(r.importId());
        assertThat(bad).hasSize(9);
        assertThat(bad).allSatisfy(row -> {
            assertThat(row.file()).isIn("customers.csv", "invoices.csv");
            assertThat(row.line()).isGreaterThan(1);
            assertThat(row.reason()).isNotBlank();
        });
    }
}
