package io.leakdetector.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The overview's own queries on a known little world, on H2 and PostgreSQL: two customers of a segment of their
 * own (so the other tests' data is filtered out), their paid invoices and findings.
 */
@ServerTest
class OverviewQueriesServerTest {
    static final String ADMIN = Http.basic("admin", ServerTest.ADMIN_PASSWORD);
    static final Currency USD = Currency.getInstance("USD");

    @LocalServerPort
    int port;

    @Autowired
    OverviewQueries queries;

    @Autowired
    FindingRepository findings;

    @Autowired
    OverviewCache cache;

    @Test
    void segmentsFunnelTopCustomersAndTrendOfAKnownWorld() {
        String tag = "seg" + UUID.randomUUID().toString().substring(0, 8);
        String c1 = tag + "_c1";
        String c2 = tag + "_c2";
        Http http = new Http(port);
        assertThat(http.post("/api/v1/entities/customers", ADMIN, "[{\"customer_id\":\"" + c1 + "\",\"name\":\"One\",\"segment\":\"" + tag
                + "\",\"region\":\"R1\",\"currency\":\"USD\"},{\"customer_id\":\"" + c2 + "\",\"name\":\"Two\",\"segment\":\"" + tag
                + "\",\"region\":\"R2\",\"currency\":\"USD\"}]").status()).isEqualTo(201);
        assertThat(http.post("/api/v1/entities/invoices", ADMIN, "[" + invoice(tag + "_i1", c1, "100.00") + "," + invoice(tag + "_i2", c2, "300.00")
                + "," + invoice(tag + "_i3", c2, "0.00") + "]").status()).isEqualTo(201);
        Instant at = Instant.parse("2026-03-04T10:00:00Z");
        findings.save(List.of(finding(tag + "_f1", c1, 1000, 0, at, FindingStatus.OPEN),
                finding(tag + "_f2", c2, 3000, 500, at, FindingStatus.OPEN),
                finding(tag + "_f3", c2, 9900, 0, at, FindingStatus.DISMISSED)));

        OverviewFilter f = new OverviewFilter(null, null, null, null, null, tag, null, null, "USD");

        OverviewQueries.Analysis a = queries.analysis(f);
        List<OverviewQueries.Segment> regions = a.breakdown().segments().get("region");
        assertThat(regions).extracting(OverviewQueries.Segment::value).containsExactly("R1", "R2");
        assertThat(regions.get(0).revenue()).isEqualTo(new Money(10000, USD));
        assertThat(regions.get(0).oneTime()).isEqualTo(new Money(1000, USD));
        assertThat(regions.get(0).leakagePercent()).isEqualTo(10.0);
        assertThat(regions.get(1).revenue()).isEqualTo(new Money(30000, USD));
        assertThat(regions.get(1).oneTime()).isEqualTo(new Money(3000, USD)); // the dismissed one no longer leaks
        assertThat(regions.get(1).recurring()).isEqualTo(new Money(500, USD));
        // no subscriptions, so no plan: everything lands on "(none)", through the per-customer fold
        assertThat(a.breakdown().segments().get("plan")).singleElement().satisfies(s -> {
            assertThat(s.value()).isEqualTo("(none)");
            assertThat(s.revenue()).isEqualTo(new Money(40000, USD));
            assertThat(s.findings()).isEqualTo(2);
        });

        assertThat(a.funnel()).extracting(OverviewQueries.Stage::customers).containsExactly(2L, 0L, 2L, 2L, 2L);
        assertThat(a.breakdown().top()).extracting(OverviewQueries.Totals::key).containsExactly(c2, c1);
        assertThat(a.categories()).singleElement().satisfies(t -> assertThat(t.count()).isEqualTo(2));
        List<OverviewQueries.Week> weeks = a.weeks();
        assertThat(weeks).hasSize(OverviewQueries.TREND_WEEKS);
        assertThat(weeks.get(weeks.size() - 1).start()).isEqualTo(java.time.LocalDate.parse("2026-03-02"));
        assertThat(weeks.get(weeks.size() - 1).count()).isEqualTo(2);

        OverviewFilter any = new OverviewFilter(null, null, null, null, "all", tag, null, null, "USD");
        assertThat(queries.analysis(any).categories()).singleElement().satisfies(t -> assertThat(t.oneTime()).isEqualTo(new Money(13900, USD)));
        OverviewFilter nothing = new OverviewFilter("2027-01-01", null, null, null, null, tag, null, null, "USD");
        assertThat(queries.analysis(nothing).categories()).isEmpty();
    }

    /**
     * The cached overview (30 s time-to-live) follows every write at once: a status change through the API, a new
     * finding from detection, a paid invoice through JSON ingest — each bumps the data version in the cache's key.
     */
    @Test
    void theCachedOverviewReflectsAStatusChangeANewFindingAndNewBillingDataImmediately() {
        String tag = "cache" + UUID.randomUUID().toString().substring(0, 8);
        String c1 = tag + "_c1";
        Http http = new Http(port);
        assertThat(http.post("/api/v1/entities/customers", ADMIN, "{\"customer_id\":\"" + c1 + "\",\"name\":\"One\",\"segment\":\"" + tag
                + "\",\"region\":\"R1\",\"currency\":\"USD\"}").status()).isEqualTo(201);
        Instant at = Instant.parse("2026-03-04T10:00:00Z");
        findings.save(List.of(finding(tag + "_f1", c1, 1000, 0, at, FindingStatus.OPEN)));
        OverviewFilter f = new OverviewFilter(null, null, null, null, null, tag, null, null, "USD");

        OverviewCache.Overview before = cache.get(f);
        assertThat(cache.get(f)).isSameAs(before); // no write in between: served from the cache
        assertThat(before.categories()).singleElement().satisfies(t -> assertThat(t.count()).isEqualTo(1));

        assertThat(http.post("/api/v1/findings/" + tag + "_f1/status", ADMIN, "{\"status\":\"dismissed\"}").status()).isEqualTo(200);
        OverviewCache.Overview dismissed = cache.get(f);
        assertThat(dismissed.categories()).isEmpty();
        assertThat(dismissed.funnel().get(4).customers()).isZero(); // no longer leaking

        findings.save(List.of(finding(tag + "_f2", c1, 2500, 100, at, FindingStatus.OPEN)));
        OverviewCache.Overview added = cache.get(f);
        assertThat(added.categories()).singleElement().satisfies(t -> assertThat(t.oneTime()).isEqualTo(new Money(2500, USD)));
        assertThat(added.breakdown().top()).extracting(OverviewQueries.Totals::key).containsExactly(c1);

        assertThat(http.post("/api/v1/entities/invoices", ADMIN, invoice(tag + "_i1", c1, "50.00")).status()).isEqualTo(201);
        assertThat(cache.get(f).breakdown().segments().get("region")).singleElement()
                .satisfies(s -> assertThat(s.revenue()).isEqualTo(new Money(5000, USD)));
    }

    @Test
    void aBadFilterValueIsDroppedNotAnError() {
        OverviewFilter f = new OverviewFilter("not-a-date", null, "NO_SUCH", "nope", "weird", " ", null, null, "XXX1");
        assertThat(f).isEqualTo(new OverviewFilter(null, null, null, null, null, null, null, null, null));
    }

    static String invoice(String id, String customer, String paid) {
        return "{\"invoice_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"status\":\"paid\",\"created_at\":\"2026-02-01T00:00:00Z\","
                + "\"currency\":\"USD\",\"subtotal\":\"" + paid + "\",\"discount\":\"0.00\",\"tax\":\"0.00\",\"total\":\"" + paid
                + "\",\"amount_paid\":\"" + paid + "\"}";
    }

    static Finding finding(String id, String customer, long oneTime, long recurring, Instant at, FindingStatus status) {
        return new Finding(id, Category.PRICE_MISMATCH, Category.PRICE_MISMATCH.defaultKind(), "invoice:" + id, customer,
                new Money(oneTime, USD), new Money(recurring, USD), USD, 0.9, null, at, List.of(), "charged below contract",
                "correct the price", status, List.of("PRICE_MISMATCH"));
    }
}
