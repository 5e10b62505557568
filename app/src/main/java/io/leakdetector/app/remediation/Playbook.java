package io.leakdetector.app.remediation;

import java.util.List;

/**
 * A category's playbook: whether new findings start it on their own, after how many days without progress it
 * escalates (null: never), and its ordered steps.
 */
public record Playbook(String category, boolean autoStart, Integer escalateAfterDays, List<Step> steps) {
    public Playbook {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /**
     * One step: the action (with its target), the days to wait after the previous step ended (or the start), whether
     * an analyst must approve it, and for FAILED_PAYMENT the decline class it applies to (null: any).
     */
    public record Step(int position, ActionType action, String target, int waitDays, boolean needsApproval, String declineClass) {}
}
