package io.leakdetector.app.remediation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of remediation actions and payment intents (V10__remediation.sql). Runs in the caller's transaction. */
@Repository
public class ActionRepository {
    private static final String COLUMNS = "id, finding_id, action, target, playbook_step, status, attempt, idempotency_key, due_at, "
            + "created_by, created_at, approved_by, executions, outcome, external_ref, last_error, finished_at";
    private final JdbcClient jdbc;

    public ActionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a new action; its attempt number is one more than the same action's count on the finding. */
    public RemediationAction insert(String findingId, ActionType action, String target, Integer step, ActionStatus status,
                                    Instant dueAt, String createdBy) {
        int attempt = jdbc.sql("SELECT COUNT(*) FROM remediation_actions WHERE finding_id = ? AND action = ?")
                .params(findingId, action.wire()).query(Integer.class).single() + 1;
        String id = "act_" + UUID.randomUUID().toString().replace("-", "");
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("INSERT INTO remediation_actions (id, finding_id, action, target, playbook_step, status, attempt, idempotency_key, "
                        + "due_at, created_by, created_at, executions, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)")
                .params(id, findingId, action.wire(), target, step, status.wire(), attempt,
                        RemediationAction.idempotencyKey(findingId, action, attempt), Timestamp.from(dueAt), createdBy, now, now)
                .update();
        return find(id).orElseThrow();
    }

    public Optional<RemediationAction> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM remediation_actions WHERE id = ?").param(id).query(ActionRepository::row).optional();
    }

    /** A finding's actions, oldest first. */
    public List<RemediationAction> ofFinding(String findingId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM remediation_actions WHERE finding_id = ? ORDER BY created_at, id")
                .param(findingId).query(ActionRepository::row).list();
    }

    /** Actions that should have a durable job: scheduled or running (the dispatcher's safety net after a crash). */
    public List<RemediationAction> needingJobs() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM remediation_actions WHERE status IN ('scheduled', 'running') ORDER BY due_at, id")
                .query(ActionRepository::row).list();
    }

    /** Moves an action from one status to another; false when it was no longer in {@code from} (someone else moved it). */
    public boolean move(String id, ActionStatus from, ActionStatus to) {
        return jdbc.sql("UPDATE remediation_actions SET status = ?, updated_at = ?, finished_at = ? WHERE id = ? AND status = ?")
                .params(to.wire(), now(), to.finished() ? now() : null, id, from.wire()).update() == 1;
    }

    public void approve(String id, String by, Instant dueAt) {
        jdbc.sql("UPDATE remediation_actions SET status = 'scheduled', approved_by = ?, due_at = ?, updated_at = ? WHERE id = ? AND status = 'pending_approval'")
                .params(by, Timestamp.from(dueAt), now(), id).update();
    }

    /** Counts one more execution of the job and marks the action running. */
    public void started(String id) {
        jdbc.sql("UPDATE remediation_actions SET status = 'running', executions = executions + 1, updated_at = ? WHERE id = ?")
                .params(now(), id).update();
    }

    public void failedOnce(String id, String error) {
        jdbc.sql("UPDATE remediation_actions SET last_error = ?, updated_at = ? WHERE id = ?").params(cut(error), now(), id).update();
    }

    public void finish(String id, ActionStatus status, String outcome, String externalRef) {
        jdbc.sql("UPDATE remediation_actions SET status = ?, outcome = ?, external_ref = COALESCE(?, external_ref), finished_at = ?, updated_at = ? WHERE id = ?")
                .params(status.wire(), cut(outcome), externalRef, now(), now(), id).update();
    }

    /** What the payment-intent table says about a key. */
    public record Intent(String key, String actionId, String invoiceId, String state, int sends, String detail, Long amountPaidMinor) {}

    public Optional<Intent> intent(String key) {
        return jdbc.sql("SELECT idempotency_key, action_id, invoice_id, state, sends, detail, amount_paid_minor FROM payment_intents WHERE idempotency_key = ?")
                .param(key).query((rs, n) -> new Intent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getString(6), (Long) rs.getObject(7, Long.class))).optional();
    }

    /** Records the intent to send (first send) or one more send of the same key; committed before the request leaves. */
    public void recordSend(String key, String actionId, String findingId, String invoiceId) {
        Timestamp now = now();
        int n = jdbc.sql("UPDATE payment_intents SET sends = sends + 1, last_sent_at = ? WHERE idempotency_key = ?").params(now, key).update();
        if (n == 0) {
            jdbc.sql("INSERT INTO payment_intents (idempotency_key, action_id, finding_id, invoice_id, state, sends, first_sent_at, last_sent_at) "
                    + "VALUES (?, ?, ?, ?, 'sending', 1, ?, ?)").params(key, actionId, findingId, invoiceId, now, now).update();
        }
    }

    public void recordAnswer(String key, String state, Long amountPaidMinor, String detail) {
        jdbc.sql("UPDATE payment_intents SET state = ?, answered_at = ?, amount_paid_minor = ?, detail = ? WHERE idempotency_key = ?")
                .params(state, now(), amountPaidMinor, cut(detail), key).update();
    }

    /** Payment intents of a finding that were sent and never answered (a retry of the same key is still owed). */
    public boolean hasOpenIntent(String findingId) {
        return jdbc.sql("SELECT COUNT(*) FROM payment_intents WHERE finding_id = ? AND state = 'sending'").param(findingId)
                .query(Integer.class).single() > 0;
    }

    static RemediationAction row(ResultSet rs, int n) throws SQLException {
        return new RemediationAction(rs.getString("id"), rs.getString("finding_id"), ActionType.parse(rs.getString("action")),
                rs.getString("target"), (Integer) rs.getObject("playbook_step", Integer.class), ActionStatus.parse(rs.getString("status")),
                rs.getInt("attempt"), rs.getString("idempotency_key"), instant(rs, "due_at"), rs.getString("created_by"),
                instant(rs, "created_at"), rs.getString("approved_by"), rs.getInt("executions"), rs.getString("outcome"),
                rs.getString("external_ref"), rs.getString("last_error"), instant(rs, "finished_at"));
    }

    static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    static String cut(String s) {
        return s != null && s.length() > 4000 ? s.substring(0, 4000) : s;
    }
}
