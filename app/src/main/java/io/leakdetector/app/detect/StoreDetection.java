package io.leakdetector.app.detect;

import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.detect.DetectionContext;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.PriceBook;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.detect.SegmentNorms;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.ml.AnomalyScan;
import io.leakdetector.core.scan.Scanner;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The batch detection the server runs after an import: every customer in the store is judged by core's
 * {@link DetectionEngine} — the same engine {@code scan} and the real-time path run — as of the latest event in the
 * data (DESIGN.md §5), with segment norms computed from the store first, and the findings are saved (an analyst's
 * status on an existing finding survives). Then, as in {@code scan}, the ML layer's ANOMALY pass
 * ({@link AnomalyScan#afterRules}) runs over the whole store's data with the rule findings, and its findings are
 * saved the same way. The rules load customers one at a time; the pass after them needs every record in memory, as
 * {@code scan} does. A finding no longer detected (rule or ANOMALY) is left as it is, with its status.
 */
public final class StoreDetection {
    /** What a run did. */
    public record Result(Instant asOf, long customers, long findings, long created, long updated) {}

    /** The event columns that move the as-of clock, the same ones {@code scan} uses (not period ends). */
    private static final List<String> EVENT_TIMES = List.of(
            "SELECT MAX(created_at) FROM invoices", "SELECT MAX(attempted_at) FROM payments",
            "SELECT MAX(created_at) FROM refunds", "SELECT MAX(created_at) FROM credit_notes",
            "SELECT MAX(created_at) FROM disputes", "SELECT MAX(period_start) FROM usage_records",
            "SELECT MAX(changed_at) FROM subscription_changes", "SELECT MAX(started_at) FROM subscriptions");
    private static final int CUSTOMERS_PER_TRANSACTION = 200;

    private final JdbcClient jdbc;
    private final StoredCustomer stored;
    private final FindingRepository findings;
    private final TransactionTemplate tx;
    private final DetectionEngine engine;
    private final FindingListener listener;
    private final Scanner.Pass after;

    public StoreDetection(DataSource dataSource) {
        this(dataSource, DetectionEngine.standard(), FindingListener.NONE);
    }

    /** Detection whose saved findings (after each commit) are told to {@code listener}. */
    public StoreDetection(DataSource dataSource, FindingListener listener) {
        this(dataSource, DetectionEngine.standard(), listener);
    }

    public StoreDetection(DataSource dataSource, DetectionEngine engine) {
        this(dataSource, engine, FindingListener.NONE);
    }

    /** The rule detectors of {@code engine}, then the ML layer's ANOMALY pass, as {@code scan} runs them. */
    public StoreDetection(DataSource dataSource, DetectionEngine engine, FindingListener listener) {
        this(dataSource, engine, listener, AnomalyScan::afterRules);
    }

    /**
     * The rule detectors of {@code engine}, then {@code after} over the whole store's data with their findings (the
     * {@code scan} command's {@link Scanner.Pass}; null: rules only).
     */
    public StoreDetection(DataSource dataSource, DetectionEngine engine, FindingListener listener, Scanner.Pass after) {
        this.listener = listener;
        this.jdbc = JdbcClient.create(dataSource);
        this.stored = new StoredCustomer(jdbc);
        this.findings = new FindingRepository(jdbc);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.engine = engine;
        this.after = after;
    }

    /** Judges every stored customer; {@code asOf} null means the latest event time in the store. */
    public Result run(Instant asOf) {
        Instant when = asOf != null ? asOf : latestEvent();
        if (when == null) return new Result(null, 0, 0, 0, 0); // an empty store has nothing to judge
        List<Price> priceList = stored.prices();
        PriceBook prices = new PriceBook(priceList);
        SegmentNorms.Builder norms = new SegmentNorms.Builder(when);
        for (String id : jdbc.sql("SELECT DISTINCT customer_id FROM usage_records ORDER BY customer_id").query(String.class).list()) {
            norms.add(history(id));
        }
        DetectionContext context = new DetectionContext(when, prices, norms.build());
        List<String> customers = jdbc.sql("SELECT customer_id FROM customers ORDER BY customer_id").query(String.class).list();
        // the pass after the rules sees the whole data set, gathered from the records the rules judged (read once)
        StoredCustomer.Gathered gathered = after != null ? new StoredCustomer.Gathered() : null;
        List<Finding> ruleFindings = after != null ? new ArrayList<>() : null;
        Counts counts = new Counts();
        for (int from = 0; from < customers.size(); from += CUSTOMERS_PER_TRANSACTION) {
            List<Finding> batch = new ArrayList<>();
            for (String id : customers.subList(from, Math.min(customers.size(), from + CUSTOMERS_PER_TRANSACTION))) {
                StoredCustomer.Records r = stored.load(id);
                if (gathered != null) gathered.add(r);
                for (ScoredFinding s : engine.run(StoredCustomer.history(id, r), context)) batch.add(s.finding());
            }
            if (ruleFindings != null) ruleFindings.addAll(batch);
            save(batch, counts);
        }
        if (after != null) {
            List<Finding> more = after.run(gathered.data(priceList, when), ruleFindings, when);
            for (int from = 0; from < more.size(); from += CUSTOMERS_PER_TRANSACTION) {
                save(more.subList(from, Math.min(more.size(), from + CUSTOMERS_PER_TRANSACTION)), counts);
            }
        }
        return new Result(when, customers.size(), counts.total, counts.created, counts.updated);
    }

    private static final class Counts {
        long total, created, updated;
    }

    /** Saves one transaction's findings and tells the listener after the commit. */
    private void save(List<Finding> batch, Counts counts) {
        if (batch.isEmpty()) return;
        List<FindingRepository.Saved> saved = tx.execute(s -> findings.save(batch));
        listener.saved(saved);
        counts.total += batch.size();
        for (FindingRepository.Saved s : saved) {
            if (s.change().equals("new")) counts.created++;
            else if (s.change().equals("updated")) counts.updated++;
        }
    }

    private CustomerHistory history(String customerId) {
        return stored.history(customerId);
    }

    Instant latestEvent() {
        Instant latest = null;
        for (String sql : EVENT_TIMES) {
            OffsetDateTime t = jdbc.sql(sql).query(OffsetDateTime.class).optional().orElse(null);
            if (t != null && (latest == null || t.toInstant().isAfter(latest))) latest = t.toInstant();
        }
        LocalDate seen = jdbc.sql("SELECT MAX(observed_on) FROM app_accounts").query(LocalDate.class).optional().orElse(null);
        if (seen != null) {
            Instant t = seen.atStartOfDay(ZoneOffset.UTC).toInstant();
            if (latest == null || t.isAfter(latest)) latest = t;
        }
        return latest;
    }
}
