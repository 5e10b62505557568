package io.leakdetector.app.remediation;

import io.leakdetector.app.store.DataVersion;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.security.AuditLog;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingsFile;
import io.leakdetector.core.finding.FindingStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recovery tracking: a finding becomes {@code recovered} when the money arrives, with the amount and the date it
 * arrived. What counts as money arriving (docs/remediation.md): for FAILED_PAYMENT a successful payment of the
 * invoice after its last decline (or the invoice now paid); for MISSED_INVOICE a paid invoice of that subscription
 * for that month; for PRICE_MISMATCH and EXPIRED_DISCOUNT a later paid invoice of the same subscription and period
 * (the corrected invoice). Runs after every import (command line and upload), API ingest, real-time event and
 * provider webhook; needs no Spring, so the command line runs it too.
 */
public final class Recoveries {
    private final JdbcClient jdbc;
    private final FindingRepository findings;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final OutboundWebhooks outbound;

    public Recoveries(JdbcClient jdbc, TransactionTemplate tx) {
        this(jdbc, tx, null);
    }

    /** Recoveries that also tell webhook subscribers ({@code finding.updated}); {@code outbound} may be null. */
    public Recoveries(JdbcClient jdbc, TransactionTemplate tx, OutboundWebhooks outbound) {
        this.outbound = outbound;
        this.jdbc = jdbc;
        this.findings = new FindingRepository(jdbc);
        this.audit = new AuditLog(jdbc);
        this.tx = tx;
    }

    /** A recovery as stored. */
    public record Recovery(String findingId, Instant recoveredAt, long amountMinor, String currency, String source, String reference) {}

    /** Checks every finding that may still recover; returns the ones that did now. */
    public List<Recovery> sweep() {
        return check(jdbc.sql("SELECT id FROM findings WHERE status IN " + FindingRepository.MAY_RECOVER
                + " AND category IN ('FAILED_PAYMENT', 'MISSED_INVOICE', 'PRICE_MISMATCH', 'EXPIRED_DISCOUNT') ORDER BY id").query(String.class).list());
    }

    /**
     * Checks the findings about these invoices (and their subscriptions): after a few records arrived. The open findings
     * are read whole by their subject (no second read per finding), and the webhook subscriptions once per sweep; every
     * statement text is fixed, so PostgreSQL plans each once per connection.
     */
    public List<Recovery> sweepInvoices(Collection<String> invoiceIds) {
        java.util.Map<String, Finding> open = new java.util.LinkedHashMap<>();
        for (String inv : invoiceIds) {
            for (Finding f : findings.openAbout("invoice:" + inv)) open.putIfAbsent(f.id(), f);
            jdbc.sql("SELECT subscription_id, period_start FROM invoices WHERE invoice_id = ?").param(inv).query(rs -> {
                String sub = rs.getString(1);
                OffsetDateTime start = rs.getObject(2, OffsetDateTime.class);
                if (sub != null && start != null) {
                    String month = String.format("%04d-%02d", start.getYear(), start.getMonthValue());
                    for (Finding f : findings.openAbout("subscription:" + sub + "@" + month)) open.putIfAbsent(f.id(), f);
                }
            });
        }
        if (open.isEmpty()) return List.of();
        // Inside the caller's transaction (the real-time group commit) the finding just read is current; otherwise
        // markRecovered reads it again in its own transaction.
        boolean joined = TransactionSynchronizationManager.isActualTransactionActive();
        Subscribers subscribers = new Subscribers();
        List<Recovery> out = new ArrayList<>();
        for (Finding f : open.values()) {
            Optional<Recovery> r = arrived(f);
            if (r.isPresent() && Boolean.TRUE.equals(tx.execute(s -> joined ? markRecovered(r.get(), f, "system", subscribers)
                    : markRecovered(r.get(), "system")))) {
                out.add(r.get());
            }
        }
        return out;
    }

    private List<Recovery> check(List<String> findingIds) {
        List<Recovery> out = new ArrayList<>();
        for (String id : findingIds) {
            Optional<Finding> f = findings.find(id);
            if (f.isEmpty()) continue;
            Optional<Recovery> r = arrived(f.get());
            if (r.isPresent() && Boolean.TRUE.equals(tx.execute(s -> markRecovered(r.get(), "system")))) out.add(r.get());
        }
        return out;
    }

    /** The enabled webhook subscriptions, read at most once for all the recoveries of one sweep, and only if one recovers. */
    private final class Subscribers {
        private List<String[]> read;

        List<String[]> get() {
            if (read == null) read = outbound.enabled();
            return read;
        }
    }

    private Optional<Recovery> arrived(Finding f) {
        String cur = f.currency().getCurrencyCode();
        long owed = Math.max(f.amountOneTime().minor(), f.amountMonthlyRecurring().minor());
        switch (f.category()) {
            case FAILED_PAYMENT -> {
                String inv = f.subject().substring(f.subject().indexOf(':') + 1);
                // The successful payments after the invoice's last decline, in one statement (attempted_at is NOT NULL).
                List<Object[]> paid = jdbc.sql("SELECT p.amount_minor, p.attempted_at, p.payment_id FROM payments p WHERE p.invoice_id = ? "
                                + "AND p.status = 'succeeded' AND NOT EXISTS (SELECT 1 FROM payments d WHERE d.invoice_id = p.invoice_id "
                                + "AND d.status = 'failed' AND d.attempted_at >= p.attempted_at) ORDER BY p.attempted_at, p.payment_id")
                        .param(inv)
                        .query((rs, n) -> new Object[] {rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3)}).list();
                long sum = 0;
                for (Object[] p : paid) {
                    sum += (Long) p[0];
                    if (sum >= owed) {
                        return Optional.of(new Recovery(f.id(), ((OffsetDateTime) p[1]).toInstant(), owed, cur, "payment", "payment:" + p[2]));
                    }
                }
                Optional<Object[]> invoice = jdbc.sql("SELECT status, created_at FROM invoices WHERE invoice_id = ?").param(inv)
                        .query((rs, n) -> new Object[] {rs.getString(1), rs.getObject(2, OffsetDateTime.class)}).optional();
                if (invoice.isPresent() && "paid".equals(invoice.get()[0])) {
                    Instant at = paid.isEmpty() ? Instant.now() : ((OffsetDateTime) paid.get(paid.size() - 1)[1]).toInstant();
                    return Optional.of(new Recovery(f.id(), at, owed, cur, "invoice_paid", "invoice:" + inv));
                }
                return Optional.empty();
            }
            case MISSED_INVOICE -> {
                String rest = f.subject().substring("subscription:".length());
                int at = rest.lastIndexOf('@');
                if (at < 0) return Optional.empty();
                OffsetDateTime start = OffsetDateTime.parse(rest.substring(at + 1) + "-01T00:00:00Z");
                return paidInvoice(f, "subscription_id = ? AND period_start >= ? AND period_start < ?",
                        List.of(rest.substring(0, at), start, start.plusMonths(1)), owed, "late_invoice");
            }
            case PRICE_MISMATCH, EXPIRED_DISCOUNT -> {
                if (!f.subject().startsWith("invoice:")) return Optional.empty();
                String inv = f.subject().substring("invoice:".length());
                Optional<Object[]> orig = jdbc.sql("SELECT subscription_id, period_start, created_at FROM invoices WHERE invoice_id = ?").param(inv)
                        .query((rs, n) -> new Object[] {rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, OffsetDateTime.class)})
                        .optional();
                if (orig.isEmpty() || orig.get()[0] == null || orig.get()[1] == null) return Optional.empty();
                return paidInvoice(f, "subscription_id = ? AND period_start = ? AND created_at > ? AND invoice_id <> ?",
                        List.of(orig.get()[0], orig.get()[1], orig.get()[2], inv), owed, "corrected_invoice");
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private Optional<Recovery> paidInvoice(Finding f, String where, List<Object> args, long owed, String source) {
        return jdbc.sql("SELECT invoice_id, amount_paid_minor, created_at FROM invoices WHERE " + where
                        + " AND status = 'paid' AND amount_paid_minor > 0 AND currency = ? ORDER BY created_at")
                .params(concat(args, f.currency().getCurrencyCode()))
                .query((rs, n) -> new Recovery(f.id(), rs.getObject(3, OffsetDateTime.class).toInstant(), Math.min(owed, rs.getLong(2)),
                        f.currency().getCurrencyCode(), source, "invoice:" + rs.getString(1)))
                .list().stream().findFirst();
    }

    private static List<Object> concat(List<Object> a, Object b) {
        List<Object> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    /**
     * Stores the recovery, moves the finding to {@code recovered} with history and audit, and cancels its actions
     * that have not run. False when the finding was already recovered or dismissed. Runs in the caller's transaction.
     */
    public boolean markRecovered(Recovery r, String actor) {
        Optional<Finding> f = findings.find(r.findingId());
        return f.isPresent() && markRecovered(r, f.get(), actor);
    }

    /** {@link #markRecovered(Recovery, String)} of a finding just read in the caller's transaction. */
    private boolean markRecovered(Recovery r, Finding f, String actor) {
        return markRecovered(r, f, actor, new Subscribers());
    }

    private boolean markRecovered(Recovery r, Finding f, String actor, Subscribers subscribers) {
        if (f.status() == FindingStatus.RECOVERED || f.status() == FindingStatus.DISMISSED) return false;
        record(r);
        String note = "recovered " + r.amountMinor() + " minor " + r.currency() + " (" + r.source() + (r.reference() == null ? "" : " " + r.reference()) + ")";
        findings.changeStatus(r.findingId(), f.status(), FindingStatus.RECOVERED, actor, note);
        audit.recordAs(actor, "finding.recovered", "finding", r.findingId(), f.status().wire() + " -> recovered: " + note);
        int cancelled = jdbc.sql("UPDATE remediation_actions SET status = 'cancelled', outcome = 'finding recovered', finished_at = ?, updated_at = ? "
                        + "WHERE finding_id = ? AND status IN ('pending_approval', 'scheduled')")
                .params(Timestamp.from(Instant.now()), Timestamp.from(Instant.now()), r.findingId()).update();
        if (cancelled > 0) audit.recordAs(actor, "action.cancelled", "finding", r.findingId(), cancelled + " pending actions cancelled: finding recovered");
        if (outbound != null) {
            List<String[]> subs = subscribers.get(); // the finding is read again only when someone listens
            if (!subs.isEmpty()) {
                findings.find(r.findingId()).ifPresent(now -> outbound.publish(subs, "finding.updated", () -> FindingsFile.toJson(now)));
            }
        }
        return true;
    }

    /** Stores the recovery row alone (the caller changes the status): an analyst's "recovered" through the status API. */
    public void record(Recovery r) {
        DataVersion.bump();
        // One statement: a finding recovered before keeps its first recovery.
        jdbc.sql("INSERT INTO recoveries (finding_id, recovered_at, amount_minor, currency, source, reference) VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(r.findingId(), Timestamp.from(r.recoveredAt()), r.amountMinor(), r.currency(), r.source(), r.reference()).update();
    }

    /** The analyst's recovery of a finding: its leaked amount, now. */
    public static Recovery byAnalyst(Finding f, String actor) {
        return new Recovery(f.id(), Instant.now(), Math.max(f.amountOneTime().minor(), f.amountMonthlyRecurring().minor()),
                f.currency().getCurrencyCode(), "analyst", actor);
    }

    /** Money recovered in one UTC calendar month, per currency (minor units), and how many findings it closed. */
    public record Month(java.time.YearMonth month, long count, java.util.Map<String, Long> amountMinorByCurrency) {}

    /** Recovered revenue per month for the last {@code months} months, this one included, oldest first. */
    public List<Month> monthly(int months) {
        java.time.YearMonth now = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        java.time.YearMonth first = now.minusMonths(months - 1L);
        java.util.Map<java.time.YearMonth, long[]> counts = new java.util.TreeMap<>();
        java.util.Map<java.time.YearMonth, java.util.Map<String, Long>> sums = new java.util.TreeMap<>();
        for (int i = 0; i < months; i++) {
            counts.put(first.plusMonths(i), new long[1]);
            sums.put(first.plusMonths(i), new java.util.TreeMap<>());
        }
        jdbc.sql("SELECT recovered_at, currency, amount_minor FROM recoveries WHERE recovered_at >= ?")
                .param(first.atDay(1).atStartOfDay().atOffset(java.time.ZoneOffset.UTC))
                .query(rs -> {
                    java.time.YearMonth m = java.time.YearMonth.from(rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(java.time.ZoneOffset.UTC));
                    if (!counts.containsKey(m)) return;
                    counts.get(m)[0]++;
                    sums.get(m).merge(rs.getString(2).strip(), rs.getLong(3), Math::addExact);
                });
        List<Month> out = new ArrayList<>();
        for (var e : sums.entrySet()) out.add(new Month(e.getKey(), counts.get(e.getKey())[0], e.getValue()));
        return out;
    }

    public Optional<Recovery> of(String findingId) {
        return jdbc.sql("SELECT finding_id, recovered_at, amount_minor, currency, source, reference FROM recoveries WHERE finding_id = ?")
                .param(findingId)
                .query((rs, n) -> new Recovery(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getLong(3),
                        rs.getString(4).strip(), rs.getString(5), rs.getString(6)))
                .optional();
    }
}
