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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Handles one billing event: admission (a bounded number in flight; beyond that, 503 before anything is accepted),
 * validation, the event applied to the customer's in-memory state ({@link CustomerStates}), detection on that state
 * ({@link CustomerDecider}), then one group commit of the event's records and the findings it changed; the answer
 * goes out only after that commit. Events of one customer are decided one at a time (the customer's lock), each on the
 * state the events before produced; the lock is let go once the event is queued for its commit, so the customer's
 * next event is decided while this one waits, and is committed after it (same writer, same or later group; it fails
 * if this one fails). A state is read from the store only when none of the customer's events waits for its commit,
 * so the read holds every event decided before. When a commit fails the customer's state is dropped (read again from
 * the store on the next event).
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
    /** Each customer's last event submitted and not yet answered (its commit may still be pending). */
    private final ConcurrentHashMap<String, GroupCommit.Pending> inFlight = new ConcurrentHashMap<>();
    private final RealtimeMetrics metrics;

    @Autowired
    RealtimeService(IngestService ingest, GroupCommit writer, CustomerDecider decider, CustomerStates states,
                    RealtimeProperties props, RealtimeMetrics metrics) {
        this.ingest = ingest;
        this.writer = writer;
        this.decider = decider;
        this.states = states;
        this.slots = new Semaphore(Math.max(1, props.maxInFlight()));
        this.maxWaitMillis = props.maxWaitMillis();
        this.metrics = metrics;
        for (int i = 0; i < STRIPES; i++) customerLocks[i] = new ReentrantLock();
    }

    RealtimeService(IngestService ingest, GroupCommit writer, CustomerDecider decider, CustomerStates states,
                    RealtimeProperties props) {
        this(ingest, writer, decider, states, props, RealtimeMetrics.NONE);
    }

    /** Thrown when every slot or the write queue stays busy for the configured wait: nothing of the event was accepted. */
    static final class Overloaded extends ApiException {
        Overloaded() {
            super(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", null, "too many events in flight; retry shortly");
        }
    }

    Decision handle(String eventId, String type, List<RecordInput> inputs, long startNanos) {
        long begin = System.nanoTime();
        List<ValidRecord> valid = ingest.validate(inputs, i -> i == 0 ? "data." : "lines[" + (i - 1) + "].");
        String named = customerOf(valid);
        long validated = System.nanoTime();
        RealtimeMetrics.record(metrics.validate, validated - begin);
        boolean acquired;
        try {
            acquired = slots.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) throw new Overloaded();
        long admitted = System.nanoTime();
        RealtimeMetrics.record(metrics.admit, admitted - validated);
        try {
            String customerId = named != null ? named : states.ownerOf(valid.get(0).kind(), valid.get(0).parsed().record()).orElse(null);
            if (customerId == null) {
                // About no customer (a price) or one not stored yet (a refund before its payment): stored, nothing to judge.
                IngestResult stored = await(submit(valid.get(0).parsed().key(), valid, IngestService.invoicesOf(valid), List.of(), List.of(), null));
                if (valid.get(0).kind() != EntityKind.PRICES) ingest.changed(valid); // some customer's state may now be short of it
                return new Decision(eventId, type, null, stored.items(), List.of(), millisSince(startNanos));
            }
            ReentrantLock lock = customerLocks[Math.floorMod(customerId.hashCode(), STRIPES)];
            lock.lock();
            long locked = System.nanoTime();
            RealtimeMetrics.record(metrics.lockWait, locked - admitted);
            GroupCommit.Pending pending;
            CustomerDecider.Outcome outcome;
            try {
                CustomerState state = stateOf(customerId);
                Set<EntityKind> touched = EnumSet.noneOf(EntityKind.class);
                for (ValidRecord r : valid) {
                    state.apply(r.kind(), r.parsed().record());
                    touched.add(r.kind());
                }
                outcome = decider.decide(state, touched);
                // Queued behind the customer's previous event, if that one is still waiting for its commit: the
                // next event of this customer may be decided while this one waits (on the state holding it).
                pending = submit(customerId, valid, state.recoverable(IngestService.invoicesOf(valid)), outcome.created(),
                        outcome.updated(), inFlight.get(customerId));
                inFlight.put(customerId, pending);
            } catch (RuntimeException e) {
                states.drop(customerId); // it may hold what was not stored (read again once the events before are committed)
                throw e;
            } finally {
                lock.unlock();
            }
            RealtimeMetrics.record(metrics.decide, System.nanoTime() - locked);
            IngestResult stored;
            try {
                stored = await(pending); // committed before the answer: an acknowledged event is durable
            } catch (RuntimeException e) {
                forget(customerId, pending, lock);
                throw e;
            }
            inFlight.remove(customerId, pending);
            return new Decision(eventId, type, customerId, stored.items(), outcome.decisions(), millisSince(startNanos));
        } finally {
            slots.release();
        }
    }

    /**
     * The customer's state to decide on (the caller holds the customer's lock). The cached state when it is current
     * (it holds the customer's events still waiting for their commit); otherwise it is read from the store, but only
     * after the last of those events is committed, so that the read holds it. A cached state holding an event that
     * failed is dropped first.
     */
    private CustomerState stateOf(String customerId) {
        CustomerState state = states.cached(customerId);
        GroupCommit.Pending last = inFlight.get(customerId);
        if (last != null && (state == null || last.isDone())) {
            try {
                last.get();
            } catch (ExecutionException failed) {
                // handled below: the state held it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Overloaded();
            }
            if (last.isCompletedExceptionally()) {
                states.drop(customerId);
                state = null;
            }
            inFlight.remove(customerId, last);
        }
        return state != null ? state : states.get(customerId);
    }

    /**
     * After an event failed: when no later event of the customer was decided on the state holding it, the state is
     * dropped (read again from the store on the next event); otherwise the later event fails too (it waited for this
     * one) and does this in turn.
     */
    private void forget(String customerId, GroupCommit.Pending failed, ReentrantLock lock) {
        lock.lock();
        try {
            if (inFlight.remove(customerId, failed)) states.drop(customerId);
        } finally {
            lock.unlock();
        }
    }

    /** The customer's last event queued and not yet answered, or null (tests). */
    GroupCommit.Pending pendingOf(String customerId) {
        return inFlight.get(customerId);
    }

    /** Slots free for more events in flight (tests). */
    int freeSlots() {
        return slots.availablePermits();
    }

    private static double millisSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1_000.0) / 1000.0;
    }

    private GroupCommit.Pending submit(String route, List<ValidRecord> valid, Set<String> sweep, List<Finding> created,
                                       List<Finding> updated, GroupCommit.Pending after) {
        try {
            GroupCommit.Pending p = writer.submit(route, valid, sweep, created, updated, after, maxWaitMillis);
            if (p == null) throw new Overloaded();
            return p;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded();
        }
    }

    private IngestResult await(GroupCommit.Pending p) {
        try {
            IngestResult r = p.get();
            RealtimeMetrics.record(metrics.wake, System.nanoTime() - p.completedNanos);
            return r;
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
