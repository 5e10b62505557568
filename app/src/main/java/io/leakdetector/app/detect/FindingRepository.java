package io.leakdetector.app.detect;

import io.leakdetector.app.store.DataVersion;
import io.leakdetector.app.store.FindingChanges;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Confidence;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import io.leakdetector.core.util.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of the findings aggregate (V2__findings.sql): save findings from detection (one per subject and
 * category; an analyst's status survives a re-detection), read them, change their status with history.
 */
@Repository
public class FindingRepository {
    /** The statuses of a finding that may still recover, as an SQL list: open, acknowledged, in remediation. */
    public static final String MAY_RECOVER = "('open', 'acknowledged', 'in_remediation')";
    static final String COLUMNS = "id, category, kind, subject, customer_id, amount_one_time_minor, amount_recurring_minor, "
            + "currency, score, confidence, detected_at, status, explanation, recommended_action, evidence, matched_rules";
    private final JdbcClient jdbc;

    public FindingRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What saving one finding did: {@code new}, {@code updated} (content changed) or {@code unchanged}. */
    public record Saved(Finding finding, String change) {}

    /**
     * Inserts or refreshes findings (by id). A refresh keeps the stored status: detection re-running never undoes an
     * analyst's decision. Runs in the caller's transaction.
     */
    public List<Saved> save(List<Finding> findings) {
        List<String> ids = findings.stream().map(Finding::id).toList();
        FindingChanges.mark(ids);
        Map<String, Finding> stored = findAll(findings.stream().map(Finding::id).toList());
        Timestamp now = Timestamp.from(Instant.now());
        Map<String, Finding> firsts = new java.util.LinkedHashMap<>(); // an id twice in one batch: the second compares
        for (Finding f : findings) if (!stored.containsKey(f.id())) firsts.putIfAbsent(f.id(), f);
        List<Finding> fresh = new ArrayList<>(firsts.values());
        java.util.Set<String> inserted = new java.util.HashSet<>();
        for (int from = 0; from < fresh.size(); from += INSERT_ROWS) {
            List<Finding> chunk = fresh.subList(from, Math.min(fresh.size(), from + INSERT_ROWS));
            if (insertAll(chunk, now) == chunk.size()) chunk.forEach(f -> inserted.add(f.id()));
        }
        List<Saved> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Finding before = stored.get(f.id());
            if (inserted.remove(f.id())) {
                out.add(new Saved(f, "new"));
            } else if (before == null && (before = find(f.id()).orElse(null)) == null) {
                insert(f, now); // the multi-row insert met a row written meanwhile, and this one was not it
                out.add(new Saved(f, "new"));
            } else if (sameContent(before, f)) {
                out.add(new Saved(before, "unchanged"));
            } else {
                update(f, now);
                out.add(new Saved(find(f.id()).orElseThrow(), "updated"));
            }
        }
        FindingChanges.mark(ids); // again once written: a reader outside any transaction may have read them before
        return out;
    }

    /** The stored findings of these ids, by id (a query per few hundred ids). */
    private Map<String, Finding> findAll(List<String> ids) {
        Map<String, Finding> out = new java.util.HashMap<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            jdbc.sql("SELECT " + COLUMNS + " FROM findings WHERE id IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")
                    .params(new ArrayList<Object>(chunk)).query(FindingRepository::row).list().forEach(f -> out.put(f.id(), f));
        }
        return out;
    }

    /**
     * Writes findings the caller already compared with what is stored (the real-time path keeps them in memory): each
     * is inserted ({@code created}: new to the caller) or updated in place with its status kept ({@code updated}); when
     * the store says otherwise (another writer got there first), the other statement runs. One statement per finding
     * as a rule. Runs in the caller's transaction.
     */
    public void saveChanged(List<Finding> created, List<Finding> updated) {
        List<String> ids = java.util.stream.Stream.concat(created.stream(), updated.stream()).map(Finding::id).toList();
        FindingChanges.mark(ids);
        Timestamp now = Timestamp.from(Instant.now());
        for (int from = 0; from < created.size(); from += INSERT_ROWS) {
            List<Finding> chunk = created.subList(from, Math.min(created.size(), from + INSERT_ROWS));
            if (insertAll(chunk, now) < chunk.size()) {
                for (Finding f : chunk) update(f, now); // some were there already: bring them up to date
            }
        }
        for (Finding f : updated) {
            if (update(f, now) == 0) insert(f, now);
        }
        FindingChanges.mark(ids); // again once written: a reader outside any transaction may have read them before
    }

    private static final int INSERT_ROWS = 32;
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** One multi-row INSERT for new findings, skipping ids present already; returns how many were inserted. */
    private int insertAll(List<Finding> fs, Timestamp now) {
        List<Object> params = new ArrayList<>(fs.size() * 17);
        for (Finding f : fs) params.addAll(insertParams(f, now));
        return jdbc.sql("INSERT INTO findings (" + COLUMNS + ", updated_at) VALUES " + String.join(", ", java.util.Collections.nCopies(fs.size(), ROW))
                + " ON CONFLICT DO NOTHING").params(params).update();
    }

    private static List<Object> insertParams(Finding f, Timestamp now) {
        return java.util.Arrays.asList(f.id(), f.category().name(), f.kind().wire(), f.subject(), f.customerId(),
                f.amountOneTime().minor(), f.amountMonthlyRecurring().minor(), f.currency().getCurrencyCode(),
                f.score(), f.confidence().wire(), ts(f.detectedAt() == null ? Instant.now() : f.detectedAt()),
                f.status().wire(), nz(f.explanation()), f.recommendedAction(), evidenceJson(f.evidence()),
                Json.write(f.matchedRules()), now);
    }

    private int insert(Finding f, Timestamp now) {
        return jdbc.sql("INSERT INTO findings (" + COLUMNS + ", updated_at) VALUES " + ROW)
                .params(insertParams(f, now)).update();
    }

    private int update(Finding f, Timestamp now) {
        return jdbc.sql("UPDATE findings SET kind = ?, customer_id = ?, amount_one_time_minor = ?, amount_recurring_minor = ?, "
                        + "currency = ?, score = ?, confidence = ?, explanation = ?, recommended_action = ?, evidence = ?, "
                        + "matched_rules = ?, updated_at = ? WHERE id = ?")
                .params(f.kind().wire(), f.customerId(), f.amountOneTime().minor(), f.amountMonthlyRecurring().minor(),
                        f.currency().getCurrencyCode(), f.score(), f.confidence().wire(), nz(f.explanation()),
                        f.recommendedAction(), evidenceJson(f.evidence()), Json.write(f.matchedRules()), now, f.id())
                .update();
    }

    /** True when two findings say the same (status aside): re-detection that finds this changes nothing. */
    public static boolean sameContent(Finding a, Finding b) {
        return a.kind() == b.kind() && a.amountOneTime().equals(b.amountOneTime())
                && a.amountMonthlyRecurring().equals(b.amountMonthlyRecurring()) && Math.abs(a.score() - b.score()) < 1e-9
                && a.confidence() == b.confidence() && nz(a.explanation()).equals(nz(b.explanation()))
                && a.evidence().equals(b.evidence()) && a.matchedRules().equals(b.matchedRules());
    }

    public Optional<Finding> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM findings WHERE id = ?").param(id).query(FindingRepository::row).optional();
    }

    /** The findings about {@code subject} that may still recover (open, acknowledged or in remediation). */
    public List<Finding> openAbout(String subject) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM findings WHERE status IN " + MAY_RECOVER + " AND subject = ?")
                .param(subject).query(FindingRepository::row).list();
    }

    public List<Finding> ofCustomer(String customerId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM findings WHERE customer_id = ? ORDER BY detected_at, id")
                .param(customerId).query(FindingRepository::row).list();
    }

    /** Runs a finding query (a WHERE clause, order and limit built by the API from its filters). */
    public List<Finding> query(String where, String orderAndLimit, List<Object> args) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM findings" + where + orderAndLimit).params(args)
                .query(FindingRepository::row).list();
    }

    /** How many findings a finding query's WHERE clause matches. */
    public long count(String where, List<Object> args) {
        return jdbc.sql("SELECT COUNT(*) FROM findings" + where).params(args).query(Long.class).single();
    }

    /** A status change as the history table keeps it. */
    public record StatusChange(String from, String to, String changedBy, Instant changedAt, String note) {}

    /** Sets the status and writes its history row; runs in the caller's transaction. */
    public void changeStatus(String id, FindingStatus from, FindingStatus to, String by, String note) {
        FindingChanges.mark(List.of(id));
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("UPDATE findings SET status = ?, updated_at = ? WHERE id = ?").params(to.wire(), now, id).update();
        jdbc.sql("INSERT INTO finding_status_history (finding_id, from_status, to_status, changed_by, changed_at, note) VALUES (?, ?, ?, ?, ?, ?)")
                .params(id, from.wire(), to.wire(), by, now, note).update();
        FindingChanges.mark(List.of(id)); // again once written: a reader outside any transaction may have read it before
    }

    public List<StatusChange> history(String id) {
        return jdbc.sql("SELECT from_status, to_status, changed_by, changed_at, note FROM finding_status_history WHERE finding_id = ? ORDER BY changed_at, id")
                .param(id)
                .query((rs, n) -> new StatusChange(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), rs.getString(5)))
                .list();
    }

    /** An analyst's label for the ML feedback loop. */
    public record Label(String label, String labeledBy, Instant labeledAt, String comment) {}

    public void label(String id, String label, String by, String comment) {
        DataVersion.bump();
        Timestamp now = Timestamp.from(Instant.now());
        int n = jdbc.sql("UPDATE finding_labels SET label = ?, labeled_by = ?, labeled_at = ?, comment = ? WHERE finding_id = ?")
                .params(label, by, now, comment, id).update();
        if (n == 0) {
            jdbc.sql("INSERT INTO finding_labels (finding_id, label, labeled_by, labeled_at, comment) VALUES (?, ?, ?, ?, ?)")
                    .params(id, label, by, now, comment).update();
        }
    }

    public Optional<Label> labelOf(String id) {
        return jdbc.sql("SELECT label, labeled_by, labeled_at, comment FROM finding_labels WHERE finding_id = ?").param(id)
                .query((rs, n) -> new Label(rs.getString(1), rs.getString(2), instant(rs, 3), rs.getString(4))).optional();
    }

    static Finding row(ResultSet rs, int n) throws SQLException {
        Currency cur = Currencies.of(rs.getString("currency").strip());
        return new Finding(rs.getString("id"), Category.valueOf(rs.getString("category")), Kind.parse(rs.getString("kind")),
                rs.getString("subject"), rs.getString("customer_id"), new Money(rs.getLong("amount_one_time_minor"), cur),
                new Money(rs.getLong("amount_recurring_minor"), cur), cur, rs.getDouble("score"),
                Confidence.parse(rs.getString("confidence")), instant(rs, "detected_at"),
                evidence(rs.getString("evidence")), rs.getString("explanation"), rs.getString("recommended_action"),
                FindingStatus.parse(rs.getString("status")), rules(rs.getString("matched_rules")));
    }

    static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }

    public static OffsetDateTime odt(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String evidenceJson(List<Evidence> evidence) {
        List<Object> out = new ArrayList<>();
        for (Evidence e : evidence) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("fact", e.fact());
            m.put("expected", e.expected());
            m.put("observed", e.observed());
            m.put("sources", e.sources());
            out.add(m);
        }
        return Json.write(out);
    }

    @SuppressWarnings("unchecked")
    static List<Evidence> evidence(String json) {
        List<Evidence> out = new ArrayList<>();
        if (json == null || json.isBlank()) return out;
        for (Object o : (List<Object>) Json.parse(json)) {
            Map<String, Object> m = (Map<String, Object>) o;
            out.add(new Evidence((String) m.get("fact"), (String) m.get("expected"), (String) m.get("observed"),
                    (List<String>) m.get("sources")));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> rules(String json) {
        if (json == null || json.isBlank()) return List.of();
        return (List<String>) Json.parse(json);
    }
}
