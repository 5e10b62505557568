package io.leakdetector.app.dashboard;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ingest.Values;
import io.leakdetector.core.money.Currencies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The overview's filters as the form sends them (blank = not filtered), with the SQL of the customer and invoice-date
 * conditions the billing reads use (the findings conditions are applied in Java, {@code OverviewQueries.analysis}).
 * Status blank means "still leaking" (open, acknowledged, in remediation), like the summary. Bad values
 * are dropped rather than failing the page: a filter form never answers 400.
 */
record OverviewFilter(String from, String to, String category, String kind, String status, String segment,
                      String region, String plan, String currency) {

    static final String ALL_STATUSES = "all";

    OverviewFilter {
        from = clean(from);
        to = clean(to);
        category = valid(category, s -> Category.valueOf(s.toUpperCase()).name());
        kind = valid(kind, s -> Kind.parse(s).wire());
        status = ALL_STATUSES.equals(clean(status)) ? ALL_STATUSES : valid(status, s -> FindingStatus.parse(s).wire());
        segment = clean(segment);
        region = clean(region);
        plan = clean(plan);
        currency = valid(currency, s -> Currencies.of(s).getCurrencyCode());
        if (valid(from, Values::instant) == null) from = null;
        if (valid(to, Values::instant) == null) to = null;
    }

    OverviewFilter withCurrency(String code) {
        return new OverviewFilter(from, to, category, kind, status, segment, region, plan, code);
    }

    Instant fromInstant() {
        return from == null ? null : Values.instant(from);
    }

    Instant toInstant() {
        return to == null ? null : Values.instant(to);
    }

    /** A WHERE clause with its arguments. */
    record Sql(String where, List<Object> args) {}

    /** Conditions on the customer {@code c} (segment, region, plan); {@code customerColumn} names its id. */
    Sql customers(String customerColumn) {
        List<String> w = new ArrayList<>();
        List<Object> a = new ArrayList<>();
        if (segment != null) {
            w.add("c.segment = ?");
            a.add(segment);
        }
        if (region != null) {
            w.add("c.region = ?");
            a.add(region);
        }
        if (plan != null) {
            w.add("EXISTS (SELECT 1 FROM subscriptions s JOIN prices p ON p.price_id = s.price_id WHERE s.customer_id = "
                    + customerColumn + " AND p.plan_id = ?)");
            a.add(plan);
        }
        return new Sql(String.join(" AND ", w), a);
    }

    /** The invoices' date range condition on {@code i.created_at} (revenue is counted by invoice date). */
    Sql invoiceDates() {
        List<String> w = new ArrayList<>();
        List<Object> a = new ArrayList<>();
        if (from != null) {
            w.add("i.created_at >= ?");
            a.add(FindingRepository.odt(fromInstant()));
        }
        if (to != null) {
            w.add("i.created_at < ?");
            a.add(FindingRepository.odt(toInstant()));
        }
        return new Sql(String.join(" AND ", w), a);
    }

    boolean any() {
        return from != null || to != null || category != null || kind != null || status != null || segment != null
                || region != null || plan != null;
    }

    private static String clean(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String valid(String s, java.util.function.Function<String, ?> parse) {
        String c = clean(s);
        if (c == null) return null;
        try {
            Object v = parse.apply(c);
            return v instanceof String str ? str : c;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
