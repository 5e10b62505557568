package io.leakdetector.app.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.util.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code POST /api/v1/events} over a real server with API keys (the fast path) and with HTTP Basic (the MVC
 * controller): the same answers, the same refusals, and the in-memory customer state follows writes made by the
 * other ingest routes.
 */
@ServerTest
class EventsServerTest {
    static final String ADMIN = Http.basic("admin", ServerTest.ADMIN_PASSWORD);

    @LocalServerPort
    int port;

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String s) {
        return (Map<String, Object>) Json.parse(s);
    }

    String key(Http http, String role) {
        Http.Response r = http.post("/api/v1/admin/api-keys", ADMIN, "{\"name\":\"rt-" + role + "\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).as(r.body()).isBetween(200, 201);
        return Http.bearer((String) json(r.body()).get("key"));
    }

    static String invoice(String id, String customer) {
        return """
                {"event_id":"evt_%1$s","type":"invoice.created","data":{"invoice_id":"%1$s","customer_id":"%2$s","status":"open",
                 "created_at":"2026-01-01T00:00:00Z","currency":"USD","subtotal":"49.00","total":"49.00"},
                 "lines":[{"line_id":"%1$s_l","invoice_id":"%1$s","kind":"subscription","currency":"USD","unit_amount":"49.00","amount":"49.00"}]}"""
                .formatted(id, customer);
    }

    static String failedPayment(String id, String invoice, String customer) {
        return """
                {"payment_id":"%s","invoice_id":"%s","customer_id":"%s","attempted_at":"2026-01-01T00:10:00Z","currency":"USD",
                 "amount":"49.00","status":"failed","decline_code":"insufficient_funds"}""".formatted(id, invoice, customer);
    }

    @Test
    void anAnalystKeyGetsTheDecisionAndTheSameAnswersAsBasicAuth() {
        Http http = new Http(port);
        String analyst = key(http, "analyst");
        Http.Response created = http.post("/api/v1/events", analyst, invoice("in_fp_1", "cus_fp"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.contentType()).startsWith("application/json");
        assertThat(json(created.body())).containsEntry("customer_id", "cus_fp").containsKeys("processed_in_ms", "findings", "stored");
        Http.Response failed = http.post("/api/v1/events", analyst,
                "{\"event_id\":\"evt_fp_2\",\"type\":\"payment.failed\",\"data\":" + failedPayment("py_fp_1", "in_fp_1", "cus_fp") + "}");
        assertThat(failed.status()).as(failed.body()).isEqualTo(200);
        assertThat(failed.body()).contains("\"category\":\"FAILED_PAYMENT\"").contains("\"change\":\"new\"")
                .contains("\"subject\":\"invoice:in_fp_1\"").contains("\"factors\":[{");
        // committed before the answer: the finding and the records are there for every other route
        assertThat(http.get("/api/v1/findings?customer=cus_fp", ADMIN).body()).contains("FAILED_PAYMENT");
        // the same event again changes nothing
        Http.Response again = http.post("/api/v1/events", analyst,
                "{\"event_id\":\"evt_fp_2\",\"type\":\"payment.failed\",\"data\":" + failedPayment("py_fp_1", "in_fp_1", "cus_fp") + "}");
        assertThat(again.body()).contains("\"outcome\":\"unchanged\"").contains("\"findings\":[]");

        // Basic auth takes the MVC route to the same service: the same document shape
        Http.Response basic = http.post("/api/v1/events", ADMIN, invoice("in_fp_b", "cus_fp_b"));
        assertThat(basic.status()).as(basic.body()).isEqualTo(200);
        assertThat(json(basic.body()).keySet()).isEqualTo(json(created.body()).keySet());
    }

    @Test
    void aPaymentThatArrivesRecoversTheFailedPaymentFindingButNotAnother() {
        Http http = new Http(port);
        String analyst = key(http, "analyst");
        for (String inv : new String[] {"in_rc_1", "in_rc_2"}) {
            assertThat(http.post("/api/v1/events", analyst, invoice(inv, "cus_rc")).status()).isEqualTo(200);
            Http.Response failed = http.post("/api/v1/events", analyst, "{\"event_id\":\"evt_" + inv + "_f\",\"type\":\"payment.failed\",\"data\":"
                    + failedPayment("py_" + inv + "_f", inv, "cus_rc") + "}");
            assertThat(failed.body()).contains("\"subject\":\"invoice:" + inv + "\"");
        }
        // money for in_rc_1 only (the store is asked about the invoices the customer's findings are about)
        Http.Response paid = http.post("/api/v1/events", analyst, """
                {"event_id":"evt_rc_paid","type":"payment.succeeded","data":{"payment_id":"py_rc_ok","invoice_id":"in_rc_1",
                 "customer_id":"cus_rc","attempted_at":"2026-01-02T00:00:00Z","currency":"USD","amount":"49.00","status":"succeeded"}}""");
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        String findings = http.get("/api/v1/findings?customer=cus_rc&status=recovered", ADMIN).body();
        assertThat(findings).contains("invoice:in_rc_1").doesNotContain("invoice:in_rc_2");
        assertThat(http.get("/api/v1/findings?customer=cus_rc&status=open", ADMIN).body()).contains("invoice:in_rc_2");
    }

    @Test
    void keysWithoutTheRoleOrUnknownAreRefusedAndBadBodiesNameTheField() {
        Http http = new Http(port);
        String viewer = key(http, "viewer");
        String analyst = key(http, "analyst");
        Http.Response forbidden = http.post("/api/v1/events", viewer, invoice("in_fp_v", "cus_fp_v"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.contentType()).startsWith("application/problem+json");
        Http.Response unknown = http.post("/api/v1/events", Http.bearer("ldk_not-a-key"), invoice("in_fp_u", "cus_fp_u"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(http.post("/api/v1/events", null, invoice("in_fp_n", "cus_fp_n")).status()).isEqualTo(401);

        Http.Response malformed = http.post("/api/v1/events", analyst, "{\"type\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        Http.Response badField = http.post("/api/v1/events", analyst, invoice("in_fp_x", "cus_fp_x").replace("\"total\":\"49.00\"", "\"total\":\"x\""));
        assertThat(badField.status()).isEqualTo(400);
        assertThat(json(badField.body())).containsEntry("field", "data.total");
        Http.Response tooBig = http.post("/api/v1/events", analyst,
                "{\"type\":\"usage.recorded\",\"data\":{\"metric\":\"" + "x".repeat((int) ServerTest.MAX_JSON_BYTES) + "\"}}");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(http.get("/api/v1/findings?customer=cus_fp_v", ADMIN).body()).doesNotContain("FAILED_PAYMENT");
    }

    @Test
    void theFastPathIsTimedInItsOwnMeterByStatus() {
        Http http = new Http(port);
        String analyst = key(http, "analyst");
        String viewer = key(http, "viewer");
        assertThat(http.post("/api/v1/events", analyst, invoice("in_fp_m", "cus_fp_m")).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/events", viewer, invoice("in_fp_m2", "cus_fp_m")).status()).isEqualTo(403);
        Http.Response scrape = http.get("/actuator/prometheus", ADMIN);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).containsPattern("leak_events_seconds_count\\{[^}]*outcome=\"SUCCESS\"[^}]*status=\"200\"[^}]*} [1-9]")
                .containsPattern("leak_events_seconds_count\\{[^}]*outcome=\"CLIENT_ERROR\"[^}]*status=\"403\"[^}]*} [1-9]");
    }

    @Test
    void theCustomersStateFollowsWritesByTheOtherRoutes() {
        Http http = new Http(port);
        String analyst = key(http, "analyst");
        assertThat(http.post("/api/v1/events", analyst, invoice("in_fp_s", "cus_fp_s")).status()).isEqualTo(200);
        // the failed payment arrives by the JSON ingest route, not as an event
        Http.Response ingested = http.post("/api/v1/entities/payments", ADMIN, failedPayment("py_fp_s", "in_fp_s", "cus_fp_s"));
        assertThat(ingested.status()).as(ingested.body()).isEqualTo(201);
        // the next event of that customer is judged on a state that includes it
        Http.Response usage = http.post("/api/v1/events", analyst, """
                {"event_id":"evt_fp_s_u","type":"usage.recorded","data":{"usage_id":"u_fp_s","customer_id":"cus_fp_s",
                 "metric":"api_calls","period_start":"2026-01-01T00:00:00Z","quantity":"10"}}""");
        assertThat(usage.status()).as(usage.body()).isEqualTo(200);
        assertThat(usage.body()).contains("\"category\":\"FAILED_PAYMENT\"").contains("\"subject\":\"invoice:in_fp_s\"");
    }
}
