package io.leakdetector.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Invoice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * examples/bad mixes good rows with one bad row of each kind (examples/README.md). The reader rejects every
 * single-row problem with file, line, column and reason; duplicates and references are the importer's to judge,
 * so here they must come through as accepted rows with the keys and content hashes the importer relies on.
 */
class BadExampleTest {
    private static final Path DIR = RepoFiles.path("examples/bad");

    @Test
    void customers() {
        Collect<Customer> c = Collect.read(DIR.resolve("customers.csv"), Schemas.of(EntityKind.CUSTOMERS, Customer.class));
        assertThat(c.rejected).extracting(Rejection::file, Rejection::line, Rejection::column, Rejection::reason)
                .containsExactly(
                        tuple("customers.csv", 4L, "name", "invalid UTF-8 bytes"),
                        tuple("customers.csv", 5L, "currency", "unknown currency 'USX'"),
                        tuple("customers.csv", 9L, "customer_id", "required value is missing"));
        assertThat(c.accepted).extracting(Parsed::key, Parsed::line).containsExactly(
                tuple("cus_101", 2L), tuple("cus_102", 3L), tuple("cus_101", 6L), tuple("cus_102", 7L), tuple("cus_105", 8L));
        // line 6 reuses cus_101 with another email: a conflicting duplicate; line 7 repeats line 3 exactly.
        assertThat(c.accepted.get(2).contentHash()).isNotEqualTo(c.accepted.get(0).contentHash());
        assertThat(c.accepted.get(3).contentHash()).isEqualTo(c.accepted.get(1).contentHash());
        assertThat(c.counts).isEqualTo(new DataFileReader.FileCounts(8, 5, 3));
        assertThat(c.rejected.get(0).raw()).startsWith("cus_103,Caf\uFFFD Roma");
    }

    @Test
    void invoices() {
        Collect<Invoice> c = Collect.read(DIR.resolve("invoices.csv"), Schemas.of(EntityKind.INVOICES, Invoice.class));
        assertThat(c.rejected).extracting(Rejection::file, Rejection::line, Rejection::column)
                .containsExactly(
                        tuple("invoices.csv", 3L, "created_at"),
                        tuple("invoices.csv", 4L, "total"),
                        tuple("invoices.csv", 5L, "subtotal"),
                        tuple("invoices.csv", 7L, null));
        assertThat(c.rejected).extracting(Rejection::reason).containsExactly(
                "not a valid date/time: '2026-02-30T00:05:00Z'",
                "not a number: '40.O0'",
                "'49.001' has more decimals than USD allows (2)",
                "expected 14 fields, found 15");
        // in_105 names cus_999, which no file holds: the importer rejects it, the reader cannot know.
        assertThat(c.accepted).extracting(Parsed::key).containsExactly("in_101", "in_105", "in_107");
        assertThat(c.records().get(1).customerId()).isEqualTo("cus_999");
        assertThat(c.counts).isEqualTo(new DataFileReader.FileCounts(7, 3, 4));
    }

    @Test
    void theOtherFilesHoldOnlyGoodRows() throws Exception {
        int files = 0;
        for (EntityKind kind : EntityKind.values()) {
            Path file = DIR.resolve(kind.fileName());
            if (!Files.exists(file) || kind == EntityKind.CUSTOMERS || kind == EntityKind.INVOICES) continue;
            Collect<?> c = Collect.read(file, kind.schema());
            assertThat(c.rejected).as(kind.fileName()).isEmpty();
            assertThat(c.accepted).as(kind.fileName()).hasSize(2);
            files++;
        }
        assertThat(files).isEqualTo(2);
    }
}
