package io.leakdetector.app.detect;

import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.detect.DetectionContext;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.PriceBook;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.detect.SegmentNorms;
import io.leakdetector.core.finding.Finding;
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
 * status on an existing finding survives). Customers are loaded one at a time, so memory stays flat.
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

    public StoreDetection(DataSource dataSource, DetectionEngine engine, FindingListener listener) {
        this.listener = listener;
        this.jdbc = JdbcClient.create(dataSource);
        this.stored = new StoredCustomer(jdbc);
        this.findings = new FindingRepository(jdbc);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.engine = engine;
    }

    /** Judges every stored customer; {@code asOf} null means the latest event time in the store. */
    public Result run(Instant asOf) {
        Instant when = asOf != null ? asOf : latestEvent();
        if (when == null) return new Result(null, 0, 0, 0, 0); // an empty store has nothing to judge
        PriceBook prices = new PriceBook(stored.prices());
        SegmentNorms.Builder norms = new SegmentNorms.Builder(when);
        for (String id : jdbc.sql("SELECT DISTINCT customer_id FROM usage_records ORDER BY customer_id").query(String.class).list()) {
            norms.add(history(id));
        }
        DetectionContext context = new DetectionContext(when, prices, norms.build());
        List<String> customers = jdbc.sql("SELECT customer_id FROM customers ORDER BY customer_id").query(String.class).list();
        long total = 0, created = 0, updated = 0;
        for (int from = 0; from < customers.size(); from += CUSTOMERS_PER_TRANSACTION) {
            List<Finding> batch = new ArrayList<>();
            for (String id : customers.subList(from, Math.min(customers.size(), from + CUSTOMERS_PER_TRANSACTION))) {
                for (ScoredFinding s : engine.run(history(id), context)) batch.add(s.finding());
            }
            if (batch.isEmpty()) continue;
            List<FindingRepository.Saved> saved = tx.execute(s -> findings.save(batch));
            listener.saved(saved);
            total += batch.size();
            for (FindingRepository.Saved s : saved) {
                if (s.change().equals("new")) created++;
                else if (s.change().equals("updated")) updated++;
            }
        }
        return new Result(when, customers.size(), total, created, updated);
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
