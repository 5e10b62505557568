package io.leakdetector.app.realtime;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where an event's time goes, as histograms in {@code /actuator/prometheus}: {@code leak_realtime_phase_seconds{phase}}
 * per event (validation, waiting for an admission slot, waiting for the customer's lock, state and detection, waiting
 * in the write queue, waking after the commit) and per group commit (linger, statements, commit, the finding listener
 * after the commit — webhooks, playbooks — and the whole cycle), and
 * {@code leak_realtime_batch_events} (events per group commit). Buckets, so that two scrapes give the percentiles of
 * what happened between them ({@code app/bench/breakdown.py}). Without a registry (unit tests) nothing is recorded.
 */
@Component
class RealtimeMetrics {
    /** Records nothing. */
    static final RealtimeMetrics NONE = new RealtimeMetrics((MeterRegistry) null);

    final Timer validate, admit, lockWait, decide, queued, wake, linger, statements, commit, tell, cycle;
    final DistributionSummary batch;

    @Autowired
    RealtimeMetrics(ObjectProvider<MeterRegistry> registry) {
        this(registry.getIfAvailable());
    }

    RealtimeMetrics(MeterRegistry registry) {
        validate = timer(registry, "validate");
        admit = timer(registry, "admit");
        lockWait = timer(registry, "lock_wait");
        decide = timer(registry, "decide");
        queued = timer(registry, "queued");
        wake = timer(registry, "wake");
        linger = timer(registry, "linger");
        statements = timer(registry, "statements");
        commit = timer(registry, "commit");
        tell = timer(registry, "tell");
        cycle = timer(registry, "cycle");
        batch = registry == null ? null : DistributionSummary.builder("leak.realtime.batch")
                .description("events per real-time group commit").baseUnit("events")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
    }

    private static Timer timer(MeterRegistry registry, String phase) {
        if (registry == null) return null;
        return Timer.builder("leak.realtime.phase")
                .description("a part of POST /api/v1/events' time: per event (validate, admit, lock_wait, decide, queued, wake) or per group commit (linger, statements, commit, tell, cycle)")
                .tag("phase", phase)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(2))
                .register(registry);
    }

    static void record(Timer t, long nanos) {
        if (t != null) t.record(nanos, TimeUnit.NANOSECONDS);
    }

    void batch(int events) {
        if (batch != null) batch.record(events);
    }
}
