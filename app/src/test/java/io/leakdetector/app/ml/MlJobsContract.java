package io.leakdetector.app.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.store.StoreTestBase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The durable job table on each database: one pending job per type, one winner per claim, leases, retries. */
abstract class MlJobsContract extends StoreTestBase {
    static final Instant T = Instant.parse("2026-05-01T10:00:00Z");

    MlJobs jobs() {
        return new MlJobs(JdbcClient.create(store.dataSource()));
    }

    @Test
    void aPendingJobIsReusedAndClaimedOnce() {
        MlJobs jobs = jobs();
        MlJobs.Job a = jobs.enqueue(MlJobs.RETRAIN, "manual", "admin", 3, T);
        MlJobs.Job b = jobs.enqueue(MlJobs.RETRAIN, "drift", "scheduler", 3, T);
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(jobs.enqueue(MlJobs.SCORE, "schedule", "scheduler", 3, T).id()).isNotEqualTo(a.id());
        MlJobs.Job claimed = jobs.claim(T, Duration.ofMinutes(30)).orElseThrow();
        assertThat(claimed.status()).isEqualTo("running");
        assertThat(claimed.attempts()).isEqualTo(1);
        MlJobs.Job second = jobs.claim(T, Duration.ofMinutes(30)).orElseThrow();
        assertThat(second.id()).isNotEqualTo(claimed.id());
        assertThat(jobs.claim(T, Duration.ofMinutes(30))).isEmpty();
        jobs.done(claimed.id(), "ok", null, T);
        assertThat(jobs.find(claimed.id()).orElseThrow().status()).isEqualTo("done");
        assertThat(jobs.lastDone(claimed.type())).contains(T);
    }

    @Test
    void aJobWhoseWorkerDiedIsTakenOverAfterItsLease() {
        MlJobs jobs = jobs();
        MlJobs.Job a = jobs.enqueue(MlJobs.RETRAIN, "manual", "admin", 3, T);
        jobs.claim(T, Duration.ofMinutes(30)).orElseThrow();
        assertThat(jobs.claim(T.plus(Duration.ofMinutes(10)), Duration.ofMinutes(30))).isEmpty();
        MlJobs.Job again = jobs.claim(T.plus(Duration.ofMinutes(31)), Duration.ofMinutes(30)).orElseThrow();
        assertThat(again.id()).isEqualTo(a.id());
        assertThat(again.attempts()).isEqualTo(2);
    }

    @Test
    void failuresRetryWithBackoffUntilAttemptsRunOut() {
        MlJobs jobs = jobs();
        jobs.enqueue(MlJobs.RETRAIN, "manual", "admin", 2, T);
        MlJobs.Job first = jobs.claim(T, Duration.ofMinutes(30)).orElseThrow();
        jobs.failed(first, "boom", Duration.ofMinutes(1), T);
        assertThat(jobs.find(first.id()).orElseThrow().status()).isEqualTo("queued");
        assertThat(jobs.claim(T, Duration.ofMinutes(30))).isEmpty(); // not due before the backoff
        MlJobs.Job second = jobs.claim(T.plus(Duration.ofMinutes(1)), Duration.ofMinutes(30)).orElseThrow();
        jobs.failed(second, "boom again", Duration.ofMinutes(2), T.plus(Duration.ofMinutes(1)));
        MlJobs.Job last = jobs.find(first.id()).orElseThrow();
        assertThat(last.status()).isEqualTo("failed");
        assertThat(last.attempts()).isEqualTo(2);
        assertThat(last.outcome()).isEqualTo("boom again");
        assertThat(jobs.claim(T.plus(Duration.ofHours(1)), Duration.ofMinutes(30))).isEmpty();
    }
}
