package io.leakdetector.app.realtime;

import io.leakdetector.app.api.IngestResult;
import io.leakdetector.app.api.IngestService;
import io.leakdetector.app.api.RecordInput;
import io.leakdetector.app.api.ValidRecord;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.ingest.EntityKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Handles one billing event: admission (a bounded number in flight; beyond that, 503 before anything is accepted),
 * validation, the event applied to the customer's in-memory state ({@link CustomerStates}), detection on that state
 * ({@link CustomerDecider}), then one group commit of the event's records and the findings it changed; the answer
 * goes out only after that commit. Events of one customer are processed one at a time, from state to commit, so each
 * decision sees the state its event produced and a state read from the store holds every event acknowledged before.
 * When the commit fails the customer's state is dropped (read again from the store on the next event).
 */
@Service
@EnableConfigurationProperties(RealtimeProperties.class)
class RealtimeService {
    private static final int STRIPES = 1024;
    private final IngestService ingest;
    private final GroupCommit writer;
    private final CustomerDecider decider;
    private final CustomerStates states;
    private final Semaphore slots;
    private final long maxWaitMillis;
    private final ReentrantLock[] customerLocks = new ReentrantLock[STRIPES];

    RealtimeService(IngestService ingest, GroupCommit writer, CustomerDecider decider, CustomerStates states,
                    RealtimeProperties props) {
        this.ingest = ingest;
        this.writer = writer;
        this.decider = decider;
        this.states = states;
        this.slots = new Semaphore(Math.max(1, props.maxInFlight()));
        this.maxWaitMillis = props.maxWaitMillis();
        for (int i = 0; i < STRIPES; i++) customerLocks[i] = new ReentrantLock();
    }

    /** Thrown when every slot or the write queue stays busy for the configured wait: nothing of the event was accepted. */
    static final class Overloaded extends ApiException {
        Overloaded() {
            super(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", null, "too many events in flight; retry shortly");
        }
    }

    Decision handle(String eventId, String type, List<RecordInput> inputs, long startNanos) {
        List<ValidRecord> valid = ingest.validate(inputs, i -> i == 0 ? "data." : "lines[" + (i - 1) + "].");
        String named = customerOf(valid);
        boolean acquired;
        try {
            acquired = slots.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) throw new Overloaded();
        try {
            String customerId = named != null ? named : states.ownerOf(valid.get(0).kind(), valid.get(0).parsed().record()).orElse(null);
            if (customerId == null) {
                // About no customer (a price) or one not stored yet (a refund before its payment): stored, nothing to judge.
                IngestResult stored = persist(valid, IngestService.invoicesOf(valid), List.of(), List.of());
                if (valid.get(0).kind() != EntityKind.PRICES) ingest.changed(valid); // some customer's state may now be short of it
                return new Decision(eventId, type, null, stored.items(), List.of(), millisSince(startNanos));
            }
            ReentrantLock lock = customerLocks[Math.floorMod(customerId.hashCode(), STRIPES)];
            lock.lock();
            try {
                CustomerState state = states.get(customerId);
                Set<EntityKind> touched = EnumSet.noneOf(EntityKind.class);
                CustomerDecider.Outcome outcome;
                IngestResult stored;
                try {
                    for (ValidRecord r : valid) {
                        state.apply(r.kind(), r.parsed().record());
                        touched.add(r.kind());
                    }
                    outcome = decider.decide(state, touched);
                    // Committed (group commit) before the answer: an acknowledged event is durable.
                    stored = persist(valid, state.recoverable(IngestService.invoicesOf(valid)), outcome.created(), outcome.updated());
                } catch (RuntimeException e) {
                    states.drop(customerId); // it may hold what was not stored
                    throw e;
                }
                return new Decision(eventId, type, customerId, stored.items(), outcome.decisions(), millisSince(startNanos));
            } finally {
                lock.unlock();
            }
        } finally {
            slots.release();
        }
    }

    /** Slots free for more events in flight (tests). */
    int freeSlots() {
        return slots.availablePermits();
    }

    private static double millisSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1_000.0) / 1000.0;
    }

    private IngestResult persist(List<ValidRecord> valid, Set<String> sweep, List<Finding> created, List<Finding> updated) {
        try {
            var done = writer.submit(valid, sweep, created, updated, maxWaitMillis);
            if (done == null) throw new Overloaded();
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded();
        } catch (ExecutionException e) {
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
