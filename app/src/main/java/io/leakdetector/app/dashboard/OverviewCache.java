package io.leakdetector.app.dashboard;

import io.leakdetector.app.api.SummaryController;
import io.leakdetector.app.detect.FindingsSnapshot;
import io.leakdetector.app.store.DataVersion;
import io.leakdetector.app.store.FindingChanges;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The overview's aggregates per filter, kept for a short time and only while {@link DataVersion} is unchanged: any
 * write to findings, labels or billing rows in this process makes every entry stale at once, so the page never shows
 * numbers older than the last write here. Writes by another instance on the same database are not seen: there the
 * page is at most the time-to-live ({@code leak.dashboard.overview-cache-ttl}, env {@code LEAK_OVERVIEW_CACHE_TTL},
 * default 30 s) and one background read behind.
 * A time-to-live of zero turns the cache off.
 */
@Component
class OverviewCache {
    private static final Logger log = LoggerFactory.getLogger(OverviewCache.class);
    /** Distinct filters kept (least recently used dropped first). */
    static final int MAX_ENTRIES = 64;

    /** Everything the overview shows beside the summary API's totals, for one filter (its currency resolved). */
    record Overview(OverviewFilter filter, List<String> currencies, OverviewQueries.Labels labels, Map<String, List<String>> values,
                    List<OverviewQueries.Week> weeks, List<OverviewQueries.Change> changes, List<OverviewQueries.Totals> categories,
                    List<OverviewQueries.Stage> funnel, OverviewQueries.Breakdown breakdown) {}

    private record Entry(long version, long storedAt, Overview overview) {}

    /** The cards (the summary API's totals) of one data version and day. */
    private record Cards(long version, java.time.LocalDate day, long storedAt, SummaryController.Summary summary) {}

    private volatile Cards cards;

    /** Distinct billing filters kept: each holds a sum per customer. */
    static final int MAX_BILLING_ENTRIES = 8;

    /** The parts of a filter the billing reads depend on (the currency resolved). */
    private record BillingKey(String from, String to, String segment, String region, String plan, String currency) {
        static BillingKey of(OverviewFilter f) {
            return new BillingKey(f.from(), f.to(), f.segment(), f.region(), f.plan(), f.currency());
        }
    }

    /** A value read under a data version ({@link DataVersion#current()} or {@link DataVersion#billing()}). */
    private record Stamped<T>(long version, long storedAt, T value) {}

    /** Every finding's aggregated columns, under the data version: all filters and the cards share one read. */
    private Stamped<FindingsSnapshot> snapshot;
    /** The findings' rows behind {@link #snapshot}, where the log of written findings was then, and when fully read. */
    private final Object tableLock = new Object();
    /** Reads past the time-to-live run here, off the request; the keys of those under way. */
    private final java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "overview-refresh");
        t.setDaemon(true);
        return t;
    });
    private final java.util.Set<Object> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private FindingsSnapshot.Table table;
    private long tablePosition;
    private long tableReadAt;
    private Stamped<OverviewQueries.Directory> directory;
    private final Map<BillingKey, Stamped<OverviewQueries.Billing>> billing = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<BillingKey, Stamped<OverviewQueries.Billing>> eldest) {
            return size() > MAX_BILLING_ENTRIES;
        }
    };

    private final OverviewQueries queries;
    private final SummaryController summary;
    private final long ttlNanos;
    private final Map<OverviewFilter, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<OverviewFilter, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    OverviewCache(OverviewQueries queries, SummaryController summary, @Value("${leak.dashboard.overview-cache-ttl:30s}") Duration ttl) {
        this.queries = queries;
        this.summary = summary;
        this.ttlNanos = ttl.toNanos();
    }

    /** The overview for {@code filter}: cached if no write happened since and it is younger than the time-to-live. */
    Overview get(OverviewFilter filter) {
        long version = DataVersion.current(); // read before the queries: a write during them leaves the entry stale
        long now = System.nanoTime();
        if (ttlNanos > 0) {
            synchronized (entries) {
                Entry e = entries.get(filter);
                if (e != null && e.version() == version && now - e.storedAt() < ttlNanos) return e.overview();
            }
        }
        Overview o = compute(filter, version);
        if (ttlNanos > 0) {
            synchronized (entries) {
                entries.put(filter, new Entry(version, now, o));
            }
        }
        return o;
    }

    /**
     * Computes the overview, timing each part (logged at debug: {@code logging.level.io.leakdetector.app.dashboard=debug}).
     * The findings are read once per data version ({@link #snapshot}) and every aggregate is a pass over them; what
     * comes from the billing tables alone (customers, plans, menus, the funnel's first stages, revenue) is kept under
     * the billing version: after a write to findings (a status change, a detection) only the findings are read again.
     */
    private Overview compute(OverviewFilter filter, long version) {
        Timer t = new Timer();
        FindingsSnapshot s = t.time("findings", () -> snapshot(version));
        List<String> currencies = OverviewQueries.currencies(s);
        OverviewFilter f = filter.currency() != null ? filter : filter.withCurrency(currencies.isEmpty() ? "USD" : currencies.get(0));
        OverviewQueries.Labels labels = t.time("labels", queries::labels);
        OverviewQueries.Billing b = t.time("billing", () -> billing(f));
        OverviewQueries.Analysis a = t.time("analysis", () -> queries.analysis(f, b, s));
        List<OverviewQueries.Week> weeks = a.weeks();
        var first = weeks.get(0).start();
        var end = weeks.get(weeks.size() - 1).start().plusWeeks(1);
        List<OverviewQueries.Change> changes = t.time("changes", () -> queries.changes(first, end));
        if (log.isDebugEnabled()) log.debug("overview queries for {}: {}", f, t);
        return new Overview(f, currencies, labels, b.directory().values(), weeks, changes, a.categories(), a.funnel(), a.breakdown());
    }

    /**
     * The cards: the summary API's totals ({@link SummaryController#summary(FindingsSnapshot)} over the same findings
     * read), kept like the analysis (same data version, same UTC day for the week and month they count from, younger
     * than the time-to-live), so the cards and the API's summary agree and a repeat view runs none of their work.
     */
    SummaryController.Summary cards() {
        long version = DataVersion.current();
        long now = System.nanoTime();
        java.time.LocalDate day = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        Cards c = cards;
        if (ttlNanos > 0 && c != null && c.version() == version && c.day().equals(day) && now - c.storedAt() < ttlNanos) return c.summary();
        SummaryController.Summary s = summary.summary(snapshot(version));
        if (ttlNanos > 0) cards = new Cards(version, day, now, s);
        return s;
    }

    /**
     * The findings as of {@code version} (read before: a write meanwhile leaves it stale). After a write, only the
     * findings written since the last read are read again ({@link FindingChanges}); everything is read again when the
     * log no longer reaches back to the last full read, and in the background when that read is older than the
     * time-to-live (another instance's writes are not in the log).
     */
    private FindingsSnapshot snapshot(long version) {
        if (ttlNanos <= 0) return queries.snapshot();
        synchronized (tableLock) {
            long now = System.nanoTime();
            if (table != null && now - tableReadAt >= ttlNanos) later(FindingsSnapshot.class, this::readTable);
            Stamped<FindingsSnapshot> s = snapshot;
            if (s != null && s.version() == version) return s.value();
            FindingChanges.Since changes = table == null ? null : FindingChanges.since(tablePosition);
            if (changes == null) {
                readTable();
            } else {
                if (!changes.ids().isEmpty()) queries.refresh(table, changes.ids());
                tablePosition = changes.end();
            }
            FindingsSnapshot read = table.snapshot();
            snapshot = new Stamped<>(version, now, read);
            return read;
        }
    }

    /** Reads every finding; the ids written meanwhile are read again on the next view (the log's position is taken first). */
    private void readTable() {
        long position = FindingChanges.position();
        FindingsSnapshot.Table t = queries.findingsTable();
        synchronized (tableLock) {
            table = t;
            tablePosition = position;
            tableReadAt = System.nanoTime();
            snapshot = null;
        }
    }

    /**
     * The billing reads for {@code f}: kept while the billing rows are unchanged. Past the time-to-live only another
     * instance's writes can have changed them (this one's bump the billing version): the kept value is served and read
     * again in the background (seconds at a million invoices), not on the request.
     */
    private OverviewQueries.Billing billing(OverviewFilter f) {
        long version = DataVersion.billing();
        BillingKey key = BillingKey.of(f);
        if (ttlNanos > 0) {
            synchronized (billing) {
                Stamped<OverviewQueries.Billing> e = billing.get(key);
                if (e != null && e.version() == version) {
                    if (System.nanoTime() - e.storedAt() >= ttlNanos) later(key, () -> readBilling(f, key, version));
                    return e.value();
                }
            }
        }
        return readBilling(f, key, version);
    }

    private OverviewQueries.Billing readBilling(OverviewFilter f, BillingKey key, long version) {
        long now = System.nanoTime();
        OverviewQueries.Directory dir = null;
        if (ttlNanos > 0) {
            synchronized (billing) {
                if (fresh(directory, version, now)) dir = directory.value();
            }
        }
        if (dir == null) dir = queries.directory();
        OverviewQueries.Billing b = queries.billing(f, dir);
        if (ttlNanos > 0) {
            synchronized (billing) {
                if (directory == null || directory.value() != dir) directory = new Stamped<>(version, now, dir);
                billing.put(key, new Stamped<>(version, now, b));
            }
        }
        return b;
    }

    /**
     * Runs a read again in the background (one at a time per key), then drops the overviews computed from the old
     * value: another instance's writes show after at most the time-to-live and the read's own time.
     */
    private void later(Object key, Runnable read) {
        if (!pending.add(key)) return;
        try {
            background.execute(() -> {
                try {
                    read.run();
                    synchronized (entries) {
                        entries.clear();
                    }
                    cards = null;
                } catch (RuntimeException e) {
                    log.warn("overview: reading {} again failed: {}", key, e.toString());
                } finally {
                    pending.remove(key);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.remove(key); // shutting down
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        background.shutdownNow();
    }

    private boolean fresh(Stamped<?> e, long version, long now) {
        return e != null && e.version() == version && now - e.storedAt() < ttlNanos;
    }

    private static final class Timer {
        private final StringBuilder sb = new StringBuilder();

        <T> T time(String what, java.util.function.Supplier<T> query) {
            long start = System.nanoTime();
            T out = query.get();
            sb.append(sb.isEmpty() ? "" : ", ").append(what).append(' ').append((System.nanoTime() - start) / 1_000_000).append(" ms");
            return out;
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
