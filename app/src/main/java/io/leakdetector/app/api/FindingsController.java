package io.leakdetector.app.api;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.remediation.OutboundWebhooks;
import io.leakdetector.app.remediation.Recoveries;
import io.leakdetector.core.finding.FindingsFile;
import io.leakdetector.app.security.AuditLog;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Findings: list with filters, sort and cursor paging; one with its evidence and history; status changes; labels. */
@RestController
@RequestMapping("/api/v1/findings")
@Tag(name = "findings", description = "read (viewer); change status and label (analyst)")
public class FindingsController {
    /** The moves a finding may make: open → acknowledged → in remediation → recovered | dismissed; dismissed may reopen. */
    public static final Map<FindingStatus, Set<FindingStatus>> MOVES = Map.of(
            FindingStatus.OPEN, Set.of(FindingStatus.ACKNOWLEDGED, FindingStatus.IN_REMEDIATION, FindingStatus.RECOVERED, FindingStatus.DISMISSED),
            FindingStatus.ACKNOWLEDGED, Set.of(FindingStatus.IN_REMEDIATION, FindingStatus.RECOVERED, FindingStatus.DISMISSED, FindingStatus.OPEN),
            FindingStatus.IN_REMEDIATION, Set.of(FindingStatus.RECOVERED, FindingStatus.DISMISSED, FindingStatus.ACKNOWLEDGED),
            FindingStatus.DISMISSED, Set.of(FindingStatus.OPEN),
            FindingStatus.RECOVERED, Set.of());

    private final FindingRepository findings;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final Recoveries recoveries;

    private final org.springframework.beans.factory.ObjectProvider<OutboundWebhooks> outbound;

    FindingsController(FindingRepository findings, TransactionTemplate tx, AuditLog audit, Recoveries recoveries,
                       org.springframework.beans.factory.ObjectProvider<OutboundWebhooks> outbound) {
        this.outbound = outbound;
        this.recoveries = recoveries;
        this.findings = findings;
        this.tx = tx;
        this.audit = audit;
    }

    /** One page of findings and the cursor of the next page (null on the last page). */
    record Page(List<FindingView> items, String next_cursor) {}

    @GetMapping
    @Operation(summary = "List findings", description = "Filters combine with AND; category and status take comma-separated "
            + "lists. Amount filters need currency and match either amount. sort: score, detected_at, amount_one_time or "
            + "amount_monthly_recurring, '-' for descending (default -score). Pass next_cursor back as cursor for the next page.")
    Page list(@RequestParam(required = false) String category, @RequestParam(required = false) String kind,
              @RequestParam(required = false) String status, @RequestParam(required = false) String customer,
              @RequestParam(required = false) String currency,
              @Parameter(description = "detected at or after (ISO date or timestamp)") @RequestParam(required = false) String from,
              @Parameter(description = "detected before (ISO date or timestamp)") @RequestParam(required = false) String to,
              @RequestParam(name = "min_amount", required = false) String minAmount,
              @RequestParam(name = "max_amount", required = false) String maxAmount,
              @RequestParam(name = "min_score", required = false) Double minScore,
              @RequestParam(name = "max_score", required = false) Double maxScore,
              @RequestParam(required = false) String sort, @RequestParam(required = false) Integer limit,
              @RequestParam(required = false) String cursor,
              @Parameter(description = "a customer id, or an invoice, payment, refund or subscription id (exact)")
              @RequestParam(name = "q", required = false) String search) {
        FindingQuery q = FindingQuery.of(new FindingQuery.Params(category, kind, status, customer, currency, from, to,
                minAmount, maxAmount, minScore, maxScore, sort, limit, cursor, search));
        List<Finding> rows = findings.query(q.where(), q.order(), q.args());
        boolean more = rows.size() > q.limit();
        List<Finding> page = more ? rows.subList(0, q.limit()) : rows;
        List<FindingView> items = new ArrayList<>(page.size());
        for (Finding f : page) items.add(FindingView.of(f));
        return new Page(items, more ? FindingQuery.cursorOf(q.sort(), page.get(page.size() - 1)) : null);
    }

    /** A finding with its status history and label. */
    public record Detail(FindingView finding, List<FindingRepository.StatusChange> history, FindingRepository.Label label) {}

    @GetMapping("/{id}")
    @Operation(summary = "One finding with its evidence, explanation, matched rules, status history and label")
    public Detail get(@PathVariable String id) {
        Finding f = findings.find(id).orElseThrow(() -> ApiException.notFound("finding", id));
        return new Detail(FindingView.of(f), findings.history(id), findings.labelOf(id).orElse(null));
    }

    public record StatusRequest(String status, String comment) {}

    @PostMapping("/{id}/status")
    @Operation(summary = "Change a finding's status with a comment (audited)")
    public Detail status(@PathVariable String id, @RequestBody StatusRequest body) {
        if (body == null || body.status() == null) throw ApiException.badField("status", "status is required");
        FindingStatus to;
        try {
            to = FindingStatus.parse(body.status());
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("status", "status must be one of open, acknowledged, in_remediation, recovered, dismissed");
        }
        String comment = comment(body.comment());
        tx.executeWithoutResult(s -> {
            Finding f = findings.find(id).orElseThrow(() -> ApiException.notFound("finding", id));
            if (!MOVES.get(f.status()).contains(to)) {
                throw new ApiException(HttpStatus.CONFLICT, "invalid-transition", "status",
                        "a finding that is " + f.status().wire() + " cannot become " + to.wire());
            }
            findings.changeStatus(id, f.status(), to, AuditLog.currentActor(), comment);
            if (to == FindingStatus.RECOVERED) recoveries.record(Recoveries.byAnalyst(f, AuditLog.currentActor()));
            audit.record("finding.status", "finding", id, f.status().wire() + " -> " + to.wire() + (comment == null ? "" : ": " + comment));
        });
        OutboundWebhooks hooks = outbound.getIfAvailable();
        if (hooks != null) findings.find(id).ifPresent(f -> hooks.publish("finding.updated", FindingsFile.toJson(f)));
        return get(id);
    }

    public record LabelRequest(String label, String comment) {}

    @PostMapping("/{id}/label")
    @Operation(summary = "Label a finding confirmed or dismissed (feedback for the ML models; audited)")
    public Detail label(@PathVariable String id, @RequestBody LabelRequest body) {
        String label = body == null || body.label() == null ? null : switch (body.label().strip().toLowerCase()) {
            case "confirm", "confirmed" -> "confirmed";
            case "dismiss", "dismissed" -> "dismissed";
            default -> null;
        };
        if (label == null) throw ApiException.badField("label", "label must be confirm or dismiss");
        String comment = comment(body.comment());
        tx.executeWithoutResult(s -> {
            findings.find(id).orElseThrow(() -> ApiException.notFound("finding", id));
            findings.label(id, label, AuditLog.currentActor(), comment);
            audit.record("finding.label", "finding", id, label + (comment == null ? "" : ": " + comment));
        });
        return get(id);
    }

    private static String comment(String c) {
        if (c != null && c.length() > 4000) throw ApiException.badField("comment", "comment is at most 4000 characters");
        return c == null || c.isBlank() ? null : c.strip();
    }
}
