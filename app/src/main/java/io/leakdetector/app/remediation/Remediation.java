package io.leakdetector.app.remediation;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.security.AuditLog;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.detect.DeclineClass;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The remediation engine without Spring: starts, approves and cancels actions, runs playbooks step by step, and is
 * the body of the durable action job ({@link #run}). Every action and status change is written to the audit log.
 * The server wraps it in {@link RemediationService}; the kill test runs it in a bare JVM.
 */
public final class Remediation {
    private static final Logger log = LoggerFactory.getLogger(Remediation.class);
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Jobs jobs;
    private final ActionRepository actions;
    private final FindingRepository findings;
    private final PlaybookRepository playbooks;
    private final Recoveries recoveries;
    private final AuditLog audit;
    private final Map<ActionType, ActionExecutor> executors;
    private final OutboundWebhooks outbound;

    public Remediation(JdbcClient jdbc, TransactionTemplate tx, Jobs jobs, Map<ActionType, ActionExecutor> executors,
                       OutboundWebhooks outbound) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.jobs = jobs;
        this.actions = new ActionRepository(jdbc);
        this.findings = new FindingRepository(jdbc);
        this.playbooks = new PlaybookRepository(jdbc);
        this.recoveries = new Recoveries(jdbc, tx, outbound);
        this.audit = new AuditLog(jdbc);
        this.executors = new EnumMap<>(ActionType.class);
        this.executors.putAll(executors);
        this.executors.putIfAbsent(ActionType.MARK_RECOVERED, this::markRecovered);
        this.executors.putIfAbsent(ActionType.MARK_DISMISSED, this::markDismissed);
        ActionExecutor alert = this.executors.get(ActionType.ALERT_TEAM);
        if (alert != null) this.executors.putIfAbsent(ActionType.ESCALATE, c -> escalationDue(c, alert));
        this.outbound = outbound;
    }

    public List<RemediationAction> actionsFor(String findingId) {
        finding(findingId);
        return actions.ofFinding(findingId);
    }

    public Optional<RemediationAction> action(String actionId) {
        return actions.find(actionId);
    }

    /** Starts one action now (an analyst's click); {@code approved} false leaves it waiting for approval. */
    public RemediationAction start(String findingId, ActionType type, String target, boolean approved, String actor) {
        try {
            return startOnce(findingId, type, target, approved, actor);
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // two starts raced for the same attempt number: the idempotency key is unique, the second one loses
            throw ApiException.conflict("another " + type.wire() + " was started on finding " + findingId + " at the same moment");
        }
    }

    private RemediationAction startOnce(String findingId, ActionType type, String target, boolean approved, String actor) {
        RemediationAction a = tx.execute(s -> {
            Finding f = finding(findingId);
            requireStartable(f, type);
            RemediationAction created = actions.insert(findingId, type, target, null,
                    approved ? ActionStatus.SCHEDULED : ActionStatus.PENDING_APPROVAL, Instant.now(), actor);
            if (approved) jdbc.sql("UPDATE remediation_actions SET approved_by = ? WHERE id = ?").params(actor, created.id()).update();
            audit.recordAs(actor, "action.create", "action", created.id(), describe(created));
            toInRemediation(f, actor);
            return created;
        });
        if (a.status() == ActionStatus.SCHEDULED) jobs.scheduleAction(a.id(), a.dueAt());
        return actions.find(a.id()).orElseThrow();
    }

    /** Only mark_dismissed may act on a finding that is recovered or dismissed. */
    private static void requireOpen(Finding f, ActionType type) {
        if (type != ActionType.MARK_DISMISSED && (f.status() == FindingStatus.RECOVERED || f.status() == FindingStatus.DISMISSED)) {
            throw new ApiException(HttpStatus.CONFLICT, "finding-closed", null, "finding " + f.id() + " is " + f.status().wire());
        }
    }

    private void requireStartable(Finding f, ActionType type) {
        requireOpen(f, type);
        if (type == ActionType.RETRY_PAYMENT) {
            if (DeclineClasses.invoiceOf(f).isEmpty()) {
                throw new ApiException(HttpStatus.CONFLICT, "not-retryable", "action", "retry_payment needs a finding about an invoice");
            }
            DeclineClass dc = DeclineClasses.of(jdbc, f).orElse(null);
            if (dc != DeclineClass.SOFT) {
                throw new ApiException(HttpStatus.CONFLICT, "not-retryable", "action", "retry_payment is only for soft declines; this finding's "
                        + "last decline is " + (dc == null ? "not a payment decline" : dc.wire() + ": " + dc.action()));
            }
            for (RemediationAction other : actions.ofFinding(f.id())) {
                if (other.action() == ActionType.RETRY_PAYMENT && !other.status().finished()) {
                    throw new ApiException(HttpStatus.CONFLICT, "retry-in-progress", "action",
                            "payment retry " + other.id() + " is still " + other.status().wire() + " for this finding");
                }
            }
        }
    }

    /** Starts the category's playbook: its first step that applies, and the escalation timer. */
    public List<RemediationAction> startPlaybook(String findingId, String actor) {
        List<RemediationAction> created = tx.execute(s -> {
            Finding f = finding(findingId);
            if (f.status() == FindingStatus.RECOVERED || f.status() == FindingStatus.DISMISSED) {
                throw new ApiException(HttpStatus.CONFLICT, "finding-closed", null, "finding " + f.id() + " is " + f.status().wire());
            }
            for (RemediationAction other : actions.ofFinding(findingId)) {
                if (other.playbookStep() != null && !other.status().finished()) {
                    throw ApiException.conflict("the playbook of finding " + findingId + " is already running (" + other.id() + ")");
                }
            }
            Playbook p = playbooks.find(f.category().name()).orElseThrow(() -> ApiException.notFound("playbook", f.category().name()));
            List<RemediationAction> out = new ArrayList<>();
            nextStep(f, p, 0, actor).ifPresent(out::add);
            if (p.escalateAfterDays() != null) {
                out.add(actions.insert(findingId, ActionType.ESCALATE, String.valueOf(p.escalateAfterDays()), null, ActionStatus.SCHEDULED,
                        Instant.now().plus(Duration.ofDays(p.escalateAfterDays())), actor));
            }
            audit.recordAs(actor, "playbook.start", "finding", findingId, f.category().name() + ": " + out.size() + " actions");
            toInRemediation(f, actor);
            return out;
        });
        for (RemediationAction a : created) if (a.status() == ActionStatus.SCHEDULED) jobs.scheduleAction(a.id(), a.dueAt());
        return created;
    }

    /** Creates the first step after {@code afterPosition} that applies to the finding (decline class). */
    private Optional<RemediationAction> nextStep(Finding f, Playbook p, int afterPosition, String actor) {
        String decline = DeclineClasses.of(jdbc, f).map(DeclineClass::wire).orElse(null);
        for (Playbook.Step step : p.steps()) {
            if (step.position() <= afterPosition) continue;
            if (step.declineClass() != null && !step.declineClass().equalsIgnoreCase(String.valueOf(decline))) continue;
            if (step.action() == ActionType.RETRY_PAYMENT && !"soft".equals(decline)) continue;
            RemediationAction a = actions.insert(f.id(), step.action(), step.target(), step.position(),
                    step.needsApproval() ? ActionStatus.PENDING_APPROVAL : ActionStatus.SCHEDULED,
                    Instant.now().plus(Duration.ofDays(step.waitDays())), actor);
            audit.recordAs(actor, "action.create", "action", a.id(), describe(a) + " (playbook step " + step.position() + ")");
            return Optional.of(a);
        }
        return Optional.empty();
    }

    public RemediationAction approve(String actionId, String actor) {
        RemediationAction a = tx.execute(s -> {
            RemediationAction cur = actions.find(actionId).orElseThrow(() -> ApiException.notFound("action", actionId));
            if (cur.status() != ActionStatus.PENDING_APPROVAL) {
                throw new ApiException(HttpStatus.CONFLICT, "invalid-transition", null, "action " + actionId + " is " + cur.status().wire() + ", not pending_approval");
            }
            requireOpen(finding(cur.findingId()), cur.action());
            Instant due = cur.dueAt().isAfter(Instant.now()) ? cur.dueAt() : Instant.now();
            actions.approve(actionId, actor, due);
            audit.recordAs(actor, "action.approve", "action", actionId, describe(cur));
            return actions.find(actionId).orElseThrow();
        });
        jobs.scheduleAction(a.id(), a.dueAt());
        return a;
    }

    public RemediationAction cancel(String actionId, String actor) {
        RemediationAction a = tx.execute(s -> {
            RemediationAction cur = actions.find(actionId).orElseThrow(() -> ApiException.notFound("action", actionId));
            if (cur.status().finished()) {
                throw new ApiException(HttpStatus.CONFLICT, "invalid-transition", null, "action " + actionId + " is already " + cur.status().wire());
            }
            if (cur.action() == ActionType.RETRY_PAYMENT && actions.intent(cur.idempotencyKey()).map(i -> "sending".equals(i.state())).orElse(false)) {
                // The provider may have taken the payment: the job must finish asking with the same key first.
                throw new ApiException(HttpStatus.CONFLICT, "payment-in-flight", null,
                        "payment retry " + actionId + " was sent and its answer is not recorded yet; it cannot be cancelled");
            }
            if (!actions.move(actionId, cur.status(), ActionStatus.CANCELLED)) throw ApiException.conflict("action " + actionId + " changed meanwhile; try again");
            actions.finish(actionId, ActionStatus.CANCELLED, "cancelled by " + actor, null);
            audit.recordAs(actor, "action.cancel", "action", actionId, describe(cur));
            return actions.find(actionId).orElseThrow();
        });
        jobs.cancelAction(actionId);
        return a;
    }

    /**
     * The body of the durable job. Does nothing for an action that is no longer scheduled or running (cancelled,
     * finished). A {@link ActionExecutor.Retryable} or unexpected failure is recorded and rethrown, so db-scheduler
     * retries it with backoff; the same idempotency key goes out again.
     */
    public void run(String actionId) {
        Optional<RemediationAction> found = actions.find(actionId);
        if (found.isEmpty() || (found.get().status() != ActionStatus.SCHEDULED && found.get().status() != ActionStatus.RUNNING)) return;
        RemediationAction a = found.get();
        Finding f = findings.find(a.findingId()).orElse(null);
        if (f == null) return;
        boolean closed = f.status() == FindingStatus.RECOVERED || f.status() == FindingStatus.DISMISSED;
        if (closed && a.action() != ActionType.MARK_DISMISSED && a.action() != ActionType.MARK_RECOVERED) {
            finish(a, ActionExecutor.Outcome.skipped("finding is " + f.status().wire()));
            return;
        }
        ActionExecutor executor = executors.get(a.action());
        if (executor == null) {
            finish(a, ActionExecutor.Outcome.failed(a.action().wire() + " is not configured in this process"));
            return;
        }
        tx.executeWithoutResult(s -> actions.started(actionId));
        ActionExecutor.Outcome outcome;
        try {
            outcome = executor.execute(new ActionExecutor.Context(actions.find(actionId).orElseThrow(), f, jdbc));
        } catch (ActionExecutor.Permanent e) {
            outcome = ActionExecutor.Outcome.failed(e.getMessage());
        } catch (Exception e) {
            String why = e instanceof ActionExecutor.Retryable ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            tx.executeWithoutResult(s -> {
                actions.failedOnce(actionId, why);
                audit.recordAs("system", "action.retry", "action", actionId, describe(a) + " failed, will retry: " + why);
            });
            log.warn("action {} ({}) failed, will retry: {}", actionId, a.action().wire(), why);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(why, e);
        }
        finish(a, outcome);
    }

    /** Called when the job has used up its retries. */
    public void gaveUp(String actionId, String error) {
        actions.find(actionId).filter(a -> !a.status().finished()).ifPresent(a ->
                finish(a, ActionExecutor.Outcome.failed("gave up after " + a.executions() + " tries: " + error)));
    }

    private void finish(RemediationAction a, ActionExecutor.Outcome o) {
        Optional<RemediationAction> next = tx.execute(s -> {
            actions.finish(a.id(), o.status(), o.detail(), o.externalRef());
            audit.recordAs("system", "action." + o.status().wire(), "action", a.id(), describe(a) + ": " + o.detail());
            if (o.recovery() != null) recoveries.markRecovered(o.recovery(), "system");
            Finding f = findings.find(a.findingId()).orElseThrow();
            if (a.action() == ActionType.ESCALATE && o.status() == ActionStatus.SKIPPED && o.externalRef() != null) {
                // progress was made: the escalation timer starts again from that progress
                Instant rearm = Instant.parse(o.externalRef()).plus(Duration.ofDays(Integer.parseInt(a.target())));
                return Optional.of(actions.insert(a.findingId(), ActionType.ESCALATE, a.target(), null, ActionStatus.SCHEDULED, rearm, "system"));
            }
            if (a.playbookStep() == null || f.status() == FindingStatus.RECOVERED || f.status() == FindingStatus.DISMISSED) return Optional.<RemediationAction>empty();
            return playbooks.find(f.category().name()).flatMap(p -> nextStep(f, p, a.playbookStep(), "system"));
        });
        next.filter(n -> n.status() == ActionStatus.SCHEDULED).ifPresent(n -> jobs.scheduleAction(n.id(), n.dueAt()));
        if (outbound != null) {
            RemediationAction done = actions.find(a.id()).orElseThrow();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("action", view(done));
            findings.find(a.findingId()).ifPresent(f -> payload.put("finding_status", f.status().wire()));
            outbound.publish("action.completed", payload);
        }
    }

    /** The escalation check: progress (a status change or a successful action) within the last N days skips it. */
    ActionExecutor.Outcome escalationDue(ActionExecutor.Context c, ActionExecutor alert) throws Exception {
        int days = Integer.parseInt(c.action().target() == null ? "14" : c.action().target());
        Instant since = Instant.now().minus(Duration.ofDays(days));
        Instant progress = latest(
                jdbc.sql("SELECT MAX(changed_at) FROM finding_status_history WHERE finding_id = ? AND to_status <> 'in_remediation'")
                        .param(c.finding().id()).query(OffsetDateTime.class).optional().orElse(null),
                jdbc.sql("SELECT MAX(finished_at) FROM remediation_actions WHERE finding_id = ? AND status = 'succeeded' AND action <> 'escalate'")
                        .param(c.finding().id()).query(OffsetDateTime.class).optional().orElse(null));
        if (progress != null && progress.isAfter(since)) {
            return new ActionExecutor.Outcome(ActionStatus.SKIPPED, "progress on " + progress + "; escalation re-armed", progress.toString(), null);
        }
        return alert.execute(c);
    }

    private static Instant latest(OffsetDateTime a, OffsetDateTime b) {
        Instant x = a == null ? null : a.toInstant();
        Instant y = b == null ? null : b.toInstant();
        if (x == null) return y;
        if (y == null) return x;
        return x.isAfter(y) ? x : y;
    }

    private ActionExecutor.Outcome markRecovered(ActionExecutor.Context c) {
        return new ActionExecutor.Outcome(ActionStatus.SUCCEEDED, "marked recovered", null, Recoveries.byAnalyst(c.finding(), c.action().createdBy()));
    }

    private ActionExecutor.Outcome markDismissed(ActionExecutor.Context c) {
        Finding f = c.finding();
        if (f.status() == FindingStatus.DISMISSED) return ActionExecutor.Outcome.skipped("already dismissed");
        if (f.status() == FindingStatus.RECOVERED) return ActionExecutor.Outcome.skipped("finding is recovered");
        tx.executeWithoutResult(s -> {
            findings.changeStatus(f.id(), f.status(), FindingStatus.DISMISSED, c.action().createdBy(), "dismissed by action " + c.action().id());
            audit.recordAs(c.action().createdBy(), "finding.status", "finding", f.id(), f.status().wire() + " -> dismissed");
            jdbc.sql("UPDATE remediation_actions SET status = 'cancelled', outcome = 'finding dismissed', finished_at = CURRENT_TIMESTAMP, "
                    + "updated_at = CURRENT_TIMESTAMP WHERE finding_id = ? AND status IN ('pending_approval', 'scheduled')").param(f.id()).update();
        });
        return ActionExecutor.Outcome.succeeded("marked dismissed", null);
    }

    /** Re-creates missing jobs of scheduled or running actions (after a crash between the commit and the schedule). */
    public int redispatch() {
        int n = 0;
        for (RemediationAction a : actions.needingJobs()) {
            jobs.scheduleAction(a.id(), a.dueAt().isAfter(Instant.now()) ? a.dueAt() : Instant.now());
            n++;
        }
        return n;
    }

    private void toInRemediation(Finding f, String actor) {
        if (f.status() == FindingStatus.OPEN || f.status() == FindingStatus.ACKNOWLEDGED) {
            findings.changeStatus(f.id(), f.status(), FindingStatus.IN_REMEDIATION, actor, "remediation started");
            audit.recordAs(actor, "finding.status", "finding", f.id(), f.status().wire() + " -> in_remediation");
        }
    }

    private Finding finding(String id) {
        return findings.find(id).orElseThrow(() -> ApiException.notFound("finding", id));
    }

    static String describe(RemediationAction a) {
        return a.action().wire() + (a.target() == null ? "" : "(" + a.target() + ")") + " on finding " + a.findingId()
                + " attempt " + a.attempt() + " key " + a.idempotencyKey();
    }

    /** The action as the API and outbound webhooks show it. */
    public static Map<String, Object> view(RemediationAction a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("finding_id", a.findingId());
        m.put("action", a.action().wire());
        m.put("target", a.target());
        m.put("playbook_step", a.playbookStep());
        m.put("status", a.status().wire());
        m.put("attempt", a.attempt());
        m.put("idempotency_key", a.idempotencyKey());
        m.put("due_at", String.valueOf(a.dueAt()));
        m.put("created_by", a.createdBy());
        m.put("created_at", String.valueOf(a.createdAt()));
        m.put("approved_by", a.approvedBy());
        m.put("executions", a.executions());
        m.put("outcome", a.outcome());
        m.put("external_ref", a.externalRef());
        m.put("last_error", a.lastError());
        m.put("finished_at", a.finishedAt() == null ? null : a.finishedAt().toString());
        return m;
    }
}
