package io.leakdetector.app.realtime;

import io.leakdetector.app.api.IngestResult;
import io.leakdetector.app.api.IngestService;
import io.leakdetector.app.api.RecordInput;
import io.leakdetector.app.api.ValidRecord;
import io.leakdetector.app.web.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Handles one billing event: admission (a bounded number in flight; beyond that, 503 before anything is
 * accepted), validation, a committed write of the customer's new state, then detection on that customer only.
 * Events of one customer are processed one at a time so each decision sees the state its event produced.
 */
@Service
@EnableConfigurationProperties(RealtimeProperties.class)
class RealtimeService {
    private static final int STRIPES = 256;
    private final IngestService ingest;
    private final GroupCommit writer;
    private final CustomerDecider decider;
    private final Semaphore slots;
    private final long maxWaitMillis;
    private final ReentrantLock[] customerLocks = new ReentrantLock[STRIPES];

    RealtimeService(IngestService ingest, GroupCommit writer, CustomerDecider decider, RealtimeProperties props) {
        this.ingest = ingest;
        this.writer = writer;
        this.decider = decider;
        this.slots = new Semaphore(Math.max(1, props.maxInFlight()), true);
        this.maxWaitMillis = props.maxWaitMillis();
        for (int i = 0; i < STRIPES; i++) customerLocks[i] = new ReentrantLock();
    }

    /** Thrown when every slot stays busy for the configured wait: nothing of the event was accepted. */
    static final class Overloaded extends ApiException {
        Overloaded() {
            super(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", null, "too many events in flight; retry shortly");
        }
    }

    Decision handle(String eventId, String type, List<RecordInput> inputs, long startNanos) {
        List<ValidRecord> valid = ingest.validate(inputs, i -> i == 0 ? "data." : "lines[" + (i - 1) + "].");
        String customerId = customerOf(valid);
        boolean acquired;
        try {
            acquired = slots.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) throw new Overloaded();
        try {
            ReentrantLock lock = customerLocks[Math.floorMod(customerId == null ? 0 : customerId.hashCode(), STRIPES)];
            lock.lock();
            try {
                // Committed (group commit) before detection and before the answer: an acknowledged event is durable.
                IngestResult stored = persist(valid);
                List<Decision.FindingDecision> findings = customerId == null ? List.of() : decider.decide(customerId);
                double ms = (System.nanoTime() - startNanos) / 1_000_000.0;
                return new Decision(eventId, type, customerId, stored.items(), findings, Math.round(ms * 1000) / 1000.0);
            } finally {
                lock.unlock();
            }
        } finally {
            slots.release();
        }
    }

    private IngestResult persist(List<ValidRecord> valid) {
        try {
            var done = writer.submit(valid, maxWaitMillis);
            if (done == null) throw new Overloaded();
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The customer an event is about; every record of one event must be about the same one. */
    private static String customerOf(List<ValidRecord> valid) {
        String customer = null;
        List<String> seen = new ArrayList<>();
        for (ValidRecord r : valid) {
            String c = r.customerId();
            if (c != null) {
                if (customer == null) customer = c;
                else if (!customer.equals(c)) seen.add(c);
            }
        }
        if (!seen.isEmpty()) {
            throw ApiException.badField("customer_id", "one event is about one customer; found " + customer + " and " + seen.get(0));
        }
        return customer;
    }
}
