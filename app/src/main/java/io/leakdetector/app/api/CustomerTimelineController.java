package io.leakdetector.app.api;

import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A customer's history in time order: subscriptions, invoices, payments, refunds, disputes, credit notes, usage, findings. */
@RestController
@Tag(name = "customers")
public class CustomerTimelineController {
    private final JdbcClient jdbc;

    CustomerTimelineController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One thing that happened: when, what, its id, its money (when it has some), its status and a short detail. */
    public record Entry(Instant at, String type, String id, String currency, String amount, String status, String detail) {}

    public record Timeline(String customer_id, String name, String currency, List<Entry> entries) {}

    @GetMapping("/api/v1/customers/{id}/timeline")
    @Operation(summary = "A customer's timeline: invoices, payments, refunds, disputes, credit notes, usage, subscriptions, findings")
    public Timeline timeline(@PathVariable String id) {
        List<Entry> e = new ArrayList<>();
        add(e, "SELECT created_at, 'invoice', invoice_id, currency, total_minor, status, billing_reason FROM invoices WHERE customer_id = ?", id);
        add(e, "SELECT attempted_at, 'payment', payment_id, currency, amount_minor, status, decline_code FROM payments WHERE customer_id = ?", id);
        add(e, "SELECT r.created_at, 'refund', r.refund_id, r.currency, r.amount_minor, r.status, r.reason FROM refunds r "
                + "JOIN payments p ON p.payment_id = r.payment_id WHERE p.customer_id = ?", id);
        add(e, "SELECT d.created_at, 'dispute', d.dispute_id, d.currency, d.amount_minor, d.status, d.reason FROM disputes d "
                + "JOIN payments p ON p.payment_id = d.payment_id WHERE p.customer_id = ?", id);
        add(e, "SELECT created_at, 'credit_note', credit_note_id, currency, amount_minor, CAST(NULL AS VARCHAR(16)), reason FROM credit_notes WHERE customer_id = ?", id);
        add(e, "SELECT started_at, 'subscription', subscription_id, CAST(NULL AS CHAR(3)), CAST(NULL AS BIGINT), status, price_id FROM subscriptions WHERE customer_id = ?", id);
        add(e, "SELECT period_start, 'usage', usage_id, CAST(NULL AS CHAR(3)), CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR(16)), "
                + "metric || ' ' || CAST(quantity AS VARCHAR(40)) FROM usage_records WHERE customer_id = ?", id);
        add(e, "SELECT detected_at, 'finding', id, currency, CASE WHEN amount_recurring_minor > 0 THEN amount_recurring_minor ELSE amount_one_time_minor END, "
                + "status, category FROM findings WHERE customer_id = ?", id);
        var customer = jdbc.sql("SELECT name, currency FROM customers WHERE customer_id = ?").param(id)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).optional();
        if (customer.isEmpty() && e.isEmpty()) throw ApiException.notFound("customer", id);
        e.sort(Comparator.comparing(Entry::at, Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Entry::type).thenComparing(Entry::id));
        return new Timeline(id, customer.map(c -> c[0]).orElse(null), customer.map(c -> c[1] == null ? null : c[1].strip()).orElse(null), e);
    }

    private void add(List<Entry> out, String sql, String id) {
        out.addAll(jdbc.sql(sql).param(id).query(CustomerTimelineController::entry).list());
    }

    private static Entry entry(ResultSet rs, int n) throws SQLException {
        OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
        String cur = rs.getString(4) == null ? null : rs.getString(4).strip();
        long minor = rs.getLong(5);
        String amount = cur == null || rs.wasNull() ? null : new Money(minor, Currencies.of(cur)).toPlainString();
        return new Entry(at == null ? null : at.toInstant(), rs.getString(2), rs.getString(3), cur, amount, rs.getString(6), rs.getString(7));
    }
}
