package io.leakdetector.app.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.leakdetector.app.api.IngestResult;
import io.leakdetector.app.api.IngestService;
import io.leakdetector.app.api.RecordInput;
import io.leakdetector.app.api.ValidRecord;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.RowMaps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Overload and durability of the real-time path without a server: the store is a fake whose commit can be held. With
 * every slot taken, the next event is refused (503) before anything of it is stored; every accepted event is stored
 * and answered once its commit completes; a failed commit fails only its events and drops the customer's state.
 */
class RealtimeOverloadTest {
    final List<String> stored = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch commitMayFinish = new CountDownLatch(1);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    volatile boolean commitFails;
    GroupCommit writer;

    @AfterEach
    void stop() throws InterruptedException {
        commitMayFinish.countDown();
        pool.shutdownNow();
        if (writer != null) writer.stop();
    }

    static ValidRecord payment(String id, String customer) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("payment_id", id);
        f.put("invoice_id", "in_" + id);
        f.put("customer_id", customer);
        f.put("attempted_at", "2026-01-01T00:00:00Z");
        f.put("currency", "USD");
        f.put("amount", "10.00");
        f.put("status", "failed");
        return new ValidRecord(EntityKind.PAYMENTS, RowMaps.parse(EntityKind.PAYMENTS.schema(), f, "event:" + id), f, "event:" + id);
    }

    @SuppressWarnings("unchecked")
    RealtimeService service(int maxInFlight, CustomerStates states) {
        IngestService ingest = mock(IngestService.class);
        when(ingest.validate(anyList(), any(java.util.function.IntFunction.class))).thenAnswer(inv -> {
            List<RecordInput> in = inv.getArgument(0);
            return List.of(payment(in.get(0).fields().get("payment_id"), in.get(0).fields().get("customer_id")));
        });
        when(ingest.store(anyString(), anyList(), any())).thenAnswer(inv -> {
            commitMayFinish.await(10, TimeUnit.SECONDS);
            if (commitFails) throw new IllegalStateException("disk full");
            List<ValidRecord> records = inv.getArgument(1);
            List<IngestResult.Item> items = new ArrayList<>();
            for (ValidRecord r : records) {
                stored.add(r.parsed().key());
                items.add(new IngestResult.Item("payments", r.parsed().key(), "created"));
            }
            return new IngestResult(records.size(), records.size(), 0, 0, items);
        });
        TransactionTemplate tx = mock(TransactionTemplate.class);
        when(tx.execute(any())).thenAnswer(inv -> ((TransactionCallback<Object>) inv.getArgument(0)).doInTransaction(null));
        RealtimeProperties props = new RealtimeProperties(maxInFlight, 50, 1024, 100, 60_000, 0, 1);
        writer = new GroupCommit(ingest, mock(FindingRepository.class), tx, props, io.leakdetector.app.detect.FindingListener.NONE);
        CustomerDecider decider = (state, touched) -> CustomerDecider.Outcome.NONE;
        return new RealtimeService(ingest, writer, decider, states, props);
    }

    static CustomerStates states() {
        CustomerStates states = mock(CustomerStates.class);
        when(states.get(anyString())).thenAnswer(inv -> RealtimeEquivalenceTest.empty(inv.getArgument(0)));
        return states;
    }

    static List<RecordInput> event(String paymentId, String customer) {
        return List.of(new RecordInput(EntityKind.PAYMENTS, Map.of("payment_id", paymentId, "customer_id", customer), "event:" + paymentId));
    }

    @Test
    void aFullServiceRefusesWithoutStoringAndLosesNothingItAccepted() throws Exception {
        RealtimeService service = service(2, states());
        Future<Decision> a = pool.submit(() -> service.handle("e1", "payment.failed", event("py_1", "cus_a"), System.nanoTime()));
        Future<Decision> b = pool.submit(() -> service.handle("e2", "payment.failed", event("py_2", "cus_b"), System.nanoTime()));
        // both slots are taken while their commit is held
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (service.freeSlots() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertThatThrownBy(() -> service.handle("e3", "payment.failed", event("py_3", "cus_c"), System.nanoTime()))
                .as("an event beyond the in-flight limit is refused")
                .isInstanceOfSatisfying(RealtimeService.Overloaded.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(a.isDone()).as("no answer before the commit").isFalse();
        commitMayFinish.countDown();
        assertThat(a.get(10, TimeUnit.SECONDS).stored()).extracting(IngestResult.Item::key).containsExactly("py_1");
        assertThat(b.get(10, TimeUnit.SECONDS).stored()).extracting(IngestResult.Item::key).containsExactly("py_2");
        assertThat(stored).as("accepted events are stored; the refused one is not").containsExactlyInAnyOrder("py_1", "py_2");
    }

    @Test
    void aFailedCommitFailsItsEventAndDropsTheCustomersState() throws Exception {
        CustomerStates states = states();
        RealtimeService service = service(4, states);
        commitFails = true;
        commitMayFinish.countDown();
        assertThatThrownBy(() -> service.handle("e1", "payment.failed", event("py_1", "cus_a"), System.nanoTime()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("disk full");
        org.mockito.Mockito.verify(states).drop("cus_a");
        assertThat(stored).isEmpty();
        commitFails = false;
        assertThat(service.handle("e2", "payment.failed", event("py_2", "cus_a"), System.nanoTime()).stored())
                .extracting(IngestResult.Item::key).containsExactly("py_2");
    }

    @Test
    void eventsQueuedAtShutdownAreStillWritten() throws Exception {
        RealtimeService service = service(4, states());
        Future<Decision> a = pool.submit(() -> service.handle("e1", "payment.failed", event("py_1", "cus_a"), System.nanoTime()));
        Thread.sleep(200);
        Thread stopper = new Thread(() -> {
            try {
                writer.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        commitMayFinish.countDown();
        assertThat(a.get(10, TimeUnit.SECONDS).stored()).extracting(IngestResult.Item::key).containsExactly("py_1");
        stopper.join(10_000);
        assertThat(stored).containsExactly("py_1");
        assertThatThrownBy(() -> service.handle("e2", "payment.failed", event("py_2", "cus_b"), System.nanoTime()))
                .isInstanceOf(RealtimeService.Overloaded.class);
    }
}
