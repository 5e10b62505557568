package io.leakdetector.app.realtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Load limits of {@code POST /api/v1/events}, bound from {@code leak.realtime.*}.
 *
 * @param maxInFlight events processed at once; default 16 (the work is short and mostly database time)
 * @param maxWaitMillis how long an event may wait for a slot before the answer is 503 with Retry-After; default 100
 */
@ConfigurationProperties("leak.realtime")
public record RealtimeProperties(@DefaultValue("16") int maxInFlight, @DefaultValue("100") long maxWaitMillis) {}
