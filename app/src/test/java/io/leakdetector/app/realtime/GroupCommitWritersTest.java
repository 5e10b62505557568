package io.leakdetector.app.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.leakdetector.app.api.IngestResult;
import io.leakdetector.app.api.IngestService;
import io.leakdetector.app.api.ValidRecord;
import io.leakdetector.app.detect.FindingListener;
import io.leakdetector.app.detect.FindingRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/** {@code leak.realtime.writers}: several writers commit their groups side by side, each event answered with its own outcome. */
class GroupCommitWritersTest {
    private final CountDownLatch inStore = new CountDownLatch(2);
    private final AtomicInteger overlapping = new AtomicInteger();
    private GroupCommit writer;

    @AfterEach
    void stop() throws InterruptedException {
        if (writer != null) writer.stop();
    }

    @SuppressWarnings("unchecked")
    private GroupCommit groupCommit(int writers) {
        IngestService ingest = mock(IngestService.class);
        when(ingest.store(anyString(), anyList(), any())).thenAnswer(inv -> {
            inStore.countDown();
            // a group waits here until a second group is being stored too (or gives up): only another writer can be
            if (inStore.await(writers > 1 ? 10 : 1, TimeUnit.SECONDS)) overlapping.incrementAndGet();
            List<ValidRecord> records = inv.getArgument(1);
            List<IngestResult.Item> items = new ArrayList<>();
            for (ValidRecord r : records) items.add(new IngestResult.Item("payments", r.parsed().key(), "created"));
            return IngestResult.of(items);
        });
        TransactionTemplate tx = mock(TransactionTemplate.class);
        when(tx.execute(any())).thenAnswer(inv -> ((TransactionCallback<Object>) inv.getArgument(0)).doInTransaction(null));
        RealtimeProperties props = new RealtimeProperties(64, 50, 1024, 100, 60_000, 0, writers);
        return new GroupCommit(ingest, mock(FindingRepository.class), tx, props, FindingListener.NONE);
    }

    private CompletableFuture<IngestResult> submit(String paymentId) throws InterruptedException {
        // routed by the id: "py_a" and "py_b" go to different writers of two (their hash codes differ by one)
        return writer.submit(paymentId, List.of(RealtimeOverloadTest.payment(paymentId, "cus_" + paymentId)), Set.of(), List.of(), List.of(), null, 1_000);
    }

    @Test
    void twoWritersCommitTwoGroupsAtOnce() throws Exception {
        writer = groupCommit(2);
        assertThat(writer.writerCount()).isEqualTo(2);
        CompletableFuture<IngestResult> a = submit("py_a");
        waitUntil(() -> inStore.getCount() == 1); // the first group is being stored: the second goes to the other writer
        CompletableFuture<IngestResult> b = submit("py_b");

        assertThat(a.get(10, TimeUnit.SECONDS).items()).extracting(IngestResult.Item::key).containsExactly("py_a");
        assertThat(b.get(10, TimeUnit.SECONDS).items()).extracting(IngestResult.Item::key).containsExactly("py_b");
        assertThat(overlapping.get()).as("groups stored at the same time").isEqualTo(2);
    }

    @Test
    void oneWriterCommitsOneGroupAfterTheOther() throws Exception {
        writer = groupCommit(1);
        CompletableFuture<IngestResult> a = submit("py_a");
        waitUntil(() -> inStore.getCount() == 1);
        CompletableFuture<IngestResult> b = submit("py_b");

        assertThat(a.get(10, TimeUnit.SECONDS).items()).extracting(IngestResult.Item::key).containsExactly("py_a");
        assertThat(b.get(10, TimeUnit.SECONDS).items()).extracting(IngestResult.Item::key).containsExactly("py_b");
        assertThat(overlapping.get()).as("the second group waits for the first").isLessThan(2);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(2);
        assertThat(condition.getAsBoolean()).as("condition reached in time").isTrue();
    }
}
