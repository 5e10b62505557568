package io.leakdetector.app.api;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * A counter that moves whenever this process writes billing records or findings by a path other than the
 * real-time events (JSON ingest, webhooks, CSV import jobs): whatever was cached from the store before is to be read
 * again. The real-time path's per-customer state checks it on every event.
 */
@Component
public class StoreChanges {
    private final AtomicLong generation = new AtomicLong();

    /** Called after such a write has committed. */
    public void changed() {
        generation.incrementAndGet();
    }

    public long generation() {
        return generation.get();
    }
}
