package io.leakdetector.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A write about one customer makes only that customer's cached state stale; a write about no known customer, all. */
class StoreChangesTest {
    @Test
    void namedCustomersGoStaleAloneAndAnUnpinnedWriteMakesEveryoneStale() {
        StoreChanges changes = new StoreChanges();
        long readAt = changes.generation();
        assertThat(changes.changedSince("cus_a", readAt)).isFalse();
        changes.changed(List.of("cus_a"));
        assertThat(changes.changedSince("cus_a", readAt)).isTrue();
        assertThat(changes.changedSince("cus_b", readAt)).isFalse();
        long again = changes.generation();
        assertThat(changes.changedSince("cus_a", again)).as("read again after the write").isFalse();
        changes.changedAll();
        assertThat(changes.changedSince("cus_a", again)).isTrue();
        assertThat(changes.changedSince("cus_b", again)).isTrue();
    }
}
