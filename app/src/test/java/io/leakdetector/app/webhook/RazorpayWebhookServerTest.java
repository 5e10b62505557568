package io.leakdetector.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.app.testing.Stored;
import io.leakdetector.core.ingest.EntityKind;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Razorpay webhooks over a real server: HMAC-SHA256 of the raw body, stale and replayed deliveries rejected. */
@ServerTest
class RazorpayWebhookServerTest {
    static final String SECRET = "rzp_test_secret";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    static String sign(String body, String secret) {
        return HexFormat.of().formatHex(RazorpayWebhookController.hmac(body.getBytes(StandardCharsets.UTF_8), secret));
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static String payment(String id, String status, long createdAt) {
        return """
                {"entity":"event","account_id":"acc_BFQ7uQEaa7j2z7","event":"payment.%s","contains":["payment"],
                 "payload":{"payment":{"entity":{"id":"%s","entity":"payment","amount":50000,"currency":"INR",
                 "status":"%s","order_id":"order_1","invoice_id":null,"method":"card","customer_id":"cust_1",
                 "error_code":%s,"error_reason":%s,"created_at":%d}}},"created_at":%d}"""
                .formatted(status.equals("captured") ? "captured" : "failed", id, status,
                        status.equals("failed") ? "\"BAD_REQUEST_ERROR\"" : "null",
                        status.equals("failed") ? "\"payment_failed\"" : "null", createdAt, createdAt);
    }

    Http.Response post(String body, String signature, String eventId) {
        String[] headers = eventId == null ? new String[] {"X-Razorpay-Signature", signature}
                : new String[] {"X-Razorpay-Signature", signature, "X-Razorpay-Event-Id", eventId};
        return new Http(port).send("POST", "/webhooks/razorpay", null, "application/json",
                body.getBytes(StandardCharsets.UTF_8), headers);
    }

    long total() {
        return new Stored(jdbc).everything();
    }

    Object value(EntityKind kind, String id, String column) {
        Object v = new Stored(jdbc).value(kind, id, column);
        return v instanceof Number n ? n.longValue() : v;
    }

    @Test
    void capturedAndFailedPaymentsAreStoredOncePerEvent() {
        String body = payment("pay_ok_1", "captured", now());
        Http.Response r = post(body, sign(body, SECRET), "evt_rzp_1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(value(EntityKind.PAYMENTS, "pay_ok_1", "amount_minor")).isEqualTo(50000L);
        assertThat(value(EntityKind.PAYMENTS, "pay_ok_1", "status")).isEqualTo("succeeded");

        String failed = payment("pay_fail_1", "failed", now());
        assertThat(post(failed, sign(failed, SECRET), "evt_rzp_2").status()).isEqualTo(200);
        assertThat(value(EntityKind.PAYMENTS, "pay_fail_1", "status")).isEqualTo("failed");
        assertThat(value(EntityKind.PAYMENTS, "pay_fail_1", "decline_code")).isEqualTo("payment_failed");

        long before = total();
        Http.Response replay = post(body, sign(body, SECRET), "evt_rzp_1");
        assertThat(replay.status()).isEqualTo(400);
        assertThat(total()).isEqualTo(before);
    }

    @Test
    void refundsAndSubscriptionsAreMapped() {
        String refund = """
                {"entity":"event","event":"refund.processed","contains":["refund","payment"],"payload":{"refund":{"entity":
                {"id":"rfnd_1","entity":"refund","amount":10000,"currency":"INR","payment_id":"pay_ok_9","notes":{"reason":"duplicate"},
                "created_at":%d,"status":"processed"}}},"created_at":%d}""".formatted(now(), now());
        assertThat(post(refund, sign(refund, SECRET), "evt_rzp_r1").status()).isEqualTo(200);
        assertThat(value(EntityKind.REFUNDS, "rfnd_1", "amount_minor")).isEqualTo(10000L);
        assertThat(value(EntityKind.REFUNDS, "rfnd_1", "status")).isEqualTo("succeeded");

        String sub = """
                {"entity":"event","event":"subscription.halted","contains":["subscription"],"payload":{"subscription":{"entity":
                {"id":"sub_rzp_1","entity":"subscription","plan_id":"plan_pro","customer_id":"cust_1","status":"halted",
                "quantity":3,"start_at":%d,"ended_at":null,"created_at":%d}}},"created_at":%d}""".formatted(now(), now(), now());
        Http.Response r = post(sub, sign(sub, SECRET), "evt_rzp_s1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(value(EntityKind.SUBSCRIPTIONS, "sub_rzp_1", "status")).isEqualTo("unpaid");
        assertThat(value(EntityKind.SUBSCRIPTIONS, "sub_rzp_1", "quantity")).isEqualTo(3L);
    }

    @Test
    void wrongStaleOrMalformedDeliveriesAre400AndStoreNothing() {
        long before = total();
        String body = payment("pay_x", "captured", now());
        assertThat(post(body, sign(body, "other-secret"), "evt_x1").status()).isEqualTo(400);
        assertThat(post(body, "zz-not-hex", "evt_x2").status()).isEqualTo(400);
        assertThat(post(body.replace("50000", "1"), sign(body, SECRET), "evt_x3").status()).isEqualTo(400);
        String stale = payment("pay_old", "captured", now() - 301);
        Http.Response s = post(stale, sign(stale, SECRET), "evt_x4");
        assertThat(s.status()).isEqualTo(400);
        assertThat(s.body()).contains("created_at");
        String notJson = "{\"event\": ";
        assertThat(post(notJson, sign(notJson, SECRET), "evt_x5").status()).isEqualTo(400);
        assertThat(new Http(port).post("/webhooks/razorpay", null, body).status()).isEqualTo(400);
        assertThat(total()).isEqualTo(before);
    }
}
