package io.leakdetector.app.store;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A process-wide counter of writes to the data the dashboard aggregates (findings, their labels and statuses,
 * billing rows, recoveries). Caches of aggregates put it in their key, so any write makes every cached entry stale at
 * once. The repositories that write those tables bump it on every write, whichever path (import, JSON ingest,
 * webhooks, real-time events, detection, status changes) calls them.
 *
 * <p>Inside a Spring transaction the counter is bumped again when the transaction completes: a reader that ran
 * between the write and the commit (and so saw the old rows) cannot leave its result cached under the new version.
 * The counter is per JVM: another instance writing to the same database is not seen, so a multi-instance deployment
 * sees at most the cache's time-to-live of staleness.
 */
public final class DataVersion {
    private static final AtomicLong VERSION = new AtomicLong();

    private DataVersion() {}

    public static long current() {
        return VERSION.get();
    }

    /** Marks the data changed: now, and once more when the surrounding transaction (if any) commits or rolls back. */
    public static void bump() {
        VERSION.incrementAndGet();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    VERSION.incrementAndGet();
                }
            });
        }
    }
}
