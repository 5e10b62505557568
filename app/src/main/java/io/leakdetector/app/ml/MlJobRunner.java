package io.leakdetector.app.ml;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the durable ML jobs of {@link MlJobs} on one worker thread, and queues them when their triggers fire: enough
 * labels for a first model, {@code newLabelsToRetrain} labels or {@code newFindingsToRetrain} new or changed findings
 * since the active model, the active model older than
 * {@code retrainInterval} (the schedule), or drift (the latest scoring's PSI of the score or of a feature at or above
 * {@link io.leakdetector.core.ml.Psi#ALERT}); and a scoring run every {@code scoreInterval}. The poller runs every
 * {@code pollInterval}; {@link #kick()} runs due jobs at once (after POST /api/v1/ml/retrain).
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(MlProperties.class)
public class MlJobRunner {
    private static final Logger log = LoggerFactory.getLogger(MlJobRunner.class);

    private final MlJobs jobs;
    private final SupervisedTraining training;
    private final ModelRegistry registry;
    private final JdbcClient jdbc;
    private final MlProperties props;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ml-jobs");
        t.setDaemon(true);
        return t;
    });

    MlJobRunner(MlJobs jobs, SupervisedTraining training, ModelRegistry registry, JdbcClient jdbc, MlProperties props) {
        this.jobs = jobs;
        this.training = training;
        this.registry = registry;
        this.jdbc = jdbc;
        this.props = props;
    }

    @Scheduled(fixedDelayString = "${leak.ml.poll-interval:30s}", initialDelayString = "${leak.ml.poll-interval:30s}")
    void poll() {
        if (!props.schedulerEnabled()) return;
        try {
            queueTriggered(Instant.now());
        } catch (RuntimeException e) {
            log.warn("ML trigger check failed: {}", e.toString());
        }
        kick();
    }

    /** Runs every due job on the worker thread, soon. */
    public void kick() {
        worker.execute(this::runDue);
    }

    /** Queues the jobs whose triggers fire now; returns the reason of a queued retrain, if any. */
    Optional<String> queueTriggered(Instant now) {
        Optional<ModelRegistry.Version> active = registry.active(ModelRegistry.SUPERVISED);
        Optional<String> reason = retrainReason(active, now);
        reason.ifPresent(r -> jobs.enqueue(MlJobs.RETRAIN, r, "scheduler", props.maxAttempts(), now));
        if (active.isPresent()) {
            Optional<Instant> last = jobs.lastDone(MlJobs.SCORE);
            Instant since = last.orElse(active.get().trainedAt());
            if (!since.plus(props.scoreInterval()).isAfter(now)) jobs.enqueue(MlJobs.SCORE, "schedule", "scheduler", props.maxAttempts(), now);
        }
        return reason;
    }

    private Optional<String> retrainReason(Optional<ModelRegistry.Version> active, Instant now) {
        if (active.isEmpty()) {
            SupervisedTraining.LabelCounts c = training.labelCounts(null);
            boolean enough = c.total() >= props.minLabels() && c.confirmed() > 0 && c.dismissed() > 0;
            return enough ? Optional.of("new_labels") : Optional.empty();
        }
        ModelRegistry.Version v = active.get();
        if (training.labelCounts(v.trainedAt()).since() >= props.newLabelsToRetrain()) return Optional.of("new_labels");
        long newFindings = jdbc.sql("SELECT COUNT(*) FROM findings WHERE updated_at > ?")
                .param(io.leakdetector.app.detect.FindingRepository.odt(v.trainedAt())).query(Long.class).single();
        if (newFindings >= props.newFindingsToRetrain()) return Optional.of("new_data");
        if (!v.trainedAt().plus(props.retrainInterval()).isAfter(now)) return Optional.of("schedule");
        Double psi = jdbc.sql("SELECT GREATEST(COALESCE(score_psi, 0), COALESCE(max_feature_psi, 0)) FROM ml_scoring_stats "
                        + "WHERE model_id = ? ORDER BY scored_at DESC, id DESC FETCH FIRST 1 ROWS ONLY")
                .param(v.id()).query(Double.class).optional().orElse(null);
        if (psi != null && psi >= io.leakdetector.core.ml.Psi.ALERT) return Optional.of("drift");
        return Optional.empty();
    }

    private void runDue() {
        while (true) {
            Instant now = Instant.now();
            Optional<MlJobs.Job> claimed = jobs.claim(now, props.lease());
            if (claimed.isEmpty()) return;
            MlJobs.Job job = claimed.get();
            try {
                if (MlJobs.RETRAIN.equals(job.type())) {
                    ModelRegistry.Version v = training.train(job.reason());
                    jobs.done(job.id(), "trained " + v.kind() + " version " + v.version(), v.id(), Instant.now());
                } else {
                    Optional<SupervisedTraining.Scored> s = training.scoreWithActive();
                    jobs.done(job.id(), s.map(x -> "scored " + x.rows() + " findings").orElse("skipped: no active model"),
                            s.map(SupervisedTraining.Scored::modelId).orElse(null), Instant.now());
                }
            } catch (SupervisedTraining.NotEnoughLabels e) {
                jobs.done(job.id(), "skipped: " + e.getMessage(), null, Instant.now());
            } catch (RuntimeException e) {
                log.warn("ML job {} ({}) failed, attempt {} of {}: {}", job.id(), job.type(), job.attempts(), job.maxAttempts(), e.toString());
                jobs.failed(job, e.toString(), Duration.ofMinutes(job.attempts()), Instant.now());
            }
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
