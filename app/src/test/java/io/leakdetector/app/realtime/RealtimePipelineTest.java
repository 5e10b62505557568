package io.leakdetector.app.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.leakdetector.app.api.IngestResult;
import io.leakdetector.app.api.IngestService;
import io.leakdetector.app.api.RecordInput;
import io.leakdetector.app.api.ValidRecord;
import io.leakdetector.app.detect.FindingRepository;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A customer's next event is decided while the previous one waits for its commit, and is committed after it: in the
 * next group, or in the same group one round later (its statements after the earlier event's). When the earlier event
 * fails, the later one — decided on a state holding it — is not stored and answers 503, and the customer's state is
 * read again from the store.
 */
class RealtimePipelineTest {
    /** The record keys of each store call, in order. */
    final List<List<String>> storeCalls = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch inStore = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger decided = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger transactions = new AtomicInteger();
    final Map<String, CustomerState> cache = new ConcurrentHashMap<>();
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    /** A store call with this key waits for {@link #release}; one with {@link #failKey} fails. */
    volatile String holdKey = "py_0";
    volatile String failKey = "none";
    GroupCommit writer;
    RealtimeService service;

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        pool.shutdownNow();
        if (writer != null) writer.stop();
    }

    @SuppressWarnings("unchecked")
    RealtimeService service() {
        IngestService ingest = mock(IngestService.class);
        when(ingest.validate(anyList(), any(java.util.function.IntFunction.class))).thenAnswer(inv -> {
            List<RecordInput> in = inv.getArgument(0);
            return List.of(RealtimeOverloadTest.payment(in.get(0).fields().get("payment_id"), in.get(0).fields().get("customer_id")));
        });
        when(ingest.store(anyString(), anyList(), any())).thenAnswer(inv -> {
            List<ValidRecord> records = inv.getArgument(1);
            List<String> keys = records.stream().map(r -> r.parsed().key()).toList();
            if (keys.contains(holdKey)) {
                inStore.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
            if (keys.contains(failKey)) throw new IllegalStateException("disk full");
            storeCalls.add(keys);
            List<IngestResult.Item> items = new ArrayList<>();
            for (String k : keys) items.add(new IngestResult.Item("payments", k, "created"));
            return IngestResult.of(items);
        });
        TransactionTemplate tx = mock(TransactionTemplate.class);
        when(tx.execute(any())).thenAnswer(inv -> {
            transactions.incrementAndGet();
            // like a transaction: what a failed callback stored is rolled back
            int before = storeCalls.size();
            try {
                return ((TransactionCallback<Object>) inv.getArgument(0)).doInTransaction(null);
            } catch (RuntimeException e) {
                while (storeCalls.size() > before) storeCalls.remove(storeCalls.size() - 1);
                throw e;
            }
        });
        CustomerStates states = mock(CustomerStates.class);
        when(states.cached(anyString())).thenAnswer(inv -> cache.get(inv.<String>getArgument(0)));
        when(states.get(anyString())).thenAnswer(inv -> {
            reads.incrementAndGet();
            return cache.computeIfAbsent(inv.getArgument(0), RealtimeEquivalenceTest::empty);
        });
        doAnswer(inv -> cache.remove(inv.<String>getArgument(0))).when(states).drop(anyString());
        RealtimeProperties props = new RealtimeProperties(8, 2_000, 1024, 100, 60_000, 0, 1);
        writer = new GroupCommit(ingest, mock(FindingRepository.class), tx, props, io.leakdetector.app.detect.FindingListener.NONE);
        CustomerDecider decider = (state, touched) -> {
            decided.incrementAndGet();
            return CustomerDecider.Outcome.NONE;
        };
        return new RealtimeService(ingest, writer, decider, states, props);
    }

    private Future<Decision> send(String paymentId, String customer) {
        return pool.submit(() -> service.handle("e_" + paymentId, "payment.failed", RealtimeOverloadTest.event(paymentId, customer), System.nanoTime()));
    }

    @Test
    void theNextEventIsDecidedWhileThePreviousWaitsForItsCommitAndCommittedAfterIt() throws Exception {
        holdKey = "py_1";
        service = service();
        Future<Decision> first = send("py_1", "cus_a");
        assertThat(inStore.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Decision> second = send("py_2", "cus_a");
        waitUntil(() -> decided.get() == 2); // decided while the first one's commit is held
        assertThat(first.isDone()).as("no answer before the commit").isFalse();
        assertThat(second.isDone()).isFalse();
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).stored()).extracting(IngestResult.Item::key).containsExactly("py_1");
        assertThat(second.get(10, TimeUnit.SECONDS).stored()).extracting(IngestResult.Item::key).containsExactly("py_2");
        assertThat(storeCalls).containsExactly(List.of("py_1"), List.of("py_2"));
        assertThat(reads.get()).as("the state was read once, then kept").isEqualTo(1);
    }

    @Test
    void twoEventsOfOneCustomerInOneGroupAreStoredInTwoRoundsOfOneTransaction() throws Exception {
        service = service();
        Future<Decision> blocker = send("py_0", "cus_z"); // holds the writer, so the next three queue up
        assertThat(inStore.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Decision> a1 = send("py_1", "cus_a");
        waitUntil(() -> decided.get() == 2);
        Future<Decision> a2 = send("py_2", "cus_a");
        waitUntil(() -> decided.get() == 3);
        Future<Decision> b1 = send("py_3", "cus_b");
        waitUntil(() -> decided.get() == 4);
        release.countDown();
        for (Future<Decision> f : List.of(blocker, a1, a2, b1)) assertThat(f.get(10, TimeUnit.SECONDS).stored()).hasSize(1);
        assertThat(storeCalls).as("round one: each customer's first event; round two: cus_a's second")
                .containsExactly(List.of("py_0"), List.of("py_1", "py_3"), List.of("py_2"));
        assertThat(transactions.get()).as("one transaction per group").isEqualTo(2);
    }

    @Test
    void anEventDecidedAfterOneThatFailsIsNotStoredAndTheStateIsReadAgain() throws Exception {
        holdKey = "py_1";
        failKey = "py_1";
        service = service();
        Future<Decision> first = send("py_1", "cus_a");
        assertThat(inStore.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Decision> second = send("py_2", "cus_a");
        waitUntil(() -> decided.get() == 2);
        release.countDown();
        assertThat(failure(first)).isInstanceOf(IllegalStateException.class).hasMessageContaining("disk full");
        assertThat(failure(second)).as("decided on a state holding the failed event")
                .isInstanceOfSatisfying(GroupCommit.EarlierEventFailed.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(storeCalls).as("neither is stored").isEmpty();
        waitUntil(() -> !cache.containsKey("cus_a"));

        assertThat(send("py_3", "cus_a").get(10, TimeUnit.SECONDS).stored()).extracting(IngestResult.Item::key).containsExactly("py_3");
        assertThat(reads.get()).as("the state is read again after the failure").isEqualTo(2);
        assertThat(storeCalls).containsExactly(List.of("py_3"));
    }

    private static Throwable failure(Future<Decision> f) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected the event to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(2);
        assertThat(condition.getAsBoolean()).as("condition reached in time").isTrue();
    }
}
