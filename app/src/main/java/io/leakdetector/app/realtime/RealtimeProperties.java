package io.leakdetector.app.realtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Load limits and caching of {@code POST /api/v1/events}, bound from {@code leak.realtime.*}.
 *
 * @param maxInFlight events in flight at once (validated, judged, or waiting for their commit); default 64
 * @param maxWaitMillis how long an event may wait for a slot, or for room in the write queue, before the answer is
 *                      503 with Retry-After; default 100
 * @param queueCapacity events waiting for the group-commit writer; default 1024
 * @param cachedCustomers customers whose state is kept in memory between events (least recently used leave first);
 *                        default 20000
 * @param stateTtlMillis how long a customer's cached state is trusted before it is read from the store again (so
 *                       that writes by another process, such as a command-line import, are seen); default 60000
 * @param commitLingerMicros how long the group-commit writer waits for more events after the first one of a batch
 *                           (fewer, larger commits for a little latency), unless 16 or more were waiting already;
 *                           default 1000
 * @param writers group-commit writer threads, each committing its own groups (one customer's events are never in two
 *                groups at once); default 0, meaning 2 on PostgreSQL (where a writer mostly waits for the server) and 1
 *                on H2
 */
@ConfigurationProperties("leak.realtime")
public record RealtimeProperties(@DefaultValue("64") int maxInFlight, @DefaultValue("100") long maxWaitMillis,
                                 @DefaultValue("1024") int queueCapacity, @DefaultValue("20000") int cachedCustomers,
                                 @DefaultValue("60000") long stateTtlMillis, @DefaultValue("1000") long commitLingerMicros,
                                 @DefaultValue("0") int writers) {}
