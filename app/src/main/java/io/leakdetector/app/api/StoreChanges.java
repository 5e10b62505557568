package io.leakdetector.app.api;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Tells the real-time path's per-customer state (kept in memory) that this process wrote billing records or findings
 * by another route — JSON ingest, webhooks, CSV import jobs — so that what was read from the store before is read
 * again: for the customers named, or for everyone when a write cannot be pinned to customers. Writes are numbered;
 * a state remembers the number current when it was read.
 */
@Component
public class StoreChanges {
    private static final int MAX_TRACKED = 100_000;
    private final AtomicLong generation = new AtomicLong();
    private volatile long everyone;
    private final Map<String, Long> byCustomer = new ConcurrentHashMap<>();

    /** Called after a write about these customers has committed. */
    public void changed(Collection<String> customerIds) {
        long g = generation.incrementAndGet();
        if (byCustomer.size() + customerIds.size() > MAX_TRACKED) {
            byCustomer.clear();
            everyone = g;
            return;
        }
        for (String id : customerIds) byCustomer.put(id, g);
    }

    /** Called after a write whose customers are not known (an import, a refund of an unknown payment) has committed. */
    public void changedAll() {
        everyone = generation.incrementAndGet();
    }

    /** The current number: a state read now is current as of it. */
    public long generation() {
        return generation.get();
    }

    /** True when a write about the customer (or about everyone) committed after {@code generation}. */
    public boolean changedSince(String customerId, long generation) {
        return everyone > generation || byCustomer.getOrDefault(customerId, 0L) > generation;
    }
}
