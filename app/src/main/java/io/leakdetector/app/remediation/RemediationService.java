package io.leakdetector.app.remediation;

import io.leakdetector.app.security.AuditLog;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * What pages and controllers call: a finding's actions, start / approve / cancel an action, start a playbook. The
 * acting user is the current principal (or {@code system}).
 */
@Service
public class RemediationService {
    private final Remediation remediation;

    RemediationService(Remediation remediation) {
        this.remediation = remediation;
    }

    /** A finding's actions, oldest first (404 problem when the finding does not exist). */
    public List<RemediationAction> actionsFor(String findingId) {
        return remediation.actionsFor(findingId);
    }

    public Optional<RemediationAction> action(String actionId) {
        return remediation.action(actionId);
    }

    /** Starts an action on a finding now; {@code needsApproval} leaves it pending until someone approves it. */
    public RemediationAction start(String findingId, ActionType type, String target, boolean needsApproval) {
        return remediation.start(findingId, type, target, !needsApproval, AuditLog.currentActor());
    }

    public List<RemediationAction> startPlaybook(String findingId) {
        return remediation.startPlaybook(findingId, AuditLog.currentActor());
    }

    public RemediationAction approve(String actionId) {
        return remediation.approve(actionId, AuditLog.currentActor());
    }

    public RemediationAction cancel(String actionId) {
        return remediation.cancel(actionId, AuditLog.currentActor());
    }
}
