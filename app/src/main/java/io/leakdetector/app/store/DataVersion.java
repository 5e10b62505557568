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
    /** Writes to the billing rows only: what the overview reads from them stays valid across finding writes. */
    private static final AtomicLong BILLING = new AtomicLong();

    private DataVersion() {}

    /** Changes with every write to any of the data. */
    public static long current() {
        return VERSION.get();
    }

    /** Changes with every write to the billing rows (customers, invoices, …), not with writes to findings. */
    public static long billing() {
        return BILLING.get();
    }

    /** Marks the data changed: now, and once more when the surrounding transaction (if any) commits or rolls back. */
    public static void bump() {
        bump(VERSION);
    }

    /** Marks the billing rows (and so the data) changed, as {@link #bump()} does. */
    public static void bumpBilling() {
        bump(VERSION);
        bump(BILLING);
    }

    private static void bump(AtomicLong counter) {
        counter.incrementAndGet();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    counter.incrementAndGet();
                }
            });
        }
    }
}
