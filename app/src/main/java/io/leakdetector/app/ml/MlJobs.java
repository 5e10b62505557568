package io.leakdetector.app.ml;

import io.leakdetector.app.detect.FindingRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The durable ML job table (V20 {@code ml_jobs}): queue a job once (a queued or running job of the same type is
 * reused), claim a due one with a conditional update (only one poller wins, also across instances), finish it, or
 * fail it with a backoff until its attempts run out. A running job whose lease expired (its process died) is due
 * again.
 */
@Repository
public class MlJobs {
    public static final String RETRAIN = "retrain";
    public static final String SCORE = "score";

    private final JdbcClient jdbc;

    MlJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A job row. */
    public record Job(long id, String type, String reason, String status, int attempts, int maxAttempts, Instant nextRunAt,
                      Instant createdAt, String requestedBy, Instant startedAt, Instant finishedAt, String outcome, Long modelId) {}

    static final String COLUMNS = "id, job_type, reason, status, attempts, max_attempts, next_run_at, created_at, requested_by, "
            + "started_at, finished_at, outcome, model_id";

    /** Queues a job of {@code type}, or returns the one already queued or running. */
    public synchronized Job enqueue(String type, String reason, String by, int maxAttempts, Instant now) {
        Optional<Job> pending = jdbc.sql("SELECT " + COLUMNS + " FROM ml_jobs WHERE job_type = ? AND status IN ('queued', 'running') "
                + "ORDER BY id FETCH FIRST 1 ROWS ONLY").param(type).query(MlJobs::row).optional();
        if (pending.isPresent()) return pending.get();
        jdbc.sql("INSERT INTO ml_jobs (job_type, reason, status, attempts, max_attempts, next_run_at, created_at, requested_by) "
                        + "VALUES (?, ?, 'queued', 0, ?, ?, ?, ?)")
                .params(type, reason, maxAttempts, FindingRepository.odt(now), FindingRepository.odt(now), by).update();
        return jdbc.sql("SELECT " + COLUMNS + " FROM ml_jobs WHERE job_type = ? AND status = 'queued' ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
                .param(type).query(MlJobs::row).single();
    }

    /** Claims the oldest due job (queued and due, or running with an expired lease); empty when none or another poller won. */
    public Optional<Job> claim(Instant now, Duration lease) {
        List<Long> due = jdbc.sql("SELECT id FROM ml_jobs WHERE (status = 'queued' AND next_run_at <= ?) "
                        + "OR (status = 'running' AND lease_until < ?) ORDER BY next_run_at, id FETCH FIRST 5 ROWS ONLY")
                .params(FindingRepository.odt(now), FindingRepository.odt(now)).query(Long.class).list();
        for (long id : due) {
            int won = jdbc.sql("UPDATE ml_jobs SET status = 'running', attempts = attempts + 1, started_at = ?, lease_until = ? "
                            + "WHERE id = ? AND ((status = 'queued' AND next_run_at <= ?) OR (status = 'running' AND lease_until < ?))")
                    .params(FindingRepository.odt(now), FindingRepository.odt(now.plus(lease)), id, FindingRepository.odt(now),
                            FindingRepository.odt(now))
                    .update();
            if (won == 1) return find(id);
        }
        return Optional.empty();
    }

    public void done(long id, String outcome, Long modelId, Instant now) {
        jdbc.sql("UPDATE ml_jobs SET status = 'done', finished_at = ?, lease_until = NULL, outcome = ?, model_id = ? WHERE id = ?")
                .params(FindingRepository.odt(now), cut(outcome), modelId, id).update();
    }

    /** Records a failure: queued again after {@code backoff} while attempts remain, else failed for good. */
    public void failed(Job job, String error, Duration backoff, Instant now) {
        boolean retry = job.attempts() < job.maxAttempts();
        jdbc.sql("UPDATE ml_jobs SET status = ?, next_run_at = ?, lease_until = NULL, finished_at = ?, outcome = ? WHERE id = ?")
                .params(retry ? "queued" : "failed", FindingRepository.odt(now.plus(backoff)), retry ? null : FindingRepository.odt(now),
                        cut(error), job.id())
                .update();
    }

    public Optional<Job> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM ml_jobs WHERE id = ?").param(id).query(MlJobs::row).optional();
    }

    /** The latest jobs, newest first. */
    public List<Job> recent(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM ml_jobs ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY").query(MlJobs::row).list();
    }

    /** When the last job of {@code type} finished successfully, if ever. */
    public Optional<Instant> lastDone(String type) {
        return jdbc.sql("SELECT MAX(finished_at) AS last_done FROM ml_jobs WHERE job_type = ? AND status = 'done'").param(type)
                .query((rs, n) -> ModelRegistry.instant(rs, "last_done")).optional().filter(i -> i != null);
    }

    private static String cut(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 4000);
    }

    private static Job row(ResultSet rs, int n) throws SQLException {
        long model = rs.getLong("model_id");
        Long modelId = rs.wasNull() ? null : model;
        return new Job(rs.getLong("id"), rs.getString("job_type"), rs.getString("reason"), rs.getString("status"),
                rs.getInt("attempts"), rs.getInt("max_attempts"), ModelRegistry.instant(rs, "next_run_at"),
                ModelRegistry.instant(rs, "created_at"), rs.getString("requested_by"), ModelRegistry.instant(rs, "started_at"),
                ModelRegistry.instant(rs, "finished_at"), rs.getString("outcome"), modelId);
    }
}
