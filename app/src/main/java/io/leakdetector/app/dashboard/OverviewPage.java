package io.leakdetector.app.dashboard;

import io.leakdetector.app.remediation.Recoveries;
import io.leakdetector.core.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The founder's overview: the headline numbers exactly as {@code GET /api/v1/summary} gives them (the same code
 * computes them), and below them the filterable analysis — trend with change events, categories, funnel, top
 * customers, revenue against leakage by segment, region and plan.
 */
@Controller
class OverviewPage {
    static final List<String> DIMENSIONS = List.of("segment", "region", "plan");
    private final OverviewCache cache;

    /** Months of recovered revenue shown (this one included). */
    static final int RECOVERY_MONTHS = 6;
    private final Recoveries recoveries;

    OverviewPage(OverviewCache cache, Recoveries recoveries) {
        this.recoveries = recoveries;
        this.cache = cache;
    }

    @GetMapping("/")
    String overview(@ModelAttribute("filter") OverviewFilter filter, Model model) {
        OverviewCache.Overview o = cache.get(filter);
        OverviewFilter f = o.filter();
        List<String> currencies = o.currencies();
        model.addAttribute("filter", f);
        model.addAttribute("summary", cache.cards());
        // live, like the cards: a recovery must show at once
        model.addAttribute("recoveredMonthly", recoveries.monthly(RECOVERY_MONTHS));
        model.addAttribute("labels", o.labels());
        model.addAttribute("currencies", currencies.isEmpty() ? List.of("USD") : currencies);
        for (String d : DIMENSIONS) model.addAttribute(d + "Values", o.values().get(d));

        List<OverviewQueries.Week> weeks = o.weeks();
        List<OverviewQueries.Change> changes = o.changes();
        List<OverviewQueries.Totals> categories = o.categories();
        List<OverviewQueries.Stage> funnel = o.funnel();
        OverviewQueries.Breakdown breakdown = o.breakdown();
        Map<String, List<OverviewQueries.Segment>> segments = breakdown.segments();
        model.addAttribute("weeks", weeks);
        model.addAttribute("changes", changes);
        model.addAttribute("categories", categories);
        model.addAttribute("funnel", funnel);
        model.addAttribute("top", breakdown.top());
        model.addAttribute("segments", segments);
        model.addAttribute("trendChart", trendChart(weeks, changes, f.currency()));
        model.addAttribute("categoryChart", categoryChart(categories, f.currency()));
        model.addAttribute("funnelChart", funnelChart(funnel));
        Map<String, String> segmentCharts = new LinkedHashMap<>();
        for (var e : segments.entrySet()) segmentCharts.put(e.getKey(), segmentChart(e.getValue(), f.currency()));
        model.addAttribute("segmentCharts", segmentCharts);
        return "overview";
    }

    /** Chart data as JSON for static/js/app.js; amounts as decimal strings in the one currency of the chart. */
    static String trendChart(List<OverviewQueries.Week> weeks, List<OverviewQueries.Change> changes, String currency) {
        List<Object> counts = new ArrayList<>();
        List<Object> amounts = new ArrayList<>();
        for (OverviewQueries.Week w : weeks) {
            counts.add(List.of(w.start().toString(), w.count()));
            amounts.add(List.of(w.start().toString(), w.oneTime().toPlainString()));
        }
        List<Object> marks = new ArrayList<>();
        for (OverviewQueries.Change c : changes) marks.add(Map.of("at", c.at().toString(), "label", c.label()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "trend");
        m.put("currency", currency);
        m.put("counts", counts);
        m.put("amounts", amounts);
        m.put("changes", marks);
        return Json.write(m);
    }

    static String categoryChart(List<OverviewQueries.Totals> categories, String currency) {
        List<Object> names = new ArrayList<>();
        List<Object> oneTime = new ArrayList<>();
        List<Object> recurring = new ArrayList<>();
        for (OverviewQueries.Totals t : categories) {
            names.add(t.label());
            oneTime.add(t.oneTime().toPlainString());
            recurring.add(t.recurring().toPlainString());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "categories");
        m.put("currency", currency);
        m.put("names", names);
        m.put("oneTime", oneTime);
        m.put("recurring", recurring);
        return Json.write(m);
    }

    static String funnelChart(List<OverviewQueries.Stage> funnel) {
        List<Object> data = new ArrayList<>();
        for (OverviewQueries.Stage s : funnel) data.add(Map.of("name", s.name(), "value", s.customers()));
        return Json.write(Map.of("type", "funnel", "data", data));
    }

    static String segmentChart(List<OverviewQueries.Segment> rows, String currency) {
        List<Object> names = new ArrayList<>();
        List<Object> revenue = new ArrayList<>();
        List<Object> leaked = new ArrayList<>();
        List<Object> percent = new ArrayList<>();
        for (OverviewQueries.Segment s : rows) {
            names.add(s.value());
            revenue.add(s.revenue().toPlainString());
            leaked.add(s.oneTime().toPlainString());
            Double p = s.leakagePercent();
            percent.add(p == null ? null : Math.round(p * 100) / 100.0);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "segments");
        m.put("currency", currency);
        m.put("names", names);
        m.put("revenue", revenue);
        m.put("leaked", leaked);
        m.put("percent", percent);
        return Json.write(m);
    }
}
