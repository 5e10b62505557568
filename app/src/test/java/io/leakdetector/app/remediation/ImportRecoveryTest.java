package io.leakdetector.app.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.cli.Main;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line's import drives remediation without a server: new findings become durable {@code finding.created}
 * deliveries for subscribers, and a later import that brings the payment marks the finding recovered.
 */
class ImportRecoveryTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static void write(Path dir, String file, String... lines) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), String.join("\n", lines) + "\n");
    }

    @Test
    void aPaymentImportedLaterRecoversTheFindingAndNewFindingsAreQueuedForSubscribers() throws IOException {
        Path db = tmp.resolve("db");
        try (Store store = Store.open(StoreSettings.h2(db))) {
            new OutboundWebhooks(store.client(), Jobs.over(store.dataSource()), null, java.time.Clock.systemUTC())
                    .subscribe("https://hooks.example.com/leaks", java.util.List.of("finding.created"), "admin");
        }
        Path first = tmp.resolve("first");
        write(first, "customers.csv", "customer_id,name,email,currency", "cus_1,One,one@example.com,USD");
        write(first, "invoices.csv", "invoice_id,customer_id,subscription_id,status,created_at,period_start,period_end,currency,subtotal,discount,tax,total,amount_paid,billing_reason",
                "in_1,cus_1,,open,2026-01-01T00:00:00Z,,,USD,49.00,0.00,0.00,49.00,0.00,manual",
                "in_2,cus_1,,paid,2026-02-01T00:00:00Z,,,USD,10.00,0.00,0.00,10.00,10.00,manual");
        write(first, "payments.csv", "payment_id,invoice_id,customer_id,attempted_at,currency,amount,status,decline_code,payment_method_id,attempt",
                "py_1,in_1,cus_1,2026-01-02T00:00:00Z,USD,49.00,failed,insufficient_funds,,1",
                "py_2,in_2,cus_1,2026-02-01T01:00:00Z,USD,10.00,succeeded,,,1");
        assertThat(run("import", first.toString(), "--data", db.toString())).as(err.toString()).isZero();

        try (Store store = Store.open(StoreSettings.h2(db))) {
            var jdbc = store.client();
            assertThat(jdbc.sql("SELECT status FROM findings WHERE subject = 'invoice:in_1' AND category = 'FAILED_PAYMENT'")
                    .query(String.class).single()).isEqualTo("open");
            long created = jdbc.sql("SELECT COUNT(*) FROM webhook_deliveries WHERE event = 'finding.created' AND payload LIKE '%invoice:in_1%'")
                    .query(Long.class).single();
            assertThat(created).isEqualTo(1L);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ?").param(Jobs.DELIVERY_TASK).query(Long.class).single())
                    .isGreaterThanOrEqualTo(1L);
        }

        Path second = tmp.resolve("second");
        write(second, "payments.csv", "payment_id,invoice_id,customer_id,attempted_at,currency,amount,status,decline_code,payment_method_id,attempt",
                "py_3,in_1,cus_1,2026-02-03T00:00:00Z,USD,49.00,succeeded,,,2");
        assertThat(run("import", second.toString(), "--data", db.toString())).as(err.toString()).isZero();

        try (Store store = Store.open(StoreSettings.h2(db))) {
            var jdbc = store.client();
            String id = jdbc.sql("SELECT id FROM findings WHERE subject = 'invoice:in_1' AND category = 'FAILED_PAYMENT'").query(String.class).single();
            assertThat(jdbc.sql("SELECT status FROM findings WHERE id = ?").param(id).query(String.class).single()).isEqualTo("recovered");
            Recoveries.Recovery r = new Recoveries(jdbc, store.tx()).of(id).orElseThrow();
            assertThat(r.amountMinor()).isEqualTo(4900L);
            assertThat(r.recoveredAt()).isEqualTo(java.time.Instant.parse("2026-02-03T00:00:00Z"));
            assertThat(r.reference()).isEqualTo("payment:py_3");
        }
    }
}
