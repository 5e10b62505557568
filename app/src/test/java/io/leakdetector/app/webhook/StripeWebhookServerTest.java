package io.leakdetector.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.Stripe;
import com.stripe.net.Webhook;
import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.app.testing.SharedData;
import io.leakdetector.app.testing.Stored;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.util.Json;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stripe webhooks over a real server: Stripe's own fixture objects wrapped in events and signed with stripe-java's
 * signing helper; wrong, stale and replayed signatures store nothing.
 */
@ServerTest
class StripeWebhookServerTest {
    static final String SECRET = "whsec_test_secret";
    static Map<String, Object> resources;
    static final AtomicInteger ids = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void loadFixtures() throws Exception {
        String text = Files.readString(SharedData.file("stripe/fixtures3.json"));
        resources = (Map<String, Object>) ((Map<String, Object>) Json.parse(text)).get("resources");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> fixture(String name) {
        return new LinkedHashMap<>((Map<String, Object>) resources.get(name));
    }

    static String event(String type, Map<String, Object> object) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", "evt_test_" + ids.incrementAndGet() + "_" + System.nanoTime());
        e.put("object", "event");
        e.put("api_version", Stripe.API_VERSION);
        e.put("created", System.currentTimeMillis() / 1000);
        e.put("livemode", false);
        e.put("pending_webhooks", 1);
        e.put("type", type);
        e.put("data", Map.of("object", object));
        return Json.write(e);
    }

    static String sign(String payload, long timestamp, String secret) throws Exception {
        String header = Webhook.Signature.generateSignatureHeader(payload, secret, timestamp);
        return header;
    }

    Http.Response post(String payload, String signature) {
        return new Http(port).send("POST", "/webhooks/stripe", null, "application/json",
                payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), new String[] {"Stripe-Signature", signature});
    }

    long stored(String kind, String key) {
        return new Stored(jdbc).count(EntityKind.valueOf(kind), key);
    }

    long total() {
        return new Stored(jdbc).everything();
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void signingHelperProducesHeadersStripeJavaAccepts() throws Exception {
        String payload = event("customer.created", fixture("customer"));
        String header = sign(payload, now(), SECRET);
        assertThat(Webhook.Signature.verifyHeader(payload, header, SECRET, 300)).isTrue();
    }

    @Test
    void invoiceEventStoresTheInvoiceAndItsLinesOnce() throws Exception {
        Map<String, Object> inv = fixture("invoice");
        String invoiceId = "in_fixture_" + ids.incrementAndGet();
        inv.put("id", invoiceId);
        String payload = event("invoice.finalized", inv);
        String sig = sign(payload, now(), SECRET);
        Http.Response r = post(payload, sig);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"stored\"");
        assertThat(stored("INVOICES", invoiceId)).isEqualTo(1);
        Stored s = new Stored(jdbc);
        assertThat(((Number) s.value(EntityKind.INVOICES, invoiceId, "total_minor")).longValue()).isEqualTo(1000);
        assertThat(s.value(EntityKind.INVOICES, invoiceId, "customer_id")).isEqualTo("cus_QXg1o8vcGmoR32");
        assertThat(s.value(EntityKind.INVOICES, invoiceId, "currency")).isEqualTo("USD");
        assertThat(s.value(EntityKind.INVOICES, invoiceId, "source_file").toString()).startsWith("stripe:evt_");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM invoice_lines WHERE invoice_id = ?")
                .param(invoiceId).query(Long.class).single()).isPositive();

        // The exact same signed delivery again is a replay: 400, nothing more stored.
        long before = total();
        Http.Response replay = post(payload, sig);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.body()).contains("replayed-signature");
        assertThat(total()).isEqualTo(before);

        // Stripe's own redelivery carries a fresh signature: acknowledged as a duplicate, nothing changes.
        Http.Response again = post(payload, sign(payload, now() + 1, SECRET));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("\"status\":\"duplicate\"");
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void wrongOrStaleSignaturesAre400AndStoreNothing() throws Exception {
        Map<String, Object> cus = fixture("customer");
        cus.put("id", "cus_sig_" + ids.incrementAndGet());
        String payload = event("customer.created", cus);
        long before = total();

        Http.Response wrongSecret = post(payload, sign(payload, now(), "whsec_other"));
        assertThat(wrongSecret.status()).isEqualTo(400);
        assertThat(wrongSecret.contentType()).startsWith("application/problem+json");
        assertThat(wrongSecret.body()).contains("Stripe-Signature");

        Http.Response stale = post(payload, sign(payload, now() - 301, SECRET));
        assertThat(stale.status()).isEqualTo(400);

        Http.Response tampered = post(payload.replace("cus_sig_", "cus_evil_"), sign(payload, now(), SECRET));
        assertThat(tampered.status()).isEqualTo(400);

        assertThat(post(payload, "garbage").status()).isEqualTo(400);
        assertThat(new Http(port).post("/webhooks/stripe", null, payload).status()).isEqualTo(400); // no header
        assertThat(total()).isEqualTo(before);

        Http.Response fresh = post(payload, sign(payload, now() - 200, SECRET));
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(stored("CUSTOMERS", (String) cus.get("id"))).isEqualTo(1);
    }

    @Test
    void chargesRefundsDisputesSubscriptionsAndPaymentIntentsAreMapped() throws Exception {
        Map<String, Object> charge = fixture("charge");
        String chargeId = "ch_fx_" + ids.incrementAndGet();
        charge.put("id", chargeId);
        charge.put("customer", "cus_QXg1o8vcGmoR32");
        Map<String, Object> refund = fixture("refund");
        String refundId = "re_fx_" + ids.incrementAndGet();
        refund.put("id", refundId);
        refund.put("charge", chargeId);
        charge.put("refunds", Map.of("object", "list", "data", java.util.List.of(refund), "has_more", false, "url", "/v1/x"));
        String p1 = event("charge.refunded", charge);
        assertThat(post(p1, sign(p1, now(), SECRET)).status()).isEqualTo(200);
        assertThat(stored("PAYMENTS", chargeId)).isEqualTo(1);
        assertThat(stored("REFUNDS", refundId)).isEqualTo(1);

        Map<String, Object> dispute = fixture("dispute");
        String p2 = event("charge.dispute.created", dispute);
        Http.Response r2 = post(p2, sign(p2, now(), SECRET));
        assertThat(r2.status()).isEqualTo(200);
        assertThat(r2.body()).contains("\"status\":\"stored\"");
        assertThat(stored("DISPUTES", (String) dispute.get("id"))).isEqualTo(1);

        Map<String, Object> sub = fixture("subscription");
        String p3 = event("customer.subscription.updated", sub);
        Http.Response r3 = post(p3, sign(p3, now(), SECRET));
        assertThat(r3.status()).as(r3.body()).isEqualTo(200);
        assertThat(stored("SUBSCRIPTIONS", (String) sub.get("id"))).isEqualTo(1);
        assertThat(stored("PRICES", "price_1PgafmB7WZ01zgkW6dKueIc5")).isEqualTo(1);

        Map<String, Object> pi = fixture("payment_intent");
        pi.put("id", "pi_fx_" + ids.incrementAndGet());
        pi.put("customer", "cus_QXg1o8vcGmoR32");
        String p4 = event("payment_intent.payment_failed", pi);
        Http.Response r4 = post(p4, sign(p4, now(), SECRET));
        assertThat(r4.status()).as(r4.body()).isEqualTo(200);
        assertThat(new Stored(jdbc).value(EntityKind.PAYMENTS, (String) pi.get("id"), "status")).isEqualTo("failed");

        // A charge without a customer cannot be a payment of this model: acknowledged, recorded as not stored.
        Map<String, Object> orphan = fixture("charge");
        orphan.put("id", "ch_orphan_" + ids.incrementAndGet());
        String p5 = event("charge.succeeded", orphan);
        Http.Response r5 = post(p5, sign(p5, now(), SECRET));
        assertThat(r5.status()).isEqualTo(200);
        assertThat(r5.body()).contains("\"status\":\"ignored\"").contains("customer_id");
        assertThat(stored("PAYMENTS", (String) orphan.get("id"))).isZero();

        String p6 = event("plan.created", fixture("plan"));
        assertThat(post(p6, sign(p6, now(), SECRET)).body()).contains("\"status\":\"ignored\"");
    }
}
