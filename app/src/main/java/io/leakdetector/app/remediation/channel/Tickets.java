package io.leakdetector.app.remediation.channel;

import io.leakdetector.app.remediation.ActionExecutor;
import io.leakdetector.app.remediation.Hmac;
import io.leakdetector.app.remediation.RemediationProperties;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingsFile;
import io.leakdetector.core.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Create a ticket in Jira Cloud (REST v3), Zendesk (tickets API) or a generic JSON webhook. A create that timed out
 * may still have happened, so before creating, Jira is searched for the action's label and Zendesk for the ticket's
 * {@code external_id} (both derived from the idempotency key): a retry finds the first ticket instead of opening a
 * second one. The generic webhook gets the key in an {@code Idempotency-Key} header for the receiver to dedupe.
 */
public final class Tickets implements ActionExecutor {
    private final RemediationProperties p;
    private final HttpJson http;

    public Tickets(RemediationProperties p, HttpJson http) {
        this.p = p;
        this.http = http;
    }

    @Override
    public Outcome execute(Context c) {
        String system = c.action().target() != null ? c.action().target().toLowerCase(java.util.Locale.ROOT) : p.defaultTicketSystem();
        if (system == null) throw new Permanent("no ticket system configured: set LEAK_JIRA_BASE_URL, LEAK_ZENDESK_BASE_URL or LEAK_TICKET_WEBHOOK_URL");
        return switch (system) {
            case "jira" -> jira(c);
            case "zendesk" -> zendesk(c);
            case "webhook" -> webhook(c);
            default -> throw new Permanent("unknown ticket system '" + system + "' (jira, zendesk, webhook)");
        };
    }

    static String summary(Finding f) {
        return "[Leak Detector] " + f.category().name() + " on " + f.subject() + ": "
                + (f.amountOneTime().isZero() ? f.amountMonthlyRecurring().format() + "/month" : f.amountOneTime().format());
    }

    static String description(Finding f) {
        return f.explanation() + "\n\nRecommended action: " + f.recommendedAction() + "\nFinding: " + f.id() + " (customer " + f.customerId() + ")";
    }

    /** A label Jira accepts (no spaces, at most 255): ld- and a digest of the idempotency key. */
    static String label(String key) {
        return "ld-" + sha(key).substring(0, 32);
    }

    private static String sha(String key) {
        return Hmac.sign("leak-detector-ticket", key);
    }

    private Outcome jira(Context c) {
        require(p.jiraBaseUrl(), "LEAK_JIRA_BASE_URL");
        require(p.jiraApiToken(), "LEAK_JIRA_API_TOKEN");
        require(p.jiraProjectKey(), "LEAK_JIRA_PROJECT_KEY");
        String base = trim(p.jiraBaseUrl());
        Map<String, String> auth = Map.of("Authorization", "Basic " + basic(p.jiraEmail() + ":" + p.jiraApiToken()));
        String label = label(c.action().idempotencyKey());
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("jql", "labels = \"" + label + "\"");
        search.put("fields", List.of("key"));
        search.put("maxResults", 1);
        Map<?, ?> found = (Map<?, ?>) Json.parse(http.send("POST", base + "/rest/api/3/search/jql", auth, Json.write(search)));
        if (found.get("issues") instanceof List<?> issues && !issues.isEmpty()) {
            Object key = ((Map<?, ?>) issues.get(0)).get("key");
            return Outcome.succeeded("Jira issue " + key + " exists (created by an earlier try)", "jira:" + key);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("project", Map.of("key", p.jiraProjectKey()));
        fields.put("issuetype", Map.of("name", p.jiraIssueType()));
        fields.put("summary", summary(c.finding()));
        fields.put("description", Map.of("type", "doc", "version", 1, "content", List.of(Map.of("type", "paragraph",
                "content", List.of(Map.of("type", "text", "text", description(c.finding())))))));
        fields.put("labels", List.of("leak-detector", label));
        Map<?, ?> created = (Map<?, ?>) Json.parse(http.send("POST", base + "/rest/api/3/issue", auth, Json.write(Map.of("fields", fields))));
        return Outcome.succeeded("Jira issue " + created.get("key") + " created", "jira:" + created.get("key"));
    }

    private Outcome zendesk(Context c) {
        require(p.zendeskBaseUrl(), "LEAK_ZENDESK_BASE_URL");
        require(p.zendeskApiToken(), "LEAK_ZENDESK_API_TOKEN");
        String base = trim(p.zendeskBaseUrl());
        Map<String, String> auth = Map.of("Authorization", "Basic " + basic(p.zendeskEmail() + "/token:" + p.zendeskApiToken()));
        String externalId = c.action().idempotencyKey();
        Map<?, ?> found = (Map<?, ?>) Json.parse(http.send("GET", base + "/api/v2/tickets.json?external_id="
                + URLEncoder.encode(externalId, StandardCharsets.UTF_8), auth, null));
        if (found.get("tickets") instanceof List<?> tickets && !tickets.isEmpty()) {
            Object id = ((Map<?, ?>) tickets.get(0)).get("id");
            return Outcome.succeeded("Zendesk ticket " + id + " exists (created by an earlier try)", "zendesk:" + id);
        }
        Map<String, Object> ticket = new LinkedHashMap<>();
        ticket.put("subject", summary(c.finding()));
        ticket.put("comment", Map.of("body", description(c.finding())));
        ticket.put("external_id", externalId);
        ticket.put("tags", List.of("leak-detector", c.finding().category().name().toLowerCase(java.util.Locale.ROOT)));
        Map<?, ?> created = (Map<?, ?>) Json.parse(http.send("POST", base + "/api/v2/tickets.json", auth, Json.write(Map.of("ticket", ticket))));
        Object id = ((Map<?, ?>) created.get("ticket")).get("id");
        return Outcome.succeeded("Zendesk ticket " + id + " created", "zendesk:" + id);
    }

    private Outcome webhook(Context c) {
        require(p.ticketWebhookUrl(), "LEAK_TICKET_WEBHOOK_URL");
        Finding f = c.finding();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("idempotency_key", c.action().idempotencyKey());
        body.put("summary", summary(f));
        body.put("description", description(f));
        body.put("finding", FindingsFile.toJson(f));
        String json = Json.write(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", c.action().idempotencyKey());
        if (p.ticketWebhookSecret() != null && !p.ticketWebhookSecret().isBlank()) {
            String ts = String.valueOf(Instant.now().getEpochSecond());
            headers.put("X-Leak-Timestamp", ts);
            headers.put("X-Leak-Signature", "v1=" + Hmac.sign(p.ticketWebhookSecret(), ts + "." + json));
        }
        http.send("POST", p.ticketWebhookUrl(), headers, json);
        return Outcome.succeeded("ticket webhook accepted", "webhook:" + c.action().idempotencyKey());
    }

    private static void require(String value, String env) {
        if (value == null || value.isBlank()) throw new Permanent("ticket system not configured: set " + env);
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String basic(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }
}
