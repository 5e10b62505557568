package io.leakdetector.app.remediation;

import io.leakdetector.app.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Remediation of one finding: list its actions (viewer); start, approve, cancel actions and start its playbook (analyst). */
@RestController
@Tag(name = "remediation", description = "actions on findings: list (viewer); start, approve, cancel, playbook (analyst)")
class RemediationController {
    private final RemediationService service;

    RemediationController(RemediationService service) {
        this.service = service;
    }

    record Actions(String finding_id, List<Map<String, Object>> items) {}

    @GetMapping("/api/v1/findings/{id}/actions")
    @Operation(summary = "A finding's remediation actions, oldest first, with status, attempt, idempotency key and outcome")
    Actions list(@PathVariable String id) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (RemediationAction a : service.actionsFor(id)) items.add(Remediation.view(a));
        return new Actions(id, items);
    }

    /** action: retry_payment, request_card_update, send_auth_link, notify_customer, create_ticket, alert_team, mark_recovered, mark_dismissed. */
    record StartRequest(String action, String target, Boolean needs_approval) {}

    @PostMapping("/api/v1/findings/{id}/actions")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Start an action on a finding (a durable job; audited)", description = "target: the ticket system "
            + "(jira, zendesk, webhook) for create_ticket, the template name for notify_customer. retry_payment is refused (409) "
            + "unless the finding's last decline is soft, and while another payment retry of the finding is not finished. "
            + "needs_approval=true leaves the action pending until an analyst approves it.")
    Map<String, Object> start(@PathVariable String id, @RequestBody StartRequest body) {
        if (body == null || body.action() == null) throw ApiException.badField("action", "action is required");
        ActionType type;
        try {
            type = ActionType.parse(body.action());
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("action", e.getMessage());
        }
        if (type == ActionType.ESCALATE) throw ApiException.badField("action", "escalate runs from playbooks only");
        String target = body.target() == null || body.target().isBlank() ? null : body.target().strip();
        if (target != null && target.length() > 255) throw ApiException.badField("target", "target is at most 255 characters");
        return Remediation.view(service.start(id, type, target, Boolean.TRUE.equals(body.needs_approval())));
    }

    @PostMapping("/api/v1/findings/{id}/playbook")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Start the playbook of the finding's category: its first applicable step and the escalation timer")
    Actions playbook(@PathVariable String id) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (RemediationAction a : service.startPlaybook(id)) items.add(Remediation.view(a));
        return new Actions(id, items);
    }

    @GetMapping("/api/v1/actions/{id}")
    @Operation(summary = "One action")
    Map<String, Object> get(@PathVariable String id) {
        return Remediation.view(service.action(id).orElseThrow(() -> ApiException.notFound("action", id)));
    }

    @PostMapping("/api/v1/actions/{id}/approve")
    @Operation(summary = "Approve an action that waits for approval: it is scheduled for its due time (audited)")
    Map<String, Object> approve(@PathVariable String id) {
        return Remediation.view(service.approve(id));
    }

    @PostMapping("/api/v1/actions/{id}/cancel")
    @Operation(summary = "Cancel an action that has not finished (audited); a payment retry whose request went out cannot be cancelled (409)")
    Map<String, Object> cancel(@PathVariable String id) {
        return Remediation.view(service.cancel(id));
    }
}
