package io.leakdetector.core.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.core.ingest.FileFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files are read as soon as the files they reference are in (not in waves): the reference columns still share the
 * referenced file's id Strings, and when several files are broken the error names the same one on every run, the
 * one the waves named (least deep first).
 */
class DataDirectoryLoaderTest {
    @TempDir
    Path dir;

    private static final String CUSTOMERS = "customer_id,currency\ncus_1,USD\ncus_2,EUR\n";
    private static final String SUBSCRIPTIONS = "subscription_id,customer_id,price_id,status,started_at\n"
            + "sub_1,cus_1,price_1,active,2026-01-01\nsub_2,cus_2,price_1,active,2026-01-01\n";
    private static final String INVOICES = "invoice_id,customer_id,subscription_id,status,created_at,currency,subtotal,total\n"
            + "in_1,cus_1,sub_1,paid,2026-01-01T00:05:00Z,USD,10.00,10.00\n"
            + "in_2,cus_2,sub_2,paid,2026-01-01T00:05:00Z,EUR,10.00,10.00\n"
            + "in_3,cus_1,sub_1,paid,2026-02-01T00:05:00Z,USD,10.00,10.00\n";

    @Test
    void referenceColumnsShareTheReferencedFilesIdsAcrossDepths() throws IOException {
        Files.writeString(dir.resolve("customers.csv"), CUSTOMERS);
        Files.writeString(dir.resolve("subscriptions.csv"), SUBSCRIPTIONS);
        Files.writeString(dir.resolve("invoices.csv"), INVOICES);
        Files.writeString(dir.resolve("invoice_lines.csv"), "line_id,invoice_id,kind,currency,unit_amount,amount\n"
                + "il_1,in_1,subscription,USD,10.00,10.00\nil_2,in_2,subscription,EUR,10.00,10.00\n"
                + "il_3,in_3,subscription,USD,10.00,10.00\nil_4,in_3,subscription,USD,10.00,10.00\n");
        for (int run = 0; run < 5; run++) {
            LoadedData d = DataDirectoryLoader.load(dir, 2);
            assertThat(d.invoices()).hasSize(3);
            assertThat(d.invoices().get(2).customerId()).isSameAs(d.customers().get(0).id());
            assertThat(d.invoices().get(1).subscriptionId()).isSameAs(d.subscriptions().get(1).id());
            assertThat(d.invoiceLines().get(3).invoiceId()).isSameAs(d.invoices().get(2).id());
            assertThat(d.invoiceLines().get(3).source()).isEqualTo("invoice_lines.csv:5");
        }
    }

    @Test
    void theLeastDeepBrokenFileIsNamedEveryTime() throws IOException {
        Files.writeString(dir.resolve("customers.csv"), CUSTOMERS);
        Files.writeString(dir.resolve("subscriptions.csv"), "subscription_id,price_id,status,started_at\nsub_1,price_1,active,2026-01-01\n");
        Files.writeString(dir.resolve("invoices.csv"), "invoice_id,status,created_at,currency,subtotal,total\n"
                + "in_1,paid,2026-01-01T00:05:00Z,USD,10.00,10.00\n");
        for (int run = 0; run < 5; run++) {
            assertThatThrownBy(() -> DataDirectoryLoader.load(dir, 2))
                    .isInstanceOf(FileFormatException.class)
                    .hasMessageContaining("subscriptions.csv").hasMessageContaining("customer_id");
        }
    }
}
