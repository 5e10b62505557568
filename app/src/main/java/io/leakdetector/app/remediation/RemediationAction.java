package io.leakdetector.app.remediation;

import java.time.Instant;

/**
 * One action on one finding, as stored. {@code idempotencyKey} is fixed at creation from the finding id, the action
 * and its attempt number, so every re-run of the job presents the same key to the outside world.
 */
public record RemediationAction(String id, String findingId, ActionType action, String target, Integer playbookStep,
                                ActionStatus status, int attempt, String idempotencyKey, Instant dueAt, String createdBy,
                                Instant createdAt, String approvedBy, int executions, String outcome, String externalRef,
                                String lastError, Instant finishedAt) {

    /** The key: {@code <finding id>:<action>:<attempt>}, hashed when it would exceed what providers take (255). */
    public static String idempotencyKey(String findingId, ActionType action, int attempt) {
        String key = findingId + ":" + action.wire() + ":" + attempt;
        if (key.length() <= 200) return key;
        return "ld-" + Hmac.sha256Hex(key) + ":" + action.wire() + ":" + attempt;
    }
}
