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
import java.util.LinkedHashSet;
import java.util.List;
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
 * that many writers do so side by side, each with its own groups. Each event's future completes only after that
 * commit: an event is acknowledged only once it is durable. The queue is bounded; when it is full the event is
 * refused before anything is stored.
 */
@Component
class GroupCommit {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    static final int MAX_BATCH = 256;
    private final IngestService ingest;
    private final FindingRepository findings;
    private final FindingListener listener;
    private final TransactionTemplate tx;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();
    private final long lingerNanos;
    private volatile boolean running = true;

    @Autowired
    GroupCommit(IngestService ingest, FindingRepository findings, TransactionTemplate tx, RealtimeProperties props,
                ObjectProvider<FindingListener> listener, DataSource dataSource) throws SQLException {
        this(ingest, findings, tx, props, listener.getIfAvailable(() -> FindingListener.NONE),
                props.writers() > 0 ? props.writers() : defaultWriters(dataSource));
    }

    GroupCommit(IngestService ingest, FindingRepository findings, TransactionTemplate tx, RealtimeProperties props,
                FindingListener listener) {
        this(ingest, findings, tx, props, listener, Math.max(1, props.writers()));
    }

    GroupCommit(IngestService ingest, FindingRepository findings, TransactionTemplate tx, RealtimeProperties props,
                FindingListener listener, int writerCount) {
        this.ingest = ingest;
        this.findings = findings;
        this.listener = listener;
        this.tx = tx;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, props.queueCapacity()));
        this.lingerNanos = TimeUnit.MICROSECONDS.toNanos(Math.max(0, props.commitLingerMicros()));
        for (int i = 0; i < Math.max(1, writerCount); i++) {
            Thread t = new Thread(this::loop, i == 0 ? "realtime-group-commit" : "realtime-group-commit-" + (i + 1));
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

    private record Pending(List<ValidRecord> records, Set<String> sweep, List<Finding> created, List<Finding> updated,
                           CompletableFuture<IngestResult> done) {}

    /**
     * Queues an event's records and the findings it created or changed; null when the queue stays full for
     * {@code waitMillis} (nothing stored). {@code sweep}: the invoices whose findings may have recovered.
     */
    CompletableFuture<IngestResult> submit(List<ValidRecord> records, Set<String> sweep, List<Finding> created,
                                           List<Finding> updated, long waitMillis) throws InterruptedException {
        if (!running) return null;
        Pending p = new Pending(records, sweep, created, updated, new CompletableFuture<>());
        return queue.offer(p, waitMillis, TimeUnit.MILLISECONDS) ? p.done() : null;
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) { // on shutdown, what was queued is still written
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                // A commit costs about the same for one event as for many (H2 writes every page the transaction
                // touched): wait up to the linger for more, unless the batch is full already.
                long until = System.nanoTime() + lingerNanos;
                while (batch.size() < MAX_BATCH && running) {
                    long left = until - System.nanoTime();
                    if (left <= 0) break;
                    Pending more = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (more == null) break;
                    batch.add(more);
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            List<IngestResult> results = tx.execute(s -> {
                List<Finding> created = new ArrayList<>();
                List<Finding> updated = new ArrayList<>();
                for (Pending p : batch) {
                    created.addAll(p.created());
                    updated.addAll(p.updated());
                }
                List<IngestResult> out = store(batch);
                findings.saveChanged(created, updated);
                return out;
            });
            List<FindingRepository.Saved> saved = new ArrayList<>();
            for (Pending p : batch) saved(p, saved);
            tell(saved);
            for (int i = 0; i < batch.size(); i++) batch.get(i).done().complete(results.get(i));
        } catch (RuntimeException batchFailed) {
            // One event broke the shared transaction: store each on its own so only that one fails.
            for (Pending p : batch) {
                try {
                    IngestResult r = tx.execute(s -> {
                        IngestResult stored = ingest.store("events", p.records(), p.sweep());
                        findings.saveChanged(p.created(), p.updated());
                        return stored;
                    });
                    List<FindingRepository.Saved> saved = new ArrayList<>();
                    saved(p, saved);
                    tell(saved);
                    p.done().complete(r);
                } catch (RuntimeException e) {
                    p.done().completeExceptionally(e);
                }
            }
        }
    }

    private static void saved(Pending p, List<FindingRepository.Saved> out) {
        for (Finding f : p.created()) out.add(new FindingRepository.Saved(f, "new"));
        for (Finding f : p.updated()) out.add(new FindingRepository.Saved(f, "updated"));
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
            sweep.addAll(p.sweep());
            for (ValidRecord r : p.records()) {
                all.add(r);
                repeated |= !keys.add(r.kind() + "/" + r.parsed().key());
            }
        }
        List<IngestResult> out = new ArrayList<>(batch.size());
        if (repeated) {
            for (Pending p : batch) out.add(ingest.store("events", p.records(), p.sweep()));
            return out;
        }
        List<IngestResult.Item> items = ingest.store("events", all, sweep).items();
        int at = 0;
        for (Pending p : batch) {
            out.add(IngestResult.of(items.subList(at, at + p.records().size())));
            at += p.records().size();
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
