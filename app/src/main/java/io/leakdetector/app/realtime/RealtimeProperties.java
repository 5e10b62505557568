package io.leakdetector.app.realtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Load limits of {@code POST /api/v1/events}, bound from {@code leak.realtime.*}.
 *
 * @param maxInFlight events in flight at once (validated, queued for writing, or being judged); default 64
 * @param maxWaitMillis how long an event may wait for a slot, or for room in the write queue, before the answer is
 *                      503 with Retry-After; default 100
 * @param queueCapacity events waiting for the group-commit writer; default 1024
 */
@ConfigurationProperties("leak.realtime")
public record RealtimeProperties(@DefaultValue("64") int maxInFlight, @DefaultValue("100") long maxWaitMillis,
                                 @DefaultValue("1024") int queueCapacity) {}
