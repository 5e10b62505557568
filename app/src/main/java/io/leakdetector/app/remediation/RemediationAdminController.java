package io.leakdetector.app.remediation;

import io.leakdetector.app.security.AuditLog;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.finding.Category;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin settings of remediation: playbooks, e-mail templates, outbound webhook subscriptions, integration status. */
@RestController
@Tag(name = "remediation admin", description = "playbooks, e-mail templates, webhook subscriptions, integrations (admin)")
class RemediationAdminController {
    private final PlaybookRepository playbooks;
    private final EmailTemplates templates;
    private final OutboundWebhooks outbound;
    private final RemediationProperties props;
    private final TransactionTemplate tx;
    private final AuditLog audit;

    RemediationAdminController(PlaybookRepository playbooks, EmailTemplates templates, OutboundWebhooks outbound,
                               RemediationProperties props, TransactionTemplate tx, AuditLog audit) {
        this.playbooks = playbooks;
        this.templates = templates;
        this.outbound = outbound;
        this.props = props;
        this.tx = tx;
        this.audit = audit;
    }

    @GetMapping("/api/v1/admin/playbooks")
    @Operation(summary = "Every category's playbook")
    List<Playbook> playbooks() {
        return playbooks.all();
    }

    @GetMapping("/api/v1/admin/playbooks/{category}")
    @Operation(summary = "One category's playbook")
    Playbook playbook(@PathVariable String category) {
        return playbooks.find(category(category)).orElseThrow(() -> ApiException.notFound("playbook", category));
    }

    record StepInput(String action, String target, Integer wait_days, Boolean needs_approval, String decline_class) {}

    record PlaybookInput(Boolean auto_start, Integer escalate_after_days, List<StepInput> steps) {}

    @PutMapping("/api/v1/admin/playbooks/{category}")
    @Operation(summary = "Replace a category's playbook (ordered steps; audited)", description = "Each step: action, target, "
            + "wait_days (after the previous step), needs_approval, decline_class (FAILED_PAYMENT only: soft, hard, authentication, fraud, unknown).")
    Playbook putPlaybook(@PathVariable String category, @RequestBody PlaybookInput in) {
        String cat = category(category);
        if (in == null || in.steps() == null) throw ApiException.badField("steps", "steps is required (may be empty)");
        if (in.escalate_after_days() != null && (in.escalate_after_days() < 1 || in.escalate_after_days() > 3650)) {
            throw ApiException.badField("escalate_after_days", "escalate_after_days must be between 1 and 3650");
        }
        List<Playbook.Step> steps = new ArrayList<>();
        for (int i = 0; i < in.steps().size(); i++) {
            StepInput s = in.steps().get(i);
            String f = "steps[" + i + "].";
            if (s == null || s.action() == null) throw ApiException.badField(f + "action", f + "action is required");
            ActionType type;
            try {
                type = ActionType.parse(s.action());
            } catch (IllegalArgumentException e) {
                throw ApiException.badField(f + "action", e.getMessage());
            }
            int wait = s.wait_days() == null ? 0 : s.wait_days();
            if (wait < 0 || wait > 3650) throw ApiException.badField(f + "wait_days", "wait_days must be between 0 and 3650");
            String decline = s.decline_class() == null || s.decline_class().isBlank() ? null : s.decline_class().strip().toLowerCase(Locale.ROOT);
            if (decline != null && !List.of("soft", "hard", "authentication", "fraud", "unknown").contains(decline)) {
                throw ApiException.badField(f + "decline_class", "decline_class must be soft, hard, authentication, fraud or unknown");
            }
            if (type == ActionType.RETRY_PAYMENT && decline != null && !decline.equals("soft")) {
                throw ApiException.badField(f + "decline_class", "retry_payment is only for soft declines");
            }
            steps.add(new Playbook.Step(i + 1, type, s.target() == null || s.target().isBlank() ? null : s.target().strip(), wait,
                    Boolean.TRUE.equals(s.needs_approval()), decline));
        }
        Playbook p = new Playbook(cat, Boolean.TRUE.equals(in.auto_start()), in.escalate_after_days(), steps);
        tx.executeWithoutResult(s -> {
            playbooks.save(p, AuditLog.currentActor());
            audit.record("playbook.update", "playbook", cat, steps.size() + " steps, auto_start=" + p.autoStart()
                    + ", escalate_after_days=" + p.escalateAfterDays());
        });
        return playbooks.find(cat).orElseThrow();
    }

    private static String category(String text) {
        try {
            return Category.valueOf(text.strip().toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("category", text);
        }
    }

    @GetMapping("/api/v1/admin/templates")
    @Operation(summary = "Customer e-mail templates")
    List<EmailTemplates.Template> templates() {
        return templates.all();
    }

    record TemplateInput(String subject, String body) {}

    @PutMapping("/api/v1/admin/templates/{name}")
    @Operation(summary = "Create or replace an e-mail template (placeholders: {{customer_name}}, {{customer_id}}, {{invoice_id}}, "
            + "{{amount}}, {{finding_id}}, {{category}}, {{payment_link}}; audited)")
    EmailTemplates.Template putTemplate(@PathVariable String name, @RequestBody TemplateInput in) {
        if (!name.matches("[a-z0-9_]{1,100}")) throw ApiException.badField("name", "template names are 1-100 of a-z, 0-9 and _");
        if (in == null || in.subject() == null || in.subject().isBlank()) throw ApiException.badField("subject", "subject is required");
        if (in.body() == null || in.body().isBlank()) throw ApiException.badField("body", "body is required");
        if (in.subject().length() > 1000) throw ApiException.badField("subject", "subject is at most 1000 characters");
        if (in.body().length() > 100_000) throw ApiException.badField("body", "body is at most 100000 characters");
        tx.executeWithoutResult(s -> {
            templates.save(name, in.subject(), in.body(), AuditLog.currentActor());
            audit.record("template.update", "email_template", name, in.subject());
        });
        return templates.find(name).orElseThrow();
    }

    record SubscriptionInput(String url, List<String> events) {}

    @PostMapping("/api/v1/admin/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Subscribe a URL to outbound events (finding.created, finding.updated, action.completed); the signing secret is returned once")
    Map<String, Object> subscribe(@RequestBody SubscriptionInput in) {
        if (in == null || in.url() == null) throw ApiException.badField("url", "url is required");
        URI u;
        try {
            u = URI.create(in.url().strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("url", "url is not a valid URI");
        }
        if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
            throw ApiException.badField("url", "url must be an http(s) URL with a host");
        }
        List<String> events = in.events() == null || in.events().isEmpty() ? List.copyOf(new java.util.TreeSet<>(OutboundWebhooks.EVENTS)) : in.events();
        for (String e : events) {
            if (!OutboundWebhooks.EVENTS.contains(e)) throw ApiException.badField("events", "unknown event '" + e + "' (" + OutboundWebhooks.EVENTS + ")");
        }
        Map<String, Object> out = tx.execute(s -> {
            Map<String, Object> created = outbound.subscribe(u.toString(), events, AuditLog.currentActor());
            audit.record("webhook.subscribe", "webhook_subscription", (String) created.get("id"), u + " " + events);
            return created;
        });
        return out;
    }

    @GetMapping("/api/v1/admin/webhooks")
    @Operation(summary = "Outbound webhook subscriptions (secrets are not listed)")
    List<OutboundWebhooks.Subscription> subscriptions() {
        return outbound.subscriptions();
    }

    @DeleteMapping("/api/v1/admin/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Disable a subscription (audited)")
    void unsubscribe(@PathVariable String id) {
        tx.executeWithoutResult(s -> {
            if (!outbound.unsubscribe(id)) throw ApiException.notFound("webhook subscription", id);
            audit.record("webhook.unsubscribe", "webhook_subscription", id, null);
        });
    }

    @GetMapping("/api/v1/admin/integrations")
    @Operation(summary = "Which integrations are configured (from application properties / environment; secrets never shown)")
    Map<String, Object> integrations() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stripe", !RemediationProperties.blank(props.stripeApiKey()));
        m.put("jira", !RemediationProperties.blank(props.jiraBaseUrl()) && !RemediationProperties.blank(props.jiraApiToken()));
        m.put("zendesk", !RemediationProperties.blank(props.zendeskBaseUrl()) && !RemediationProperties.blank(props.zendeskApiToken()));
        m.put("ticket_webhook", !RemediationProperties.blank(props.ticketWebhookUrl()));
        m.put("default_ticket_system", props.defaultTicketSystem());
        m.put("slack", !RemediationProperties.blank(props.slackWebhookUrl()));
        m.put("team_email", !RemediationProperties.blank(props.teamEmail()));
        m.put("max_retries", props.maxRetries());
        m.put("backoff_seconds", props.backoffSeconds());
        return m;
    }
}
