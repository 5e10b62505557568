package io.leakdetector.app.dashboard;

import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The overview's analysis beyond the summary API's totals: trend, categories, funnel, top customers, revenue against
 * leakage per segment, region and plan, the false-alarm rate and the change events. Money is in one currency per
 * call (the filter's), so amounts are summed only within a currency.
 */
@Repository
class OverviewQueries {
    /** Weeks the trend shows when the filter has no date range. */
    static final int TREND_WEEKS = 12;
    /**
     * Findings joined to their customer only when a segment or region filter needs it: a join per finding is most of
     * the cost of these aggregates on a large table, and the breakdowns fold customers in from small maps instead.
     */
    private static String from(OverviewFilter f) {
        return f.segment() != null || f.region() != null ? " FROM findings f JOIN customers c ON c.customer_id = f.customer_id" : " FROM findings f";
    }
    private final JdbcClient jdbc;

    OverviewQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Currencies of the findings still leaking, the most frequent first (read from the covering index). */
    List<String> currencies() {
        return jdbc.sql("SELECT currency, COUNT(*) FROM findings WHERE status IN ('open', 'acknowledged', 'in_remediation') "
                        + "GROUP BY currency ORDER BY COUNT(*) DESC, currency")
                .query((rs, n) -> rs.getString(1).strip()).list();
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

    List<Totals> byCategory(OverviewFilter f) {
        OverviewFilter.Sql w = f.findings();
        return jdbc.sql("SELECT f.category, COUNT(*), SUM(f.amount_one_time_minor), SUM(f.amount_recurring_minor)" + from(f) + w.where()
                        + " GROUP BY f.category ORDER BY SUM(f.amount_one_time_minor) + 12 * SUM(f.amount_recurring_minor) DESC, f.category")
                .params(w.args())
                .query((rs, n) -> totals(f, rs.getString(1), rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).list();
    }

    /** The ten customers with the most money leaking (ranked by one-time + 12 × monthly recurring; shown apart). */
    List<Totals> topCustomers(OverviewFilter f) {
        return breakdown(f).top();
    }

    /** One week of the trend. */
    public record Week(LocalDate start, long count, Money oneTime, Money recurring) {}

    /**
     * Findings per week of detection. Without a date range: the {@link #TREND_WEEKS} weeks up to the latest detection
     * that matches, so a store of last year's data still shows its trend.
     */
    List<Week> weekly(OverviewFilter f) {
        OverviewFilter.Sql w = f.findings();
        Map<LocalDate, long[]> days = new TreeMap<>();
        // Grouped by day in SQL (a few hundred rows at most), folded into weeks here.
        jdbc.sql("SELECT CAST(f.detected_at AS DATE), COUNT(*), SUM(f.amount_one_time_minor), SUM(f.amount_recurring_minor)" + from(f)
                        + w.where() + " GROUP BY CAST(f.detected_at AS DATE)")
                .params(w.args())
                .query(rs -> {
                    LocalDate d = rs.getObject(1, LocalDate.class);
                    days.put(d, new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                });
        LocalDate last = f.to() != null ? LocalDate.ofInstant(f.toInstant().minusNanos(1), ZoneOffset.UTC)
                : days.isEmpty() ? LocalDate.now(ZoneOffset.UTC) : ((TreeMap<LocalDate, long[]>) days).lastKey();
        LocalDate lastWeek = monday(last);
        LocalDate firstWeek = f.from() != null ? monday(LocalDate.ofInstant(f.fromInstant(), ZoneOffset.UTC))
                : lastWeek.minusWeeks(TREND_WEEKS - 1);
        if (firstWeek.isBefore(lastWeek.minusWeeks(520))) firstWeek = lastWeek.minusWeeks(520); // ten years at most
        Map<LocalDate, long[]> weeks = new TreeMap<>();
        for (LocalDate wk = firstWeek; !wk.isAfter(lastWeek); wk = wk.plusWeeks(1)) weeks.put(wk, new long[3]);
        for (var e : days.entrySet()) {
            long[] acc = weeks.get(monday(e.getKey()));
            if (acc == null) continue;
            for (int i = 0; i < 3; i++) acc[i] += e.getValue()[i];
        }
        List<Week> out = new ArrayList<>();
        var cur = Currencies.of(currency(f));
        for (var e : weeks.entrySet()) {
            out.add(new Week(e.getKey(), e.getValue()[0], new Money(e.getValue()[1], cur), new Money(e.getValue()[2], cur)));
        }
        return out;
    }

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

    List<Stage> funnel(OverviewFilter f) {
        return funnel(f, billing(f, directory()));
    }

    /** The funnel with the billing stages already read ({@link #billing}). */
    List<Stage> funnel(OverviewFilter f, Billing b) {
        long all = b.stages()[0];
        long active = b.stages()[1];
        long billed = b.stages()[2];
        long paid = b.stages()[3];
        OverviewFilter.Sql w = f.withCurrency(null).findings();
        String leakWhere = (w.where().isEmpty() ? " WHERE " : w.where() + " AND ") + "f.kind = 'leak'";
        long leaking = jdbc.sql("SELECT COUNT(DISTINCT f.customer_id)" + from(f) + leakWhere).params(w.args()).query(Long.class).single();
        return List.of(new Stage("Customers", all), new Stage("Active", active), new Stage("Billed", billed),
                new Stage("Paid", paid), new Stage("Leaking", leaking));
    }

    /** Revenue (amount paid on invoices) against leakage for one value of a dimension, in the filter's currency. */
    public record Segment(String value, Money revenue, long findings, Money oneTime, Money recurring) {
        /** One-time leaked as a share of revenue, in percent; null without revenue. */
        public Double leakagePercent() {
            return revenue.minor() <= 0 ? null : 100.0 * oneTime.minor() / revenue.minor();
        }
    }

    /** Per segment, region or plan (see {@link #breakdown}). */
    List<Segment> segments(OverviewFilter f, String dimension) {
        return breakdown(f).segments().get(dimension);
    }

    /** Revenue and leakage per segment, region and plan, and the top customers, from one pass over each table. */
    public record Breakdown(Map<String, List<Segment>> segments, List<Totals> top) {}

    /**
     * Sums per customer — revenue (amount paid on invoices in the filter's currency and dates) and leakage (the
     * filtered findings) — folded into segments, regions and plans through the customers' attributes. A customer's
     * plan is the greatest plan id among its subscriptions' prices, for revenue and leakage alike.
     */
    Breakdown breakdown(OverviewFilter f) {
        return breakdown(f, billing(f, directory()));
    }

    /** The breakdown with the revenue per customer already read ({@link #billing}). */
    Breakdown breakdown(OverviewFilter f, Billing b) {
        String currency = currency(f);
        var cur = Currencies.of(currency);
        Map<String, String[]> customers = b.directory().customers();
        Map<String, long[]> perCustomer = new java.util.HashMap<>(); // revenue, findings, one-time, recurring
        b.revenue().forEach((id, paid) -> perCustomer.put(id, new long[] {paid, 0, 0, 0}));
        OverviewFilter.Sql w = f.withCurrency(currency).findings();
        jdbc.sql("SELECT f.customer_id, COUNT(*), SUM(f.amount_one_time_minor), SUM(f.amount_recurring_minor)" + from(f)
                        + w.where() + " GROUP BY f.customer_id")
                .params(w.args())
                .query(rs -> {
                    long[] r = perCustomer.computeIfAbsent(rs.getString(1), k -> new long[4]);
                    r[1] += rs.getLong(2);
                    r[2] += rs.getLong(3);
                    r[3] += rs.getLong(4);
                });
        Map<String, List<Segment>> segments = new java.util.LinkedHashMap<>();
        String[] dims = {"segment", "region", "plan"};
        // one pass over the customers (tens of thousands), one attribute lookup each; hash maps, sorted once at the end
        @SuppressWarnings("unchecked") Map<String, long[]>[] byDim = new Map[dims.length];
        for (int d = 0; d < dims.length; d++) byDim[d] = new java.util.HashMap<>();
        for (var e : perCustomer.entrySet()) {
            String[] attrs = customers.get(e.getKey());
            long[] v = e.getValue();
            for (int d = 0; d < dims.length; d++) {
                long[] acc = byDim[d].computeIfAbsent(name(attrs == null ? null : attrs[d + 1]), k -> new long[4]);
                for (int i = 0; i < 4; i++) acc[i] += v[i];
            }
        }
        for (int d = 0; d < dims.length; d++) {
            Map<String, long[]> rows = new TreeMap<>(byDim[d]);
            List<Segment> out = new ArrayList<>();
            for (var e : rows.entrySet()) {
                long[] r = e.getValue();
                out.add(new Segment(e.getKey(), new Money(r[0], cur), r[1], new Money(r[2], cur), new Money(r[3], cur)));
            }
            segments.put(dims[d], out);
        }
        List<Totals> top = perCustomer.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getValue()[1] > 0)
                .sorted(java.util.Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -(e.getValue()[2] + 12 * e.getValue()[3]))
                        .thenComparing(Map.Entry::getKey))
                .limit(10)
                .map(e -> {
                    String[] attrs = customers.get(e.getKey());
                    String label = attrs == null || attrs[0] == null ? e.getKey() : attrs[0];
                    return new Totals(e.getKey(), label, e.getValue()[1], new Money(e.getValue()[2], cur), new Money(e.getValue()[3], cur));
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
     * the funnel's first four stages and the revenue per customer. Writes to findings leave it valid.
     */
    record Billing(Directory directory, long[] stages, Map<String, Long> revenue) {}

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
        return new Billing(directory, stages, revenue);
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

    private static Totals totals(OverviewFilter f, String key, String label, long count, long oneTime, long recurring) {
        var cur = Currencies.of(currency(f));
        return new Totals(key, label, count, new Money(oneTime, cur), new Money(recurring, cur));
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
