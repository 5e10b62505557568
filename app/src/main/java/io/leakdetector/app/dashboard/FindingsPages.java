package io.leakdetector.app.dashboard;

import io.leakdetector.app.api.CustomerTimelineController;
import io.leakdetector.app.api.FindingQuery;
import io.leakdetector.app.api.FindingView;
import io.leakdetector.app.api.FindingsController;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.ingest.RejectedRowsCsv;
import io.leakdetector.app.remediation.ActionType;
import io.leakdetector.app.remediation.RemediationService;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.ml.ShapEvidence;
import io.leakdetector.core.util.Json;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The analyst's findings table (the API's filters, sort and keyset cursor, rendered server-side; htmx swaps the
 * results), the current view as CSV, bulk status changes, and one finding with its evidence, explanation, SHAP
 * waterfall, customer timeline, matched rules, history and actions. Every read and change goes through the API's
 * own code ({@link FindingQuery}, {@link FindingRepository}, {@link FindingsController}).
 */
@Controller
class FindingsPages {
    static final int PAGE = 50;
    private static final int EXPORT_PAGE = 1000;
    private final FindingRepository findings;
    private final FindingsController api;
    private final CustomerTimelineController timelines;
    private final RemediationService remediation;
    /** The actions an analyst starts by hand from the finding page (marking is done with the status buttons). */
    static final List<ActionType> STARTABLE = List.of(ActionType.RETRY_PAYMENT, ActionType.REQUEST_CARD_UPDATE,
            ActionType.SEND_AUTH_LINK, ActionType.NOTIFY_CUSTOMER, ActionType.CREATE_TICKET, ActionType.ALERT_TEAM);

    FindingsPages(FindingRepository findings, FindingsController api, CustomerTimelineController timelines,
                  RemediationService remediation) {
        this.findings = findings;
        this.api = api;
        this.timelines = timelines;
        this.remediation = remediation;
    }

    /** The table's filters as the form sends them; blank means not filtered. */
    record Filter(String q, String category, String kind, String status, String currency, String from, String to,
                  String sort, String cursor) {
        Filter {
            q = blank(q);
            category = blank(category);
            kind = blank(kind);
            status = blank(status);
            currency = blank(currency);
            from = blank(from);
            to = blank(to);
            sort = blank(sort) == null ? "-score" : sort.strip();
            cursor = blank(cursor);
        }

        FindingQuery.Params params(Integer limit, String at) {
            return new FindingQuery.Params(category, kind, status, null, currency, from, to, null, null, null, null, sort, limit, at, q);
        }

        /** The query string of this filter without the cursor (links to the next page, sort headers, export). */
        String query(String sortOverride) {
            StringBuilder sb = new StringBuilder();
            add(sb, "q", q);
            add(sb, "category", category);
            add(sb, "kind", kind);
            add(sb, "status", status);
            add(sb, "currency", currency);
            add(sb, "from", from);
            add(sb, "to", to);
            add(sb, "sort", sortOverride != null ? sortOverride : sort);
            return sb.toString();
        }

        private static void add(StringBuilder sb, String name, String value) {
            if (value == null) return;
            sb.append(sb.length() == 0 ? "" : "&").append(name).append('=')
                    .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    @GetMapping("/findings")
    String list(@ModelAttribute("filter") Filter filter, Model model,
                @RequestHeader(name = "HX-Request", required = false) String htmx) {
        try {
            FindingQuery q = FindingQuery.of(filter.params(PAGE, filter.cursor()));
            List<Finding> rows = findings.query(q.where(), q.order(), q.args());
            boolean more = rows.size() > q.limit();
            List<Finding> page = more ? rows.subList(0, q.limit()) : rows;
            FindingQuery all = FindingQuery.of(filter.params(PAGE, null));
            model.addAttribute("rows", page);
            model.addAttribute("total", findings.count(all.where(), all.args()));
            model.addAttribute("next", more ? FindingQuery.cursorOf(q.sort(), page.get(page.size() - 1)) : null);
        } catch (ApiException e) {
            model.addAttribute("rows", List.of());
            model.addAttribute("total", 0L);
            model.addAttribute("next", null);
            model.addAttribute("error", e.getMessage());
        }
        model.addAttribute("query", filter.query(null));
        return htmx != null ? "findings :: results" : "findings";
    }

    /** The current view (every page of it, not only the one on screen) as CSV; formula-like cells neutralised. */
    @GetMapping(path = "/findings/export.csv")
    ResponseEntity<StreamingResponseBody> export(@ModelAttribute Filter filter) {
        FindingQuery.of(filter.params(EXPORT_PAGE, null)); // a bad filter is a 400 before the download starts
        StreamingResponseBody body = out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("id,category,kind,status,customer_id,subject,currency,amount_one_time,amount_monthly_recurring,score,confidence,detected_at,explanation\r\n");
            String cursor = null;
            do {
                FindingQuery q = FindingQuery.of(filter.params(EXPORT_PAGE, cursor));
                List<Finding> rows = findings.query(q.where(), q.order(), q.args());
                boolean more = rows.size() > q.limit();
                List<Finding> page = more ? rows.subList(0, q.limit()) : rows;
                for (Finding f : page) {
                    FindingView v = FindingView.of(f);
                    String[] cells = {v.id(), v.category(), v.kind(), v.status(), v.customer_id(), v.subject(), v.currency(),
                            v.amount_one_time(), v.amount_monthly_recurring(), Double.toString(v.score()), v.confidence(),
                            String.valueOf(v.detected_at()), v.explanation()};
                    for (int i = 0; i < cells.length; i++) {
                        if (i > 0) w.write(',');
                        w.write(RejectedRowsCsv.quote(RejectedRowsCsv.neutralise(cells[i] == null ? "" : cells[i])));
                    }
                    w.write("\r\n");
                }
                cursor = more ? FindingQuery.cursorOf(q.sort(), page.get(page.size() - 1)) : null;
            } while (cursor != null);
            w.flush();
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv; charset=utf-8"))
                .header("Content-Disposition", "attachment; filename=\"findings.csv\"").body(body);
    }

    /** One status for many findings; each goes through the API's transition rules and audit, failures are listed. */
    @PostMapping("/findings/bulk-status")
    String bulk(@RequestParam(name = "ids", required = false) List<String> ids, @RequestParam String status,
                @RequestParam(required = false) String comment, @RequestParam(name = "back", required = false) String back,
                RedirectAttributes flash) {
        int done = 0;
        List<String> failed = new ArrayList<>();
        for (String id : ids == null ? List.<String>of() : ids) {
            try {
                api.status(id, new FindingsController.StatusRequest(status, comment));
                done++;
            } catch (ApiException e) {
                failed.add(id + ": " + e.getMessage());
            }
        }
        flash.addFlashAttribute("message", done + " finding" + (done == 1 ? "" : "s") + " set to " + status.replace('_', ' ')
                + (failed.isEmpty() ? "" : "; " + failed.size() + " not changed (" + String.join("; ", failed.subList(0, Math.min(3, failed.size()))) + ")"));
        return "redirect:/findings" + (back == null || back.isBlank() || !back.matches("[A-Za-z0-9_.,:%&=+-]*") ? "" : "?" + back);
    }

    @GetMapping("/findings/{id}")
    String detail(@PathVariable String id, Model model) {
        FindingsController.Detail d = api.get(id);
        model.addAttribute("d", d);
        model.addAttribute("f", d.finding());
        Finding f = findings.find(id).orElseThrow();
        Optional<ShapEvidence.Waterfall> shap = ShapEvidence.parse(f.evidence());
        model.addAttribute("facts", f.evidence().stream().filter(e -> !e.fact().startsWith("shap ")).toList());
        model.addAttribute("shap", shap.orElse(null));
        model.addAttribute("shapChart", shap.map(FindingsPages::waterfall).orElse(null));
        model.addAttribute("moves", moves(f.status()));
        model.addAttribute("remediation", remediation.actionsFor(id));
        model.addAttribute("actionTypes", STARTABLE);
        CustomerTimelineController.Timeline timeline = null;
        if (f.customerId() != null) {
            try {
                timeline = timelines.timeline(f.customerId());
            } catch (ApiException e) {
                // a finding about a customer the store does not hold has no timeline
            }
        }
        model.addAttribute("timeline", timeline);
        model.addAttribute("subjectId", subjectId(f.subject()));
        return "finding";
    }

    @PostMapping("/findings/{id}/status")
    String status(@PathVariable String id, @RequestParam String status, @RequestParam(required = false) String comment,
                  RedirectAttributes flash) {
        try {
            api.status(id, new FindingsController.StatusRequest(status, comment));
            flash.addFlashAttribute("message", "Status set to " + status.replace('_', ' ') + ".");
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND) throw e;
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/findings/" + encode(id);
    }

    @PostMapping("/findings/{id}/label")
    String label(@PathVariable String id, @RequestParam String label, @RequestParam(required = false) String comment,
                 RedirectAttributes flash) {
        try {
            api.label(id, new FindingsController.LabelRequest(label, comment));
            flash.addFlashAttribute("message", "Labelled " + (label.startsWith("confirm") ? "confirmed" : "dismissed") + ".");
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND) throw e;
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/findings/" + encode(id);
    }

    @GetMapping("/customers/{id}")
    String customer(@PathVariable String id, Model model) {
        CustomerTimelineController.Timeline t = timelines.timeline(id);
        List<Finding> of = new ArrayList<>(findings.ofCustomer(id));
        of.sort(Comparator.comparingDouble(Finding::score).reversed());
        model.addAttribute("t", t);
        model.addAttribute("findings", of);
        List<CustomerTimelineController.Entry> entries = new ArrayList<>(t.entries().stream().filter(e -> !e.type().equals("finding")).toList());
        java.util.Collections.reverse(entries); // newest first
        model.addAttribute("entries", entries);
        return "customer";
    }

    /** The statuses a finding may move to now, in the lifecycle's order. */
    static List<String> moves(FindingStatus from) {
        Set<FindingStatus> allowed = FindingsController.MOVES.get(from);
        return Arrays.stream(FindingStatus.values()).filter(allowed::contains).map(FindingStatus::wire).toList();
    }

    /** The record id a subject names ({@code invoice:in_1} → in_1; {@code subscription:s_1@2024-03} → s_1). */
    static String subjectId(String subject) {
        int colon = subject.indexOf(':');
        String id = colon < 0 ? subject : subject.substring(colon + 1);
        int at = id.indexOf('@');
        return at < 0 ? id : id.substring(0, at);
    }

    /** The waterfall as chart data: the ten largest contributions by size, the rest summed as "other features". */
    static String waterfall(ShapEvidence.Waterfall w) {
        List<ShapEvidence.Contribution> sorted = new ArrayList<>(w.contributions());
        sorted.sort(Comparator.comparingDouble((ShapEvidence.Contribution c) -> -Math.abs(c.contribution())));
        List<Object> steps = new ArrayList<>();
        for (ShapEvidence.Contribution c : sorted.subList(0, Math.min(10, sorted.size()))) {
            steps.add(Map.of("name", c.feature() + (Double.isNaN(c.value()) ? "" : " = " + round(c.value())), "value", round(c.contribution())));
        }
        double rest = 0;
        for (ShapEvidence.Contribution c : sorted.subList(Math.min(10, sorted.size()), sorted.size())) rest += c.contribution();
        if (sorted.size() > 10) steps.add(Map.of("name", (sorted.size() - 10) + " other features", "value", round(rest)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "waterfall");
        m.put("unit", w.unit());
        m.put("baseline", round(w.baseline()));
        m.put("output", round(w.output()));
        m.put("steps", steps);
        return Json.write(m);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    static String encode(String id) {
        return org.springframework.web.util.UriUtils.encodePathSegment(id, StandardCharsets.UTF_8);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
