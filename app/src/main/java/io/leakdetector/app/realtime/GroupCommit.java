package io.leakdetector.app.realtime;

import io.leakdetector.app.api.IngestResult;
import io.leakdetector.app.api.IngestService;
import io.leakdetector.app.api.ValidRecord;
import io.leakdetector.app.detect.FindingListener;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.core.finding.Finding;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes real-time events with group commit: a writer thread takes every event waiting (up to {@link #MAX_BATCH})
 * and stores their records and the findings they created or changed in one transaction, so that one commit — the
 * expensive, serialised part on every database — covers many events; with {@code leak.realtime.writers} above one,
 * that many writers do so side by side, each with its own queue and groups (a customer's events always go to the same
 * writer, so they are committed in the order they were decided). Each event's future completes only after that
 * commit: an event is acknowledged only once it is durable. The queues are bounded; when one is full the event is
 * refused before anything is stored.
 *
 * <p>An event may be queued while the same customer's previous event still waits for its commit ({@link
 * Pending#after}: it was decided on a state holding that event). Such events are written in the same transaction,
 * in rounds — every customer's first event of the group, then the second, … — each round as a group of its own was
 * (records, recovery sweep, findings), so a later event's statements see the earlier one's rows; the group still has
 * one commit. An event whose earlier event failed is not stored and fails too ({@link EarlierEventFailed}).
 */
@Component
class GroupCommit {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    static final int MAX_BATCH = 256;
    /** A group that starts with this many events waiting is written without the linger. */
    static final int NO_LINGER_FROM = 16;
    private final IngestService ingest;
    private final FindingRepository findings;
    private final FindingListener listener;
    private final TransactionTemplate tx;
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private final long lingerNanos;
    private final RealtimeMetrics metrics;
    private volatile boolean running = true;

    @Autowired
    GroupCommit(IngestService ingest, FindingRepository findings, TransactionTemplate tx, RealtimeProperties props,
                ObjectProvider<FindingListener> listener, DataSource dataSource, RealtimeMetrics metrics) throws SQLException {
        this(ingest, findings, tx, props, listener.getIfAvailable(() -> FindingListener.NONE),
                props.writers() > 0 ? props.writers() : defaultWriters(dataSource), metrics);
    }

    GroupCommit(IngestService ingest, FindingRepository findings, TransactionTemplate tx, RealtimeProperties props,
                FindingListener listener) {
        this(ingest, findings, tx, props, listener, Math.max(1, props.writers()), RealtimeMetrics.NONE);
    }

    GroupCommit(IngestService ingest, FindingRepository findings, TransactionTemplate tx, RealtimeProperties props,
                FindingListener listener, int writerCount, RealtimeMetrics metrics) {
        this.ingest = ingest;
        this.findings = findings;
        this.listener = listener;
        this.tx = tx;
        this.metrics = metrics;
        this.lingerNanos = TimeUnit.MICROSECONDS.toNanos(Math.max(0, props.commitLingerMicros()));
        for (int i = 0; i < Math.max(1, writerCount); i++) {
            BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(Math.max(1, props.queueCapacity()));
            queues.add(queue);
            Thread t = new Thread(() -> loop(queue), i == 0 ? "realtime-group-commit" : "realtime-group-commit-" + (i + 1));
            t.setDaemon(true);
            writers.add(t);
        }
        writers.forEach(Thread::start);
        log.info("real-time group commit: {} writer thread(s)", writers.size());
    }

    /**
     * Writers when {@code leak.realtime.writers} is 0: on PostgreSQL two, because a group commit there is mostly the
     * writer waiting for the server's answers to its statements one after another (the server's CPU is on the writer's
     * path), and a second writer overlaps that; on H2 one, whose commit is the writer's own CPU.
     */
    private static int defaultWriters(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres") ? 2 : 1;
        }
    }

    /** How many writer threads commit groups (tests). */
    int writerCount() {
        return writers.size();
    }

    /** Thrown for an event decided on a state that held an earlier event of the customer which then failed: not stored. */
    static final class EarlierEventFailed extends io.leakdetector.app.web.ApiException {
        EarlierEventFailed() {
            super(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE, "overloaded", null,
                    "an earlier event of this customer was not stored, so this one was not either; retry shortly");
        }
    }

    /** One queued event; completes with its outcome once committed. */
    static final class Pending extends CompletableFuture<IngestResult> {
        final List<ValidRecord> records;
        final Set<String> sweep;
        final List<Finding> created;
        final List<Finding> updated;
        /**
         * The same customer's previous event when it was not committed yet (or failed) as this one was decided, else
         * null; let go once this one is done (read and cleared by the writer only), so a busy customer's events do
         * not hold each other in a chain.
         */
        private Pending after;
        final long submittedNanos = System.nanoTime();
        /** When the writer completed this future (for the wake-up time). */
        volatile long completedNanos;

        Pending(List<ValidRecord> records, Set<String> sweep, List<Finding> created, List<Finding> updated, Pending after) {
            this.records = records;
            this.sweep = sweep;
            this.created = created;
            this.updated = updated;
            this.after = after != null && (!after.isDone() || after.isCompletedExceptionally()) ? after : null;
        }

        private void succeed(IngestResult r) {
            after = null;
            completedNanos = System.nanoTime();
            complete(r);
        }

        private void fail(Throwable e) {
            after = null;
            completedNanos = System.nanoTime();
            completeExceptionally(e);
        }

        /** Whether an earlier event this one was decided after failed (so this one must not be stored). */
        private boolean afterFailed() {
            return after != null && after.isCompletedExceptionally();
        }
    }

    /**
     * Queues an event's records and the findings it created or changed; null when the queue stays full for
     * {@code waitMillis} (nothing stored). {@code sweep}: the invoices whose findings may have recovered.
     */
    Pending submit(List<ValidRecord> records, Set<String> sweep, List<Finding> created,
                   List<Finding> updated, long waitMillis) throws InterruptedException {
        return submit(records.isEmpty() ? "" : records.get(0).parsed().key(), records, sweep, created, updated, null, waitMillis);
    }

    /**
     * {@link #submit(List, Set, List, List, long)} to the writer of {@code route} (the customer), after {@code after}:
     * the same customer's previous event, whose commit this one's writer waits for (null when there is none).
     */
    Pending submit(String route, List<ValidRecord> records, Set<String> sweep, List<Finding> created,
                   List<Finding> updated, Pending after, long waitMillis) throws InterruptedException {
        if (!running) return null;
        Pending p = new Pending(records, sweep, created, updated, after);
        BlockingQueue<Pending> queue = queues.get(Math.floorMod(route.hashCode(), queues.size()));
        return queue.offer(p, waitMillis, TimeUnit.MILLISECONDS) ? p : null;
    }

    private void loop(BlockingQueue<Pending> queue) {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) { // on shutdown, what was queued is still written
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                long start = System.nanoTime();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                for (Pending p : batch) RealtimeMetrics.record(metrics.queued, start - p.submittedNanos);
                // A commit costs about the same for one event as for many (H2 writes every page the transaction
                // touched): wait up to the linger for more, unless enough were waiting already (they gathered during
                // the previous group's commit; waiting would only add latency).
                long until = start + (batch.size() >= NO_LINGER_FROM ? 0 : lingerNanos);
                while (batch.size() < MAX_BATCH && running) {
                    long left = until - System.nanoTime();
                    if (left <= 0) break;
                    Pending more = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (more == null) break;
                    int from = batch.size();
                    batch.add(more);
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                    long now = System.nanoTime();
                    for (int i = from; i < batch.size(); i++) RealtimeMetrics.record(metrics.queued, now - batch.get(i).submittedNanos);
                }
                long formed = System.nanoTime();
                RealtimeMetrics.record(metrics.linger, formed - start);
                metrics.batch(batch.size());
                write(batch);
                RealtimeMetrics.record(metrics.cycle, System.nanoTime() - start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<Pending> live = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (p.afterFailed()) p.fail(new EarlierEventFailed());
            else live.add(p);
        }
        if (live.isEmpty()) return;
        List<List<Pending>> rounds = rounds(live);
        try {
            long[] stored = new long[1];
            long begin = System.nanoTime();
            Map<Pending, IngestResult> results = tx.execute(s -> {
                Map<Pending, IngestResult> out = new IdentityHashMap<>();
                for (List<Pending> round : rounds) {
                    List<Finding> created = new ArrayList<>();
                    List<Finding> updated = new ArrayList<>();
                    for (Pending p : round) {
                        created.addAll(p.created);
                        updated.addAll(p.updated);
                    }
                    List<IngestResult> r = store(round);
                    findings.saveChanged(created, updated);
                    for (int i = 0; i < round.size(); i++) out.put(round.get(i), r.get(i));
                }
                stored[0] = System.nanoTime();
                return out;
            });
            long committed = System.nanoTime();
            RealtimeMetrics.record(metrics.statements, stored[0] - begin);
            RealtimeMetrics.record(metrics.commit, committed - stored[0]);
            List<FindingRepository.Saved> saved = new ArrayList<>();
            for (Pending p : live) saved(p, saved);
            tell(saved);
            RealtimeMetrics.record(metrics.tell, System.nanoTime() - committed);
            for (Pending p : live) p.succeed(results.get(p));
        } catch (RuntimeException batchFailed) {
            // One event broke the shared transaction: store each on its own, in order, so only that one fails (and
            // the events decided after it, which saw it in their state).
            for (Pending p : live) {
                if (p.afterFailed()) {
                    p.fail(new EarlierEventFailed());
                    continue;
                }
                try {
                    IngestResult r = tx.execute(s -> {
                        IngestResult stored = ingest.store("events", p.records, p.sweep);
                        findings.saveChanged(p.created, p.updated);
                        return stored;
                    });
                    List<FindingRepository.Saved> saved = new ArrayList<>();
                    saved(p, saved);
                    tell(saved);
                    p.succeed(r);
                } catch (RuntimeException e) {
                    p.fail(e);
                }
            }
        }
    }

    /**
     * The events of a group in rounds: an event whose previous event (same customer) is in the group goes one round
     * after it, so that no round holds two events of one customer; order within a round is queue order.
     */
    private static List<List<Pending>> rounds(List<Pending> live) {
        Map<Pending, Integer> round = new IdentityHashMap<>();
        List<List<Pending>> out = new ArrayList<>();
        for (Pending p : live) {
            Integer before = p.after == null ? null : round.get(p.after);
            int r = before == null ? 0 : before + 1;
            round.put(p, r);
            if (r == out.size()) out.add(new ArrayList<>());
            out.get(r).add(p);
        }
        return out;
    }

    private static void saved(Pending p, List<FindingRepository.Saved> out) {
        for (Finding f : p.created) out.add(new FindingRepository.Saved(f, "new"));
        for (Finding f : p.updated) out.add(new FindingRepository.Saved(f, "updated"));
    }

    /** Tells the finding listener (outbound events, playbooks) what was committed; its failure does not undo the events. */
    private void tell(List<FindingRepository.Saved> saved) {
        if (saved.isEmpty()) return;
        try {
            listener.saved(saved);
        } catch (RuntimeException e) {
            log.error("finding listener failed after a real-time commit", e);
        }
    }

    /**
     * Stores the records of every event in the batch with one upsert per kind (one look-up and one insert batch, not
     * one per event), and splits the outcomes back per event. When two events of the batch carry the same record,
     * each event is stored on its own, in order, so that each gets its own outcome.
     */
    private List<IngestResult> store(List<Pending> batch) {
        List<ValidRecord> all = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        Set<String> sweep = new LinkedHashSet<>();
        boolean repeated = false;
        for (Pending p : batch) {
            sweep.addAll(p.sweep);
            for (ValidRecord r : p.records) {
                all.add(r);
                repeated |= !keys.add(r.kind() + "/" + r.parsed().key());
            }
        }
        List<IngestResult> out = new ArrayList<>(batch.size());
        if (repeated) {
            for (Pending p : batch) out.add(ingest.store("events", p.records, p.sweep));
            return out;
        }
        List<IngestResult.Item> items = ingest.store("events", all, sweep).items();
        int at = 0;
        for (Pending p : batch) {
            out.add(IngestResult.of(items.subList(at, at + p.records.size())));
            at += p.records.size();
        }
        return out;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        long until = System.currentTimeMillis() + 5_000;
        for (Thread t : writers) t.join(Math.max(1, until - System.currentTimeMillis()));
    }
}
