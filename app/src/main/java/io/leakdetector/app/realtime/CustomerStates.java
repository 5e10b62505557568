package io.leakdetector.app.realtime;

import io.leakdetector.app.api.StoreChanges;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.detect.StoredCustomer;
import io.leakdetector.core.ingest.EntityKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The bounded cache of {@link CustomerState}s: a customer's records and findings are read from the store on the first
 * event about them, then kept and updated in memory; the least recently used customer leaves when the cache is
 * full. A state is read again from the store when it is older than the configured time to live (another process,
 * such as a command-line import, may have written to the same store) or when this process stored records for that
 * customer by another path ({@link StoreChanges}). Callers hold the customer's lock, and read from the store only when
 * no event of that customer is still waiting for its commit, so a fresh read sees every event taken in before.
 */
@Component
class CustomerStates {
    private final StoredCustomer stored;
    private final FindingRepository findings;
    private final StoreChanges changes;
    private final JdbcClient jdbc;
    private final int capacity;
    private final long ttlMillis;
    private final Map<String, CustomerState> cache;

    CustomerStates(StoredCustomer stored, FindingRepository findings, StoreChanges changes, JdbcClient jdbc,
                   RealtimeProperties props) {
        this.stored = stored;
        this.findings = findings;
        this.changes = changes;
        this.jdbc = jdbc;
        this.capacity = Math.max(1, props.cachedCustomers());
        this.ttlMillis = props.stateTtlMillis();
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CustomerState> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The customer's state when it is cached and still current, else null (nothing is read from the store). */
    CustomerState cached(String customerId) {
        CustomerState s;
        synchronized (cache) {
            s = cache.get(customerId);
        }
        return s != null && current(s) ? s : null;
    }

    private boolean current(CustomerState s) {
        return !changes.changedSince(s.customerId(), s.generation()) && System.currentTimeMillis() - s.loadedAtMillis() < ttlMillis;
    }

    /** The customer's state, read from the store when it is not cached or no longer current. */
    CustomerState get(String customerId) {
        long now = System.currentTimeMillis();
        long generation = changes.generation();
        CustomerState s;
        synchronized (cache) {
            s = cache.get(customerId);
        }
        if (s != null && current(s)) return s;
        // A customer not cached may be new to the store: one statement says so, instead of the dozen of a full read.
        s = s == null && !stored.holdsAnything(customerId)
                ? new CustomerState(customerId, StoredCustomer.none(), List.of(), generation, now)
                : new CustomerState(customerId, stored.load(customerId), findings.ofCustomer(customerId), generation, now);
        synchronized (cache) {
            cache.put(customerId, s);
        }
        return s;
    }

    /** Forgets a customer's state (its event failed after the state had taken it in): read again on next use. */
    void drop(String customerId) {
        synchronized (cache) {
            cache.remove(customerId);
        }
    }

    int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /**
     * The customer a record without a customer id belongs to, as the store joins it: a refund or dispute through its
     * payment, a subscription change through its subscription, an invoice line through its invoice.
     */
    Optional<String> ownerOf(EntityKind kind, Object record) {
        String sql;
        String id;
        switch (kind) {
            case REFUNDS -> {
                sql = "SELECT customer_id FROM payments WHERE payment_id = ?";
                id = ((io.leakdetector.core.domain.Refund) record).paymentId();
            }
            case DISPUTES -> {
                sql = "SELECT customer_id FROM payments WHERE payment_id = ?";
                id = ((io.leakdetector.core.domain.Dispute) record).paymentId();
            }
            case SUBSCRIPTION_CHANGES -> {
                sql = "SELECT customer_id FROM subscriptions WHERE subscription_id = ?";
                id = ((io.leakdetector.core.domain.SubscriptionChange) record).subscriptionId();
            }
            case INVOICE_LINES -> {
                sql = "SELECT customer_id FROM invoices WHERE invoice_id = ?";
                id = ((io.leakdetector.core.domain.InvoiceLine) record).invoiceId();
            }
            default -> {
                return Optional.empty();
            }
        }
        if (id == null) return Optional.empty();
        return jdbc.sql(sql).param(id).query(String.class).optional();
    }
}
