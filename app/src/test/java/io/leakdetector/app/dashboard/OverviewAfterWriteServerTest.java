package io.leakdetector.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.api.SummaryController;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.store.FindingChanges;
import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import io.leakdetector.core.util.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The overview right after each kind of write to findings — a status change, several at once (as the findings page's
 * bulk change makes them), a detection's save, the real-time path's save, a deletion — against the same aggregates
 * computed by SQL over the findings table (the filter's conditions as {@link #findingsWhere} states them),
 * for a dozen filters; and the overview's cards against {@code GET /api/v1/summary} and SQL. On H2 and PostgreSQL.
 */
@ServerTest
class OverviewAfterWriteServerTest {
    static final String ADMIN = Http.basic("admin", ServerTest.ADMIN_PASSWORD);
    static final String OPEN = "('open', 'acknowledged', 'in_remediation')";

    @LocalServerPort
    int port;

    @Autowired
    OverviewCache cache;

    @Autowired
    FindingRepository findings;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OverviewQueries queries;

    @Autowired
    SummaryController summary;

    @Test
    void everyAggregateEqualsSqlOverTheFindingsAfterEachKindOfWrite() {
        writeAndCheck(cache);
    }

    /**
     * The same with a time-to-live of a nanosecond: every view finds the kept reads expired, so the full reads of the
     * findings and of the billing rows run in the background all along, beside the re-reads of the written findings.
     */
    @Test
    void theSameWhileEveryReadIsRenewedInTheBackground() {
        OverviewCache expiring = new OverviewCache(queries, summary, java.time.Duration.ofNanos(1));
        try {
            writeAndCheck(expiring);
        } finally {
            expiring.stop();
        }
    }

    private void writeAndCheck(OverviewCache cache) {
        String tag = "aw" + UUID.randomUUID().toString().substring(0, 8);
        Http http = new Http(port);
        assertThat(http.post("/api/v1/entities/customers", ADMIN, "[" + customer(tag, "_c1", "R1") + "," + customer(tag, "_c2", "R2") + ","
                + customer(tag, "_c3", "R1") + "]").status()).isEqualTo(201);
        Instant march = Instant.parse("2026-03-04T10:00:00Z");
        Instant april = Instant.parse("2026-04-20T23:59:59.999999Z");
        findings.save(List.of(
                finding(tag + "_f1", tag + "_c1", Category.PRICE_MISMATCH, 1000, 0, "USD", march, FindingStatus.OPEN),
                finding(tag + "_f2", tag + "_c2", Category.PRICE_MISMATCH, 3000, 500, "USD", march, FindingStatus.OPEN),
                finding(tag + "_f3", tag + "_c2", Category.FAILED_PAYMENT, 9900, 0, "USD", april, FindingStatus.DISMISSED),
                finding(tag + "_f4", tag + "_c1", Category.DUPLICATE_BILLING, 700, 0, "EUR", april, FindingStatus.OPEN),
                finding(tag + "_f5", tag + "_c3", Category.SILENT_CHURN, 0, 2000, "USD", april, FindingStatus.OPEN)));
        List<OverviewFilter> filters = filters(tag);
        filters.forEach(cache::get); // cached before the writes: each write must make them stale
        cache.cards();
        check(cache, filters, http);

        // a status change through the API
        assertThat(http.post("/api/v1/findings/" + tag + "_f1/status", ADMIN, "{\"status\":\"dismissed\"}").status()).isEqualTo(200);
        check(cache, filters, http);

        // several at once, as the findings page's bulk change does (one API status change each)
        for (String id : List.of("_f2", "_f4", "_f5")) {
            assertThat(http.post("/api/v1/findings/" + tag + id + "/status", ADMIN, "{\"status\":\"acknowledged\"}").status()).isEqualTo(200);
        }
        check(cache, filters, http);

        // detection: a new finding and a changed one
        findings.save(List.of(finding(tag + "_f6", tag + "_c3", Category.PRICE_MISMATCH, 4200, 100, "USD", april, FindingStatus.OPEN),
                finding(tag + "_f3", tag + "_c2", Category.FAILED_PAYMENT, 9000, 0, "USD", april, FindingStatus.OPEN)));
        check(cache, filters, http);

        // the real-time path: a new finding, and one updated in place (status kept)
        findings.saveChanged(List.of(finding(tag + "_f7", tag + "_c1", Category.FAILED_PAYMENT, 50, 0, "EUR", Instant.now(), FindingStatus.OPEN)),
                List.of(finding(tag + "_f2", tag + "_c2", Category.PRICE_MISMATCH, 3100, 600, "USD", march, FindingStatus.OPEN)));
        check(cache, filters, http);
        assertThat(cache.get(filters.get(0)).funnel().get(4).customers()).isEqualTo(3); // c1 (f4, f7), c2 (f2), c3 (f6)
        assertThat(cache.get(filters.get(2)).categories()).extracting(OverviewQueries.Totals::key) // EUR: f4, f7
                .containsExactly("DUPLICATE_BILLING", "FAILED_PAYMENT");

        // a finding gone (nothing in the service deletes findings yet; the overview's copy must still follow)
        jdbc.sql("DELETE FROM findings WHERE id = ?").param(tag + "_f7").update();
        FindingChanges.mark(List.of(tag + "_f7"));
        check(cache, filters, http);
        assertThat(cache.get(filters.get(2)).categories()).extracting(OverviewQueries.Totals::key).containsExactly("DUPLICATE_BILLING");
    }

    private static List<OverviewFilter> filters(String tag) {
        List<OverviewFilter> out = new ArrayList<>();
        for (String currency : new String[] {null, "USD", "EUR"}) {
            out.add(new OverviewFilter(null, null, null, null, null, tag, null, null, currency));
        }
        out.add(new OverviewFilter(null, null, null, null, "all", tag, null, null, "USD"));
        out.add(new OverviewFilter(null, null, null, null, "dismissed", tag, null, null, "USD"));
        out.add(new OverviewFilter(null, null, null, null, "acknowledged", tag, null, null, "USD"));
        out.add(new OverviewFilter(null, null, null, "leak", "all", tag, null, null, "USD"));
        out.add(new OverviewFilter(null, null, null, "risk", null, tag, null, null, "USD"));
        out.add(new OverviewFilter(null, null, "PRICE_MISMATCH", null, "all", tag, null, null, "USD"));
        out.add(new OverviewFilter("2026-03-01", "2026-04-20", null, null, "all", tag, null, null, "USD"));
        out.add(new OverviewFilter("2026-04-01T00:00:00Z", null, null, null, "all", tag, "R1", null, "USD"));
        out.add(new OverviewFilter(null, null, null, null, "all", tag, "R2", null, null));
        return out;
    }

    /**
     * The filter's conditions on findings {@code f} (joined to customers {@code c}) in SQL, the currency included: what
     * the overview applies in Java ({@code OverviewQueries.analysis}), stated independently.
     */
    private static OverviewFilter.Sql findingsWhere(OverviewFilter f) {
        List<String> w = new ArrayList<>();
        List<Object> a = new ArrayList<>();
        if (f.currency() != null) {
            w.add("f.currency = ?");
            a.add(f.currency());
        }
        if (f.category() != null) {
            w.add("f.category = ?");
            a.add(f.category());
        }
        if (f.kind() != null) {
            w.add("f.kind = ?");
            a.add(f.kind());
        }
        if (f.status() == null) {
            w.add("f.status IN ('open', 'acknowledged', 'in_remediation')");
        } else if (!f.status().equals(OverviewFilter.ALL_STATUSES)) {
            w.add("f.status = ?");
            a.add(f.status());
        }
        if (f.from() != null) {
            w.add("f.detected_at >= ?");
            a.add(FindingRepository.odt(f.fromInstant()));
        }
        if (f.to() != null) {
            w.add("f.detected_at < ?");
            a.add(FindingRepository.odt(f.toInstant()));
        }
        OverviewFilter.Sql c = f.customers("f.customer_id");
        if (!c.where().isEmpty()) {
            w.add(c.where());
            a.addAll(c.args());
        }
        return new OverviewFilter.Sql(w.isEmpty() ? "" : " WHERE " + String.join(" AND ", w), a);
    }

    /** Each filter's overview (through the cache, as the page reads it) against SQL; the cards against the API and SQL. */
    private void check(OverviewCache cache, List<OverviewFilter> filters, Http http) {
        for (OverviewFilter filter : filters) {
            OverviewCache.Overview o = cache.get(filter);
            OverviewFilter f = o.filter();
            assertThat(f.currency()).isNotNull();
            OverviewFilter.Sql w = findingsWhere(f);
            String from = " FROM findings f JOIN customers c ON c.customer_id = f.customer_id";

            Map<String, String> categories = new TreeMap<>();
            for (OverviewQueries.Totals t : o.categories()) categories.put(t.key(), line(t.count(), t.oneTime(), t.recurring()));
            assertThat(categories).as("by category, %s", f).isEqualTo(sums("SELECT f.category, COUNT(*), SUM(f.amount_one_time_minor), "
                    + "SUM(f.amount_recurring_minor)" + from + w.where() + " GROUP BY f.category", w.args(), f.currency()));

            Map<String, String> customers = new TreeMap<>();
            for (OverviewQueries.Totals t : o.breakdown().top()) customers.put(t.key(), line(t.count(), t.oneTime(), t.recurring()));
            assertThat(customers).as("per customer, %s", f).isEqualTo(sums("SELECT f.customer_id, COUNT(*), SUM(f.amount_one_time_minor), "
                    + "SUM(f.amount_recurring_minor)" + from + w.where() + " GROUP BY f.customer_id", w.args(), f.currency()));

            Map<String, String> regions = new TreeMap<>();
            for (OverviewQueries.Segment s : o.breakdown().segments().get("region")) {
                if (s.findings() > 0) regions.put(s.value(), line(s.findings(), s.oneTime(), s.recurring()));
            }
            assertThat(regions).as("per region, %s", f).isEqualTo(sums("SELECT c.region, COUNT(*), SUM(f.amount_one_time_minor), "
                    + "SUM(f.amount_recurring_minor)" + from + w.where() + " GROUP BY c.region", w.args(), f.currency()));

            LocalDate first = o.weeks().get(0).start();
            LocalDate end = o.weeks().get(o.weeks().size() - 1).start().plusWeeks(1);
            List<Object> args = new ArrayList<>(w.args());
            args.add(first.atStartOfDay().atOffset(ZoneOffset.UTC));
            args.add(end.atStartOfDay().atOffset(ZoneOffset.UTC));
            long inWeeks = o.weeks().stream().mapToLong(OverviewQueries.Week::count).sum();
            assertThat(inWeeks).as("trend, %s", f).isEqualTo(jdbc.sql("SELECT COUNT(*)" + from + w.where() + (w.where().isEmpty() ? " WHERE" : " AND")
                    + " f.detected_at >= ? AND f.detected_at < ?").params(args).query(Long.class).single());

            OverviewFilter.Sql any = findingsWhere(f.withCurrency(null));
            assertThat(o.funnel().get(4).customers()).as("leaking customers, %s", f).isEqualTo(jdbc.sql("SELECT COUNT(DISTINCT f.customer_id)" + from
                    + any.where() + " AND f.kind = 'leak'").params(any.args()).query(Long.class).single());
        }

        SummaryController.Summary cards = cache.cards();
        @SuppressWarnings("unchecked") Map<String, Object> api = (Map<String, Object>) Json.parse(http.get("/api/v1/summary", ADMIN).body());
        assertThat(amounts(cards.mrr_leaked())).isEqualTo(api.get("mrr_leaked").toString());
        assertThat(amounts(cards.one_time_leaked())).isEqualTo(api.get("one_time_leaked").toString());
        Map<String, String> mrr = new TreeMap<>();
        Map<String, String> oneTime = new TreeMap<>();
        jdbc.sql("SELECT currency, SUM(amount_one_time_minor), SUM(amount_recurring_minor) FROM findings WHERE kind = 'leak' AND status IN "
                + OPEN + " GROUP BY currency").query(rs -> {
                    Currency cur = Currencies.of(rs.getString(1).strip());
                    oneTime.put(cur.getCurrencyCode(), new Money(rs.getLong(2), cur).toPlainString());
                    mrr.put(cur.getCurrencyCode(), new Money(rs.getLong(3), cur).toPlainString());
                });
        assertThat(byCurrency(cards.mrr_leaked())).isEqualTo(mrr);
        assertThat(byCurrency(cards.one_time_leaked())).isEqualTo(oneTime);
        Map<String, Long> byCategory = new TreeMap<>();
        for (SummaryController.Named n : cards.by_category()) byCategory.put(n.name(), n.totals().count());
        Map<String, Long> sqlByCategory = new TreeMap<>();
        jdbc.sql("SELECT category, COUNT(*) FROM findings WHERE status IN " + OPEN + " GROUP BY category")
                .query(rs -> {
                    sqlByCategory.put(rs.getString(1).strip(), rs.getLong(2));
                });
        assertThat(byCategory).isEqualTo(sqlByCategory);
        @SuppressWarnings("unchecked") List<Object> apiCategories = (List<Object>) api.get("by_category");
        assertThat(apiCategories).hasSize(cards.by_category().size());
    }

    /** Rows of (key, count, one-time, recurring) as "count one-time recurring" per key, amounts in {@code currency}. */
    private Map<String, String> sums(String sql, List<Object> args, String currency) {
        Currency cur = Currencies.of(currency);
        Map<String, String> out = new TreeMap<>();
        jdbc.sql(sql).params(args).query(rs -> {
            out.put(rs.getString(1), line(rs.getLong(2), new Money(rs.getLong(3), cur), new Money(rs.getLong(4), cur)));
        });
        return out;
    }

    private static String line(long count, Money oneTime, Money recurring) {
        return count + " " + oneTime.toPlainString() + " " + recurring.toPlainString();
    }

    /** The API's JSON rendering of a list of amounts, as {@code Json.parse(...).toString()} shows it. */
    private static String amounts(List<SummaryController.Amount> list) {
        List<Object> out = new ArrayList<>();
        for (SummaryController.Amount a : list) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("currency", a.currency());
            m.put("amount", a.amount());
            out.add(m);
        }
        return out.toString();
    }

    private static Map<String, String> byCurrency(List<SummaryController.Amount> list) {
        Map<String, String> out = new TreeMap<>();
        for (SummaryController.Amount a : list) out.put(a.currency(), a.amount());
        return out;
    }

    private static String customer(String tag, String suffix, String region) {
        return "{\"customer_id\":\"" + tag + suffix + "\",\"name\":\"" + suffix + "\",\"segment\":\"" + tag + "\",\"region\":\"" + region
                + "\",\"currency\":\"USD\"}";
    }

    static Finding finding(String id, String customer, Category category, long oneTime, long recurring, String currency, Instant at,
                           FindingStatus status) {
        Currency cur = Currency.getInstance(currency);
        return new Finding(id, category, category.defaultKind(), "invoice:" + id, customer, new Money(oneTime, cur), new Money(recurring, cur),
                cur, 0.9, null, at, List.of(), "a leak", "fix it", status, List.of(category.name()));
    }
}
