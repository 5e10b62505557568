package io.leakdetector.app.dashboard;

import io.leakdetector.app.detect.FindingsSnapshot;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The overview's analysis beyond the summary API's totals: trend, categories, funnel, top customers, revenue against
 * leakage per segment, region and plan, the false-alarm rate and the change events. The findings' aggregates are
 * passes over a {@link FindingsSnapshot}; the billing tables are read by SQL. Money is in one currency per call (the
 * filter's), so amounts are summed only within a currency.
 */
@Repository
class OverviewQueries {
    /** Weeks the trend shows when the filter has no date range. */
    static final int TREND_WEEKS = 12;
    private final JdbcClient jdbc;

    OverviewQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Currencies of the findings still leaking, the most frequent first. */
    static List<String> currencies(FindingsSnapshot s) {
        long[] open = new long[s.currencyCodes().size()];
        for (int i = 0; i < s.size(); i++) if (s.open(i)) open[s.currency(i)]++;
        List<String> out = new ArrayList<>();
        for (int c = 0; c < open.length; c++) if (open[c] > 0) out.add(s.currencyCodes().get(c));
        out.sort(java.util.Comparator.<String>comparingLong(code -> -open[s.currencyIndex(code)]).thenComparing(code -> code));
        return out;
    }

    /** Distinct values of a customer column (segment or region) or of the plans, for the filter menus. */
    List<String> values(String dimension) {
        String sql = switch (dimension) {
            case "segment" -> "SELECT DISTINCT segment FROM customers WHERE segment IS NOT NULL ORDER BY segment";
            case "region" -> "SELECT DISTINCT region FROM customers WHERE region IS NOT NULL ORDER BY region";
            case "plan" -> "SELECT DISTINCT plan_id FROM prices ORDER BY plan_id";
            default -> throw new IllegalArgumentException(dimension);
        };
        return jdbc.sql(sql).query(String.class).list();
    }

    /** Count and amounts of a group of findings, in the filter's currency. */
    public record Totals(String key, String label, long count, Money oneTime, Money recurring) {}

    /** One week of the trend. */
    public record Week(LocalDate start, long count, Money oneTime, Money recurring) {}

    /** A change event (deploy, price change, flag) to mark on the trend's time axis. */
    public record Change(Instant at, String type, String service, String version, String description) {
        public String label() {
            return type + (service == null ? "" : " " + service) + (version == null ? "" : " " + version);
        }
    }

    List<Change> changes(LocalDate fromDay, LocalDate toDayExclusive) {
        return jdbc.sql("SELECT occurred_at, event_type, service, version, description FROM change_events "
                        + "WHERE occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at FETCH FIRST 200 ROWS ONLY")
                .params(fromDay.atStartOfDay().atOffset(ZoneOffset.UTC), toDayExclusive.atStartOfDay().atOffset(ZoneOffset.UTC))
                .query((rs, n) -> new Change(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5))).list();
    }

    /** The customer funnel: all customers → with a live subscription → invoiced → paid → leaking. */
    public record Stage(String name, long customers) {}

    /** Revenue (amount paid on invoices) against leakage for one value of a dimension, in the filter's currency. */
    public record Segment(String value, Money revenue, long findings, Money oneTime, Money recurring) {
        /** One-time leaked as a share of revenue, in percent; null without revenue. */
        public Double leakagePercent() {
            return revenue.minor() <= 0 ? null : 100.0 * oneTime.minor() / revenue.minor();
        }
    }

    /** Revenue and leakage per segment, region and plan, and the top customers. */
    public record Breakdown(Map<String, List<Segment>> segments, List<Totals> top) {}

    /** What the overview computes from the findings for one filter: trend, categories, funnel, breakdowns, top 10. */
    record Analysis(List<Week> weeks, List<Totals> categories, List<Stage> funnel, Breakdown breakdown) {}

    /** Every finding's aggregated columns, read now. */
    FindingsSnapshot snapshot() {
        return FindingsSnapshot.read(jdbc);
    }

    /** Every finding's aggregated columns, read now into a table that {@link #refresh} keeps up to date. */
    FindingsSnapshot.Table findingsTable() {
        return FindingsSnapshot.Table.read(jdbc);
    }

    /** Reads these findings into the table again. */
    void refresh(FindingsSnapshot.Table table, java.util.Collection<String> ids) {
        table.refresh(jdbc, ids);
    }

    /** The analysis of {@code f} read afresh (the findings and the billing rows): what the cache keeps. */
    Analysis analysis(OverviewFilter f) {
        FindingsSnapshot s = snapshot();
        List<String> currencies = currencies(s);
        OverviewFilter resolved = f.currency() != null ? f : f.withCurrency(currencies.isEmpty() ? "USD" : currencies.get(0));
        return analysis(resolved, billing(resolved, directory()), s);
    }

    /**
     * One pass over the findings for every aggregate of the filter {@code f}, with the conditions the filter
     * names (blank status: still leaking; the tests state them in SQL and hold the two equal): sums per UTC day (folded into weeks), per category and per
     * customer in the filter's currency, and the customers with a leak in any currency (the funnel's last stage).
     * Revenue comes from {@code b}, already folded into segments, regions and plans; a customer's plan is the greatest
     * plan id among its subscriptions' prices, for revenue and leakage alike.
     */
    Analysis analysis(OverviewFilter f, Billing b, FindingsSnapshot s) {
        var cur = Currencies.of(currency(f));
        int currency = s.currencyIndex(currency(f));
        Category category = f.category() == null ? null : Category.valueOf(f.category());
        Kind kind = f.kind() == null ? null : Kind.parse(f.kind());
        boolean openOnly = f.status() == null;
        FindingStatus status = openOnly || f.status().equals(OverviewFilter.ALL_STATUSES) ? null : FindingStatus.parse(f.status());
        long from = f.from() == null ? Long.MIN_VALUE : FindingsSnapshot.micros(f.fromInstant());
        long to = f.to() == null ? Long.MAX_VALUE : FindingsSnapshot.micros(f.toInstant());
        List<String> ids = s.customerIds();
        boolean[] member = null;
        if (b.members() != null) {
            member = new boolean[ids.size()];
            for (int c = 0; c < member.length; c++) member[c] = b.members().contains(ids.get(c));
        }
        int customers = ids.size();
        long[] perCustomer = new long[3 * (customers + 1)]; // count, one-time, recurring; the last for no customer
        boolean[] leaking = new boolean[customers];
        long[] perCategory = new long[3 * Category.values().length];
        Map<Long, long[]> days = new java.util.HashMap<>();
        for (int i = 0; i < s.size(); i++) {
            if (category != null && s.category(i) != category) continue;
            if (kind != null && s.kind(i) != kind) continue;
            if (openOnly ? !s.open(i) : status != null && s.status(i) != status) continue;
            long at = s.detectedMicros(i);
            if (at < from || at >= to) continue;
            int c = s.customer(i);
            if (member != null && (c < 0 || !member[c])) continue;
            if (c >= 0 && s.kind(i) == Kind.LEAK) leaking[c] = true;
            if (s.currency(i) != currency) continue;
            long oneTime = s.oneTime(i);
            long recurring = s.recurring(i);
            add(days.computeIfAbsent(s.detectedDay(i), d -> new long[3]), 0, oneTime, recurring);
            add(perCategory, 3 * s.category(i).ordinal(), oneTime, recurring);
            add(perCustomer, 3 * (c < 0 ? customers : c), oneTime, recurring);
        }
        long leakingCustomers = 0;
        for (boolean l : leaking) if (l) leakingCustomers++;
        long[] st = b.stages();
        List<Stage> funnel = List.of(new Stage("Customers", st[0]), new Stage("Active", st[1]), new Stage("Billed", st[2]),
                new Stage("Paid", st[3]), new Stage("Leaking", leakingCustomers));
        return new Analysis(weeks(f, days, cur), categories(perCategory, cur), funnel, breakdown(b, ids, perCustomer, cur));
    }

    private static void add(long[] acc, int at, long oneTime, long recurring) {
        acc[at]++;
        acc[at + 1] = Math.addExact(acc[at + 1], oneTime);
        acc[at + 2] = Math.addExact(acc[at + 2], recurring);
    }

    /**
     * Findings per week of detection. Without a date range: the {@link #TREND_WEEKS} weeks up to the latest detection
     * that matches, so a store of last year's data still shows its trend.
     */
    private static List<Week> weeks(OverviewFilter f, Map<Long, long[]> days, Currency cur) {
        LocalDate last = f.to() != null ? LocalDate.ofInstant(f.toInstant().minusNanos(1), ZoneOffset.UTC)
                : days.isEmpty() ? LocalDate.now(ZoneOffset.UTC) : LocalDate.ofEpochDay(java.util.Collections.max(days.keySet()));
        LocalDate lastWeek = monday(last);
        LocalDate firstWeek = f.from() != null ? monday(LocalDate.ofInstant(f.fromInstant(), ZoneOffset.UTC))
                : lastWeek.minusWeeks(TREND_WEEKS - 1);
        if (firstWeek.isBefore(lastWeek.minusWeeks(520))) firstWeek = lastWeek.minusWeeks(520); // ten years at most
        Map<LocalDate, long[]> weeks = new TreeMap<>();
        for (LocalDate wk = firstWeek; !wk.isAfter(lastWeek); wk = wk.plusWeeks(1)) weeks.put(wk, new long[3]);
        for (var e : days.entrySet()) {
            long[] acc = weeks.get(monday(LocalDate.ofEpochDay(e.getKey())));
            if (acc == null) continue;
            for (int i = 0; i < 3; i++) acc[i] += e.getValue()[i];
        }
        List<Week> out = new ArrayList<>();
        for (var e : weeks.entrySet()) {
            out.add(new Week(e.getKey(), e.getValue()[0], new Money(e.getValue()[1], cur), new Money(e.getValue()[2], cur)));
        }
        return out;
    }

    /** The categories with findings, the most money first (one-time + 12 × monthly recurring), then by name. */
    private static List<Totals> categories(long[] perCategory, Currency cur) {
        List<Totals> out = new ArrayList<>();
        for (Category c : Category.values()) {
            int at = 3 * c.ordinal();
            if (perCategory[at] > 0) {
                out.add(new Totals(c.name(), c.name(), perCategory[at], new Money(perCategory[at + 1], cur), new Money(perCategory[at + 2], cur)));
            }
        }
        out.sort(java.util.Comparator.<Totals>comparingLong(t -> -(t.oneTime().minor() + 12 * t.recurring().minor())).thenComparing(Totals::key));
        return out;
    }

    /**
     * Leakage per customer folded into segments, regions and plans through the customers' attributes (only the
     * customers with findings: the revenue side is folded once per billing read), and the ten customers with the most
     * money leaking (one-time + 12 × monthly recurring).
     */
    private static Breakdown breakdown(Billing b, List<String> ids, long[] perCustomer, Currency cur) {
        Map<String, String[]> directory = b.directory().customers();
        List<String> dims = OverviewPage.DIMENSIONS;
        List<Map<String, long[]>> byDim = new ArrayList<>(); // revenue, findings, one-time, recurring
        for (int d = 0; d < dims.size(); d++) {
            Map<String, long[]> m = new java.util.HashMap<>();
            b.revenueByDimension().get(d).forEach((value, paid) -> m.put(value, new long[] {paid, 0, 0, 0}));
            byDim.add(m);
        }
        List<Integer> withFindings = new ArrayList<>();
        for (int c = 0; c <= ids.size(); c++) {
            int at = 3 * c;
            if (perCustomer[at] == 0) continue;
            if (c < ids.size()) withFindings.add(c);
            String[] attrs = c < ids.size() ? directory.get(ids.get(c)) : null;
            for (int d = 0; d < dims.size(); d++) {
                long[] acc = byDim.get(d).computeIfAbsent(name(attrs == null ? null : attrs[d + 1]), k -> new long[4]);
                for (int i = 0; i < 3; i++) acc[i + 1] += perCustomer[at + i];
            }
        }
        Map<String, List<Segment>> segments = new java.util.LinkedHashMap<>();
        for (int d = 0; d < dims.size(); d++) {
            List<Segment> out = new ArrayList<>();
            for (var e : new TreeMap<>(byDim.get(d)).entrySet()) {
                long[] r = e.getValue();
                out.add(new Segment(e.getKey(), new Money(r[0], cur), r[1], new Money(r[2], cur), new Money(r[3], cur)));
            }
            segments.put(dims.get(d), out);
        }
        List<Totals> top = withFindings.stream()
                .sorted(java.util.Comparator.<Integer>comparingLong(c -> -(perCustomer[3 * c + 1] + 12 * perCustomer[3 * c + 2]))
                        .thenComparing(ids::get))
                .limit(10)
                .map(c -> {
                    String[] attrs = directory.get(ids.get(c));
                    String label = attrs == null || attrs[0] == null ? ids.get(c) : attrs[0];
                    return new Totals(ids.get(c), label, perCustomer[3 * c], new Money(perCustomer[3 * c + 1], cur),
                            new Money(perCustomer[3 * c + 2], cur));
                })
                .toList();
        return new Breakdown(segments, top);
    }

    /**
     * The customers' names and attributes (name, segment, region, plan: the greatest plan id among the customer's
     * subscriptions' prices) and the filter menus' values: read from the billing tables only.
     */
    record Directory(Map<String, String[]> customers, Map<String, List<String>> values) {}

    Directory directory() {
        Map<String, String[]> customers = new java.util.HashMap<>(); // id -> name, segment, region, plan
        jdbc.sql("SELECT customer_id, name, segment, region FROM customers").query(rs -> {
            customers.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4), null});
        });
        jdbc.sql("SELECT s.customer_id, MAX(p.plan_id) FROM subscriptions s JOIN prices p ON p.price_id = s.price_id GROUP BY s.customer_id")
                .query(rs -> {
                    String[] c = customers.get(rs.getString(1));
                    if (c != null) c[3] = rs.getString(2);
                });
        Map<String, List<String>> values = new java.util.LinkedHashMap<>();
        for (String d : OverviewPage.DIMENSIONS) values.put(d, values(d));
        return new Directory(customers, values);
    }

    /**
     * What the overview reads from the billing tables for one filter (its dates, customer conditions and currency):
     * the funnel's first four stages, the revenue (amount paid on invoices) folded into each of
     * {@link OverviewPage#DIMENSIONS}, and the customers that meet the filter's customer conditions (segment, region,
     * plan; null without any). Writes to findings leave it valid.
     */
    record Billing(Directory directory, long[] stages, List<Map<String, Long>> revenueByDimension, java.util.Set<String> members) {}

    Billing billing(OverviewFilter f, Directory directory) {
        OverviewFilter.Sql c = f.customers("c.customer_id");
        OverviewFilter.Sql dates = f.invoiceDates();
        String invoiceRange = dates.where().isEmpty() ? "" : " AND " + dates.where();
        // One pass over the customers for the first four stages (each EXISTS an index probe) instead of four scans.
        List<Object> args = new ArrayList<>(dates.args());
        args.addAll(dates.args());
        args.addAll(c.args());
        long[] stages = jdbc.sql("SELECT COUNT(*), "
                        + "SUM(CASE WHEN EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.customer_id "
                        + "AND s.status IN ('active', 'trialing', 'past_due')) THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.customer_id" + invoiceRange + ") THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.customer_id AND i.amount_paid_minor > 0"
                        + invoiceRange + ") THEN 1 ELSE 0 END) "
                        + "FROM customers c" + (c.where().isEmpty() ? "" : " WHERE " + c.where()))
                .params(args)
                .query(rs -> {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
                });
        OverviewFilter.Sql ic = f.customers("i.customer_id");
        boolean join = f.segment() != null || f.region() != null;
        List<Object> revArgs = new ArrayList<>();
        revArgs.add(currency(f));
        revArgs.addAll(dates.args());
        revArgs.addAll(ic.args());
        Map<String, Long> revenue = new java.util.HashMap<>();
        jdbc.sql("SELECT i.customer_id, SUM(i.amount_paid_minor) FROM invoices i" + (join ? " JOIN customers c ON c.customer_id = i.customer_id" : "")
                        + " WHERE i.currency = ?" + (dates.where().isEmpty() ? "" : " AND " + dates.where())
                        + (ic.where().isEmpty() ? "" : " AND " + ic.where()) + " GROUP BY i.customer_id")
                .params(revArgs)
                .query(rs -> {
                    revenue.merge(rs.getString(1), rs.getLong(2), Long::sum);
                });
        List<Map<String, Long>> revenueByDimension = new ArrayList<>();
        for (int d = 0; d < OverviewPage.DIMENSIONS.size(); d++) revenueByDimension.add(new java.util.HashMap<>());
        revenue.forEach((id, paid) -> {
            String[] attrs = directory.customers().get(id);
            for (int d = 0; d < revenueByDimension.size(); d++) {
                revenueByDimension.get(d).merge(name(attrs == null ? null : attrs[d + 1]), paid, Long::sum);
            }
        });
        return new Billing(directory, stages, revenueByDimension, members(f));
    }

    /** The customers that meet the filter's segment, region and plan conditions, as the findings' SQL states them. */
    private java.util.Set<String> members(OverviewFilter f) {
        if (f.segment() == null && f.region() == null && f.plan() == null) return null;
        String sql;
        List<Object> args;
        if (f.segment() == null && f.region() == null) { // the plan alone: a finding's customer need not be in customers
            sql = "SELECT DISTINCT s.customer_id FROM subscriptions s JOIN prices p ON p.price_id = s.price_id WHERE p.plan_id = ?";
            args = List.of(f.plan());
        } else {
            OverviewFilter.Sql c = f.customers("c.customer_id");
            sql = "SELECT c.customer_id FROM customers c WHERE " + c.where();
            args = c.args();
        }
        return new java.util.HashSet<>(jdbc.sql(sql).params(args).query(String.class).list());
    }

    /** Analysts' labels: how many findings were confirmed and dismissed. */
    public record Labels(long confirmed, long dismissed) {
        /** Dismissed as a share of labelled findings, in percent; null before any label. */
        public Double falseAlarmPercent() {
            long all = confirmed + dismissed;
            return all == 0 ? null : 100.0 * dismissed / all;
        }
    }

    Labels labels() {
        long[] n = new long[2];
        jdbc.sql("SELECT label, COUNT(*) FROM finding_labels GROUP BY label").query(rs -> {
            if ("confirmed".equals(rs.getString(1))) n[0] = rs.getLong(2);
            else if ("dismissed".equals(rs.getString(1))) n[1] = rs.getLong(2);
        });
        return new Labels(n[0], n[1]);
    }

    private static String currency(OverviewFilter f) {
        return f.currency() == null ? "USD" : f.currency();
    }

    private static String name(String v) {
        return v == null ? "(none)" : v;
    }

    private static LocalDate monday(LocalDate d) {
        return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }
}
