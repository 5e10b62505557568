package io.leakdetector.app.api;

import io.leakdetector.app.detect.FindingRepository;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Money;
import io.leakdetector.core.util.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The findings API over a real server: filters, cursor paging, one finding, status changes, labels, summary, timeline. */
@ServerTest
class FindingsApiServerTest {
    static final String ADMIN = Http.basic("admin", ServerTest.ADMIN_PASSWORD);

    @LocalServerPort
    int port;

    @Autowired
    FindingRepository repo;

    @Autowired
    JdbcClient jdbc;

    String tag = "t" + UUID.randomUUID().toString().substring(0, 8);

    Finding finding(String customer, Category c, long oneTime, long recurring, String currency, double score, Instant at) {
        Currency cur = Currency.getInstance(currency);
        return new Finding(c.name() + ":" + customer + ":" + oneTime + ":" + recurring, c, c.defaultKind(),
                "customer:" + customer + "@" + oneTime + "-" + recurring, customer, new Money(oneTime, cur),
                new Money(recurring, cur), cur, score, null, at,
                List.of(new Evidence("charged below contract", "49.00", "39.00", List.of("invoices.csv:7"))),
                "charged 39.00, contract says 49.00", "correct the price", null, List.of(c.name()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String s) {
        return (Map<String, Object>) Json.parse(s);
    }

    @Test
    @SuppressWarnings("unchecked")
    void filtersAndCursorPagingVisitEveryMatchOnce() {
        String cust = tag + "_c1";
        Instant now = Instant.now();
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(finding(cust, Category.PRICE_MISMATCH, 0, 1000 + i, "USD", 0.5 + i * 0.05, now.minus(i, ChronoUnit.DAYS)));
        }
        all.add(finding(cust, Category.FAILED_PAYMENT, 5000, 0, "EUR", 0.99, now));
        repo.save(all);

        Http http = new Http(port);
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        double lastScore = 2;
        do {
            Http.Response r = http.get("/api/v1/findings?customer=" + cust + "&category=PRICE_MISMATCH&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            Map<String, Object> page = json(r.body());
            for (Object o : (List<Object>) page.get("items")) {
                Map<String, Object> f = (Map<String, Object>) o;
                assertThat(seen.add((String) f.get("id"))).isTrue();
                double score = Double.parseDouble(f.get("score").toString());
                assertThat(score).isLessThanOrEqualTo(lastScore);
                lastScore = score;
            }
            cursor = (String) page.get("next_cursor");
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(7);
        assertThat(pages).isEqualTo(3);

        Map<String, Object> eur = json(http.get("/api/v1/findings?customer=" + cust + "&currency=EUR&min_amount=49.99", ADMIN).body());
        assertThat((List<Object>) eur.get("items")).hasSize(1);
        Map<String, Object> high = json(http.get("/api/v1/findings?customer=" + cust + "&min_score=0.8", ADMIN).body());
        assertThat((List<Object>) high.get("items")).hasSize(2); // 0.8 and 0.99
        Map<String, Object> old = json(http.get("/api/v1/findings?customer=" + cust + "&to=" + now.minus(3, ChronoUnit.DAYS).plusSeconds(1), ADMIN).body());
        assertThat((List<Object>) old.get("items")).hasSize(4); // 3, 4, 5 and 6 days old

        Http.Response noCurrency = http.get("/api/v1/findings?min_amount=10", ADMIN);
        assertThat(noCurrency.status()).isEqualTo(400);
        assertThat(json(noCurrency.body())).containsEntry("field", "min_amount");
        assertThat(json(http.get("/api/v1/findings?category=NOPE", ADMIN).body())).containsEntry("field", "category");
        assertThat(json(http.get("/api/v1/findings?cursor=bm9uc2Vuc2U", ADMIN).body())).containsEntry("field", "cursor");
        assertThat(json(http.get("/api/v1/findings?sort=colour", ADMIN).body())).containsEntry("field", "sort");
        assertThat(json(http.get("/api/v1/findings?min_score=abc", ADMIN).body())).containsEntry("field", "min_score");
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusChangesAreCheckedRecordedAndAudited() {
        String cust = tag + "_c2";
        Finding f = finding(cust, Category.FAILED_PAYMENT, 5000, 0, "USD", 0.9, Instant.now());
        repo.save(List.of(f));
        Http http = new Http(port);
        String base = "/api/v1/findings/" + f.id();
        Http.Response one = http.get(base, ADMIN);
        assertThat(one.status()).isEqualTo(200);
        Map<String, Object> detail = json(one.body());
        Map<String, Object> view = (Map<String, Object>) detail.get("finding");
        assertThat(view).containsEntry("amount_one_time", "50.00").containsEntry("status", "open");
        assertThat((List<Object>) view.get("evidence")).hasSize(1);

        Http.Response ack = http.post(base + "/status", ADMIN, "{\"status\":\"acknowledged\",\"comment\":\"looking\"}");
        assertThat(ack.status()).as(ack.body()).isEqualTo(200);
        assertThat(http.post(base + "/status", ADMIN, "{\"status\":\"recovered\"}").status()).isEqualTo(200);
        Http.Response back = http.post(base + "/status", ADMIN, "{\"status\":\"open\"}");
        assertThat(back.status()).isEqualTo(409);
        assertThat(http.post(base + "/status", ADMIN, "{\"status\":\"sleeping\"}").status()).isEqualTo(400);
        assertThat(http.post("/api/v1/findings/nope/status", ADMIN, "{\"status\":\"open\"}").status()).isEqualTo(404);
        List<Object> history = (List<Object>) json(http.get(base, ADMIN).body()).get("history");
        assertThat(history).hasSize(2);
        assertThat((Map<String, Object>) history.get(0)).containsEntry("to", "acknowledged").containsEntry("note", "looking")
                .containsEntry("changedBy", "admin");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'finding.status' AND entity_id = ?").param(f.id())
                .query(Long.class).single()).isEqualTo(2);

        // Re-detection refreshes the content but keeps the analyst's status.
        repo.save(List.of(finding(cust, Category.FAILED_PAYMENT, 5000, 0, "USD", 0.95, Instant.now())));
        assertThat(repo.find(f.id()).orElseThrow().status().wire()).isEqualTo("recovered");

        Http.Response label = http.post(base + "/label", ADMIN, "{\"label\":\"confirm\",\"comment\":\"real leak\"}");
        assertThat(label.status()).isEqualTo(200);
        assertThat((Map<String, Object>) json(label.body()).get("label")).containsEntry("label", "confirmed");
        assertThat(json(http.post(base + "/label", ADMIN, "{\"label\":\"maybe\"}").body())).containsEntry("field", "label");

        Map<String, Object> summary = json(http.get("/api/v1/summary", ADMIN).body());
        Map<String, Object> recovered = (Map<String, Object>) summary.get("recovered_this_month");
        assertThat(Long.parseLong(recovered.get("count").toString())).isGreaterThanOrEqualTo(1);
        assertThat((List<Object>) summary.get("weekly")).hasSize(SummaryController.WEEKS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void summaryAddsPerCurrencyAndTimelineOrdersACustomersHistory() {
        String cust = tag + "_c3";
        Http http = new Http(port);
        Map<String, Object> before = json(http.get("/api/v1/summary", ADMIN).body());
        repo.save(List.of(finding(cust, Category.PRICE_MISMATCH, 0, 1234, "JPY", 0.7, Instant.now())));
        Map<String, Object> after = json(http.get("/api/v1/summary", ADMIN).body());
        assertThat(mrr(after, "JPY") - mrr(before, "JPY")).isEqualTo(1234);

        http.post("/api/v1/entities/customers", ADMIN, "{\"customer_id\":\"" + cust + "\",\"name\":\"Kaisha\",\"currency\":\"JPY\"}");
        http.post("/api/v1/entities/invoices", ADMIN, "{\"invoice_id\":\"in_" + cust + "\",\"customer_id\":\"" + cust
                + "\",\"status\":\"open\",\"created_at\":\"2020-01-01T00:00:00Z\",\"currency\":\"JPY\",\"subtotal\":\"5000\",\"total\":\"5000\"}");
        Http.Response t = http.get("/api/v1/customers/" + cust + "/timeline", ADMIN);
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        List<Object> entries = (List<Object>) json(t.body()).get("entries");
        assertThat(entries).hasSize(2);
        assertThat((Map<String, Object>) entries.get(0)).containsEntry("type", "invoice").containsEntry("amount", "5000");
        assertThat((Map<String, Object>) entries.get(1)).containsEntry("type", "finding");
        assertThat(http.get("/api/v1/customers/nobody_" + tag + "/timeline", ADMIN).status()).isEqualTo(404);
    }

    @SuppressWarnings("unchecked")
    static long mrr(Map<String, Object> summary, String currency) {
        for (Object o : (List<Object>) summary.get("mrr_leaked")) {
            Map<String, Object> a = (Map<String, Object>) o;
            if (currency.equals(a.get("currency"))) return Long.parseLong(a.get("amount").toString());
        }
        return 0;
    }
}
