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
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
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
    static final String OPEN = "('open', 'acknowledged', 'in_remediation')";
    private static final List<FindingStatus> OPEN_STATUSES = List.of(FindingStatus.OPEN, FindingStatus.ACKNOWLEDGED, FindingStatus.IN_REMEDIATION);
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
        return check(jdbc.sql("SELECT id FROM findings WHERE status IN " + OPEN
                + " AND category IN ('FAILED_PAYMENT', 'MISSED_INVOICE', 'PRICE_MISMATCH', 'EXPIRED_DISCOUNT') ORDER BY id").query(String.class).list());
    }

    /**
     * Checks the findings about these invoices (and their subscriptions): after a few records arrived. One statement
     * reads the invoices' subscription months and one the open findings about them, whatever the number of invoices
     * (the real-time writer sweeps every invoice of a group commit at once).
     */
    public List<Recovery> sweepInvoices(Collection<String> invoiceIds) {
        if (invoiceIds.isEmpty()) return List.of();
        Set<String> subjects = new LinkedHashSet<>();
        for (String inv : invoiceIds) subjects.add("invoice:" + inv);
        jdbc.sql("SELECT i.subscription_id, i.period_start FROM UNNEST(?) AS k(id) JOIN invoices i ON i.invoice_id = k.id")
                .param(new SqlArrayValue("VARCHAR", new LinkedHashSet<>(invoiceIds).toArray())).query(rs -> {
                    String sub = rs.getString(1);
                    OffsetDateTime start = rs.getObject(2, OffsetDateTime.class);
                    if (sub != null && start != null) {
                        subjects.add("subscription:" + sub + "@" + String.format("%04d-%02d", start.getYear(), start.getMonthValue()));
                    }
                });
        List<Finding> open = findings.about(subjects, OPEN_STATUSES);
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // Inside the caller's transaction (the real-time group commit) the findings just read are current: the
            // ones whose money arrived are moved together.
            List<Recovered> arrived = new ArrayList<>();
            for (Finding f : open) arrived(f).ifPresent(r -> arrived.add(new Recovered(r, f)));
            return markRecovered(arrived, "system");
        }
        return check(open.stream().map(Finding::id).toList());
    }

    /** A recovery and its finding as read in the caller's transaction. */
    private record Recovered(Recovery recovery, Finding finding) {}

    private List<Recovery> check(List<String> findingIds) {
        List<Recovery> out = new ArrayList<>();
        for (String id : findingIds) {
            Optional<Finding> f = findings.find(id);
            if (f.isEmpty()) continue;
            Optional<Recovery> r = arrived(f.get());
            // markRecovered reads the finding again in its own transaction
            if (r.isPresent() && tx.execute(s -> markRecovered(r.get(), "system"))) out.add(r.get());
        }
        return out;
    }

    private Optional<Recovery> arrived(Finding f) {
        String cur = f.currency().getCurrencyCode();
        long owed = Math.max(f.amountOneTime().minor(), f.amountMonthlyRecurring().minor());
        switch (f.category()) {
            case FAILED_PAYMENT -> {
                String inv = f.subject().substring(f.subject().indexOf(':') + 1);
                OffsetDateTime lastFailed = jdbc.sql("SELECT MAX(attempted_at) FROM payments WHERE invoice_id = ? AND status = 'failed'")
                        .param(inv).query(OffsetDateTime.class).optional().orElse(null);
                List<Object[]> paid = jdbc.sql("SELECT amount_minor, attempted_at, payment_id FROM payments WHERE invoice_id = ? AND status = 'succeeded'"
                                + (lastFailed == null ? "" : " AND attempted_at > ?") + " ORDER BY attempted_at, payment_id")
                        .params(lastFailed == null ? List.of(inv) : List.of(inv, lastFailed))
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
        return !markRecovered(List.of(new Recovered(r, f)), actor).isEmpty();
    }

    /**
     * Stores the recoveries, moves their findings to {@code recovered} with history and audit, and cancels their
     * actions that have not run, with one statement per kind of row for all of them; skips findings already
     * recovered or dismissed and returns the recoveries stored. Runs in the caller's transaction.
     */
    private List<Recovery> markRecovered(List<Recovered> arrived, String actor) {
        List<Recovered> todo = new ArrayList<>();
        for (Recovered x : arrived) {
            FindingStatus st = x.finding().status();
            if (st != FindingStatus.RECOVERED && st != FindingStatus.DISMISSED) todo.add(x);
        }
        if (todo.isEmpty()) return List.of();
        List<String> ids = todo.stream().map(x -> x.finding().id()).toList();
        recordAll(todo.stream().map(Recovered::recovery).toList());
        List<FindingRepository.Move> moves = new ArrayList<>();
        List<AuditLog.Entry> entries = new ArrayList<>();
        for (Recovered x : todo) {
            Recovery r = x.recovery();
            String note = "recovered " + r.amountMinor() + " minor " + r.currency() + " (" + r.source() + (r.reference() == null ? "" : " " + r.reference()) + ")";
            moves.add(new FindingRepository.Move(r.findingId(), x.finding().status(), note));
            entries.add(new AuditLog.Entry("finding.recovered", "finding", r.findingId(), x.finding().status().wire() + " -> recovered: " + note));
        }
        findings.changeStatus(moves, FindingStatus.RECOVERED, actor);
        // Actions still to run: counted first (most recovered findings have none, and then nothing is updated).
        Map<String, Integer> pending = new LinkedHashMap<>();
        String waiting = " AND status IN ('pending_approval', 'scheduled')";
        jdbc.sql("SELECT finding_id, COUNT(*) FROM remediation_actions WHERE finding_id IN (" + marks(ids.size()) + ")" + waiting + " GROUP BY finding_id")
                .params(new ArrayList<Object>(ids)).query(rs -> {
                    pending.put(rs.getString(1), rs.getInt(2));
                });
        if (!pending.isEmpty()) {
            List<Object> args = new ArrayList<>(List.of(Timestamp.from(Instant.now()), Timestamp.from(Instant.now())));
            args.addAll(pending.keySet());
            jdbc.sql("UPDATE remediation_actions SET status = 'cancelled', outcome = 'finding recovered', finished_at = ?, updated_at = ? "
                    + "WHERE finding_id IN (" + marks(pending.size()) + ")" + waiting).params(args).update();
            for (String id : ids) {
                Integer n = pending.get(id);
                if (n != null) entries.add(new AuditLog.Entry("action.cancelled", "finding", id, n + " pending actions cancelled: finding recovered"));
            }
        }
        audit.recordAllAs(actor, entries);
        if (outbound != null) {
            List<String[]> subscribers = outbound.enabled(); // the findings are read again only when someone listens
            if (!subscribers.isEmpty()) {
                for (String id : ids) {
                    findings.find(id).ifPresent(now -> outbound.publish(subscribers, "finding.updated", () -> FindingsFile.toJson(now)));
                }
            }
        }
        return todo.stream().map(Recovered::recovery).toList();
    }

    /** Stores the recovery rows of findings that have none yet: one look-up and one multi-row INSERT. */
    private void recordAll(List<Recovery> rs) {
        DataVersion.bump();
        Set<String> have = new HashSet<>(jdbc.sql("SELECT finding_id FROM recoveries WHERE finding_id IN (" + marks(rs.size()) + ")")
                .params(new ArrayList<Object>(rs.stream().map(Recovery::findingId).toList())).query(String.class).list());
        List<Object> args = new ArrayList<>();
        int rows = 0;
        for (Recovery r : rs) {
            if (!have.add(r.findingId())) continue;
            args.addAll(Arrays.asList(r.findingId(), Timestamp.from(r.recoveredAt()), r.amountMinor(), r.currency(), r.source(), r.reference()));
            rows++;
        }
        if (rows == 0) return;
        jdbc.sql("INSERT INTO recoveries (finding_id, recovered_at, amount_minor, currency, source, reference) VALUES "
                + String.join(", ", Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?)"))).params(args).update();
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Stores the recovery row alone (the caller changes the status): an analyst's "recovered" through the status API. */
    public void record(Recovery r) {
        recordAll(List.of(r));
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
