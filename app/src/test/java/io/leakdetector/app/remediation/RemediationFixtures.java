package io.leakdetector.app.remediation;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Confidence;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Billing rows and findings for remediation tests, written straight to the store with fixed epoch times. */
final class RemediationFixtures {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private RemediationFixtures() {}

    static void customer(JdbcClient jdbc, String id, String email) {
        jdbc.sql("INSERT INTO customers (customer_id, name, email, currency, source_file, source_line, content_hash, import_id) "
                + "VALUES (?, ?, ?, 'USD', 'test', 1, 1, 0)").params(id, "Customer " + id, email).update();
    }

    static void invoice(JdbcClient jdbc, String id, String customer, String status, long totalMinor, long paidMinor) {
        jdbc.sql("INSERT INTO invoices (invoice_id, customer_id, status, created_at, currency, subtotal_minor, discount_minor, tax_minor, "
                        + "total_minor, amount_paid_minor, source_file, source_line, content_hash, import_id) VALUES (?, ?, ?, ?, 'USD', ?, 0, 0, ?, ?, 'test', 1, 1, 0)")
                .params(id, customer, status, Timestamp.from(T0), totalMinor, totalMinor, paidMinor).update();
    }

    static void payment(JdbcClient jdbc, String id, String invoice, String customer, Instant at, long amountMinor, String status, String declineCode) {
        jdbc.sql("INSERT INTO payments (payment_id, invoice_id, customer_id, attempted_at, currency, amount_minor, status, decline_code, attempt, "
                        + "source_file, source_line, content_hash, import_id) VALUES (?, ?, ?, ?, 'USD', ?, ?, ?, 1, 'test', 1, 1, 0)")
                .params(id, invoice, customer, Timestamp.from(at), amountMinor, status, declineCode).update();
    }

    /** An unpaid invoice of 49.00 USD with one declined attempt, and its FAILED_PAYMENT finding. */
    static Finding failedPayment(JdbcClient jdbc, String invoice, String customer, String declineCode) {
        invoice(jdbc, invoice, customer, "open", 4900, 0);
        payment(jdbc, "py_" + invoice, invoice, customer, T0.plusSeconds(3600), 4900, "failed", declineCode);
        Finding f = new Finding("f_" + invoice, Category.FAILED_PAYMENT, Kind.LEAK, "invoice:" + invoice, customer,
                new Money(4900, Currencies.of("USD")), Money.zero(Currencies.of("USD")), Currencies.of("USD"), 0.95, Confidence.HIGH,
                T0.plusSeconds(86400 * 15), List.of(new Evidence("declined attempts", "a successful payment", "1 declined", List.of("test:1"))),
                "Invoice " + invoice + " is still unpaid", "retry", FindingStatus.OPEN, List.of("unpaid_after_decline"));
        new FindingRepository(jdbc).save(List.of(f));
        return f;
    }
}
