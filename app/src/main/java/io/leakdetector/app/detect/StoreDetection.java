package io.leakdetector.app.detect;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * saved the same way. The rows are read in ranges of customers (a query per table per range) and held in
 * memory, as {@code scan} holds its files. A finding no longer detected (rule or ANOMALY) is left as it is, with its status.
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
    private static final int CUSTOMERS_PER_TRANSACTION = 1000;
    private static final int FINDINGS_PER_TRANSACTION = 1000;
    /** Customer ids per range read: one query per billing table per range. */
    public static final int CUSTOMERS_PER_READ = 1000;
    private int customersPerRead = CUSTOMERS_PER_READ;

    private final JdbcClient jdbc;
    private final StoredCustomer stored;
    private final FindingRepository findings;
    private final TransactionTemplate tx;
    private final DetectionEngine engine;
    private final FindingListener listener;
    private final Scanner.Pass after;

    public StoreDetection(DataSource dataSource) {
        this(dataSource, null, FindingListener.NONE);
    }

    /** Detection whose saved findings (after each commit) are told to {@code listener}. */
    public StoreDetection(DataSource dataSource, FindingListener listener) {
        this(dataSource, null, listener);
    }

    public StoreDetection(DataSource dataSource, DetectionEngine engine) {
        this(dataSource, engine, FindingListener.NONE);
    }

    /**
     * The rule detectors of {@code engine} (null: the detector settings stored when {@link #run} starts), then the ML
     * layer's ANOMALY pass, as {@code scan} runs them.
     */
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

    /**
     * Judges every stored customer; {@code asOf} null means the latest event time in the store. The billing rows are
     * read in ranges of {@link #CUSTOMERS_PER_READ} customer ids, one query per table per range (not a dozen queries
     * per customer), kept in memory while the segment norms are built from them, then judged and saved in batches.
     */
    public Result run(Instant asOf) {
        Instant when = asOf != null ? asOf : latestEvent();
        if (when == null) return new Result(null, 0, 0, 0, 0); // an empty store has nothing to judge
        List<Price> priceList = stored.prices();
        PriceBook prices = new PriceBook(priceList);
        DetectionEngine engine = this.engine != null ? this.engine : DetectionEngine.of(new DetectorSettings(jdbc).current());
        Set<String> withUsage = new HashSet<>(jdbc.sql("SELECT DISTINCT customer_id FROM usage_records").query(String.class).list());
        Set<String> judged = new HashSet<>();
        // customers, and the ids usage rows name without a customer row (they count in the norms, as they always did)
        List<String> ids = jdbc.sql("SELECT customer_id FROM customers UNION SELECT customer_id FROM usage_records ORDER BY 1")
                .query(String.class).list();
        jdbc.sql("SELECT customer_id FROM customers").query(String.class).list().forEach(judged::add);
        SegmentNorms.Builder norms = new SegmentNorms.Builder(when);
        List<StoredCustomer.Records> records = new ArrayList<>(judged.size());
        List<String> order = new ArrayList<>(judged.size());
        stored.forEachInRanges(ids, customersPerRead, (id, r) -> {
            if (withUsage.contains(id)) norms.add(StoredCustomer.history(id, r));
            if (judged.contains(id)) {
                records.add(r);
                order.add(id);
            }
        });
        DetectionContext context = new DetectionContext(when, prices, norms.build());
        // the pass after the rules sees the whole data set, gathered from the records the rules judged (read once)
        StoredCustomer.Gathered gathered = after != null ? new StoredCustomer.Gathered() : null;
        List<Finding> ruleFindings = after != null ? new ArrayList<>() : null;
        Counts counts = new Counts();
        List<Finding> batch = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            StoredCustomer.Records r = records.get(i);
            records.set(i, null); // judged: only the gathered data set (if any) keeps its rows
            if (gathered != null) gathered.add(r);
            for (ScoredFinding s : engine.run(StoredCustomer.history(order.get(i), r), context)) batch.add(s.finding());
            if ((i + 1) % CUSTOMERS_PER_TRANSACTION == 0 || i == records.size() - 1) {
                if (ruleFindings != null) ruleFindings.addAll(batch);
                save(batch, counts);
                batch = new ArrayList<>();
            }
        }
        if (after != null) {
            List<Finding> more = after.run(gathered.data(priceList, when), ruleFindings, when);
            for (int from = 0; from < more.size(); from += FINDINGS_PER_TRANSACTION) {
                save(more.subList(from, Math.min(more.size(), from + FINDINGS_PER_TRANSACTION)), counts);
            }
        }
        return new Result(when, order.size(), counts.total, counts.created, counts.updated);
    }

    /** Reads {@code n} customers per range instead of {@link #CUSTOMERS_PER_READ} (tests: many ranges on a small store). */
    StoreDetection readingRangesOf(int n) {
        if (n < 1) throw new IllegalArgumentException("a range holds at least one customer");
        this.customersPerRead = n;
        return this;
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
