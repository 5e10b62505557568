package io.leakdetector.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.app.testing.Stored;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.util.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** JSON ingest, change events and real-time events over a real server. */
@ServerTest
class IngestApiServerTest {
    static final String ADMIN = Http.basic("admin", "admin-secret-123");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    long count(String kind) {
        return new Stored(jdbc).count(EntityKind.valueOf(kind));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String s) {
        return (Map<String, Object>) Json.parse(s);
    }

    @Test
    void singleRecordsAreIdempotentOnTheirId() {
        Http http = new Http(port);
        String body = "{\"customer_id\":\"cus_api_1\",\"name\":\"Acme\",\"currency\":\"EUR\",\"segment\":\"smb\"}";
        Http.Response first = http.post("/api/v1/entities/customers", ADMIN, body);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(json(first.body()).get("created").toString()).isEqualTo("1");
        Http.Response again = http.post("/api/v1/entities/customers", ADMIN, body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(json(again.body()).get("unchanged").toString()).isEqualTo("1");
        Http.Response changed = http.send("PUT", "/api/v1/entities/customers/cus_api_1", ADMIN, "application/json",
                "{\"name\":\"Acme GmbH\",\"currency\":\"EUR\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(json(changed.body()).get("updated").toString()).isEqualTo("1");
        Http.Response mismatch = http.send("PUT", "/api/v1/entities/customers/cus_api_1", ADMIN, "application/json",
                "{\"customer_id\":\"other\",\"currency\":\"EUR\"}");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(json(mismatch.body())).containsEntry("field", "customer_id");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'ingest' AND actor = 'admin'").query(Long.class).single())
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void aBulkRequestIsStoredWholeOrNotAtAllAndErrorsNameTheField() {
        Http http = new Http(port);
        long before = count("INVOICES");
        String bad = """
                [{"invoice_id":"in_b1","customer_id":"c1","status":"paid","created_at":"2026-01-01T00:00:00Z","currency":"USD","subtotal":"10.00","total":"10.00"},
                 {"invoice_id":"in_b2","customer_id":"c1","status":"paid","created_at":"2026-01-01T00:00:00Z","currency":"USD","subtotal":"10.00","total":"ten"}]""";
        Http.Response r = http.post("/api/v1/entities/invoices", ADMIN, bad);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(json(r.body())).containsEntry("field", "[1].total");
        assertThat(count("INVOICES")).isEqualTo(before);

        Http.Response ok = http.post("/api/v1/entities/invoices", ADMIN, bad.replace("\"ten\"", "10"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(count("INVOICES")).isEqualTo(before + 2);

        Http.Response nested = http.post("/api/v1/entities/invoices", ADMIN, "{\"invoice_id\":{\"a\":1}}");
        assertThat(nested.status()).isEqualTo(400);
        assertThat(json(nested.body())).containsEntry("field", "invoice_id");
        assertThat(http.post("/api/v1/entities/nope", ADMIN, "{}").status()).isEqualTo(404);
        Http.Response unknown = http.post("/api/v1/entities/customers", ADMIN, "{\"customer_id\":\"x\",\"currency\":\"EUR\",\"colour\":\"red\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(json(unknown.body())).containsEntry("field", "colour");
    }

    @Test
    void changeEventsAreRecorded() {
        Http http = new Http(port);
        Http.Response r = http.post("/api/v1/changes", ADMIN,
                "{\"event_id\":\"chg_1\",\"occurred_at\":\"2026-03-04T14:00:00Z\",\"type\":\"deploy\",\"service\":\"billing-svc\",\"version\":\"2.3.1\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(count("CHANGE_EVENTS")).isPositive();
        Http.Response bad = http.post("/api/v1/changes", ADMIN, "{\"event_id\":\"chg_2\",\"type\":\"deploy\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad.body())).containsEntry("field", "occurred_at");
    }

    @Test
    void realTimeEventsAreStoredBeforeTheAnswerAndNameTheirFields() {
        Http http = new Http(port);
        String event = """
                {"event_id":"evt_rt_1","type":"invoice.created",
                 "data":{"invoice_id":"in_rt_1","customer_id":"cus_rt","status":"open","created_at":"2026-01-01T00:00:00Z",
                         "currency":"USD","subtotal":"49.00","total":"49.00"},
                 "lines":[{"line_id":"il_rt_1","invoice_id":"in_rt_1","kind":"subscription","currency":"USD","unit_amount":"49.00","amount":"49.00"}]}""";
        Http.Response r = http.post("/api/v1/events", ADMIN, event);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, Object> d = json(r.body());
        assertThat(d).containsEntry("customer_id", "cus_rt").containsKey("processed_in_ms").containsKey("findings");
        assertThat(count("INVOICE_LINES")).isPositive();
        assertThat(new Stored(jdbc).value(EntityKind.INVOICES, "in_rt_1", "source_file")).isEqualTo("event:evt_rt_1");

        // A failed payment on that invoice, months past the grace period: the decision carries a FAILED_PAYMENT finding.
        Http.Response failed = http.post("/api/v1/events", ADMIN, """
                {"event_id":"evt_rt_2","type":"payment.failed","data":{"payment_id":"py_rt_1","invoice_id":"in_rt_1",
                 "customer_id":"cus_rt","attempted_at":"2026-01-01T00:10:00Z","currency":"USD","amount":"49.00",
                 "status":"failed","decline_code":"insufficient_funds"}}""");
        assertThat(failed.status()).as(failed.body()).isEqualTo(200);
        assertThat(failed.body()).contains("\"category\":\"FAILED_PAYMENT\"").contains("\"change\":\"new\"")
                .contains("\"factors\":[{").contains("\"subject\":\"invoice:in_rt_1\"");
        assertThat(http.get("/api/v1/findings?customer=cus_rt", ADMIN).body()).contains("FAILED_PAYMENT");

        Http.Response bad = http.post("/api/v1/events", ADMIN, event.replace("\"amount\":\"49.00\"", "\"amount\":\"x\""));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad.body())).containsEntry("field", "lines[0].amount");
        Http.Response badType = http.post("/api/v1/events", ADMIN, "{\"type\":\"weather.sunny\",\"data\":{}}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(json(badType.body())).containsEntry("field", "type");
    }
}
