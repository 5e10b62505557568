package io.leakdetector.app.remediation;

import io.leakdetector.app.remediation.channel.HttpJson;
import io.leakdetector.core.util.Json;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Outbound webhooks to subscribers: {@code finding.created}, {@code finding.updated}, {@code action.completed}. Each
 * event to each subscriber is a stored delivery and a durable job (retried with backoff). A delivery is a POST of
 * the JSON payload with {@code X-Leak-Event}, {@code X-Leak-Delivery} (the idempotency key: the same on every retry),
 * {@code X-Leak-Timestamp} (Unix seconds) and {@code X-Leak-Signature: v1=<hex HMAC-SHA256 of "timestamp.body">}
 * under the subscription's secret.
 */
public final class OutboundWebhooks {
    public static final Set<String> EVENTS = Set.of("finding.created", "finding.updated", "action.completed");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final JdbcClient jdbc;
    private final Jobs jobs;
    private final HttpJson http;
    private final Clock clock;

    public OutboundWebhooks(JdbcClient jdbc, Jobs jobs, HttpJson http, Clock clock) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.http = http;
        this.clock = clock;
    }

    /** A subscription as listed (the secret is never listed). */
    public record Subscription(String id, String url, List<String> events, boolean enabled, String createdBy, Instant createdAt) {}

    /** Creates a subscription; returns it with its secret, shown this once. */
    public Map<String, Object> subscribe(String url, List<String> events, String by) {
        String id = "whs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        String secret = "whsec_" + HexFormat.of().formatHex(raw);
        jdbc.sql("INSERT INTO webhook_subscriptions (id, url, secret, events, enabled, created_by, created_at) VALUES (?, ?, ?, ?, TRUE, ?, ?)")
                .params(id, url, secret, String.join(",", events), by, Timestamp.from(clock.instant())).update();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("url", url);
        out.put("events", events);
        out.put("secret", secret);
        return out;
    }

    public List<Subscription> subscriptions() {
        return jdbc.sql("SELECT id, url, events, enabled, created_by, created_at FROM webhook_subscriptions ORDER BY created_at, id")
                .query((rs, n) -> new Subscription(rs.getString(1), rs.getString(2), Arrays.asList(rs.getString(3).split(",")), rs.getBoolean(4),
                        rs.getString(5), rs.getObject(6, java.time.OffsetDateTime.class).toInstant()))
                .list();
    }

    public boolean unsubscribe(String id) {
        return jdbc.sql("UPDATE webhook_subscriptions SET enabled = FALSE WHERE id = ? AND enabled = TRUE").param(id).update() == 1;
    }

    /** Stores one delivery per enabled subscriber of {@code event} and schedules it. */
    public int publish(String event, Map<String, Object> data) {
        return publish(enabled(), event, () -> data);
    }

    /** The enabled subscriptions (id, comma-separated events): read once for several {@link #publish(List, String, Supplier)}. */
    public List<String[]> enabled() {
        return jdbc.sql("SELECT id, events FROM webhook_subscriptions WHERE enabled = TRUE")
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    }

    /** {@link #publish(String, Map)} to subscriptions read before; the body is built only when someone subscribed. */
    public int publish(List<String[]> subs, String event, Supplier<Map<String, Object>> payload) {
        List<String> created = new ArrayList<>();
        Instant now = clock.instant();
        Map<String, Object> data = null;
        for (String[] s : subs) {
            if (!Arrays.asList(s[1].split(",")).contains(event)) continue;
            if (data == null) data = payload.get();
            String id = "whd_" + UUID.randomUUID().toString().replace("-", "");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("event", event);
            body.put("created_at", now.toString());
            body.put("data", data);
            jdbc.sql("INSERT INTO webhook_deliveries (id, subscription_id, event, payload, status, attempts, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?)")
                    .params(id, s[0], event, Json.write(body), Timestamp.from(now)).update();
            created.add(id);
        }
        for (String id : created) jobs.scheduleDelivery(id, now);
        return created.size();
    }

    /** The job body: POSTs the stored payload, signed; throws to be retried. */
    public void deliver(String deliveryId) {
        Optional<String[]> d = jdbc.sql("SELECT d.event, d.payload, d.status, s.url, s.secret, s.enabled FROM webhook_deliveries d "
                        + "JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.id = ?").param(deliveryId)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        String.valueOf(rs.getBoolean(6))}).optional();
        // Published inside a transaction that has not committed yet: try again later (gives up after the retries).
        if (d.isEmpty()) throw new ActionExecutor.Retryable("delivery " + deliveryId + " is not stored (yet)");
        if (!"pending".equals(d.get()[2]) || !"true".equals(d.get()[5])) return;
        String[] x = d.get();
        jdbc.sql("UPDATE webhook_deliveries SET attempts = attempts + 1 WHERE id = ?").param(deliveryId).update();
        String ts = String.valueOf(clock.instant().getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Leak-Event", x[0]);
        headers.put("X-Leak-Delivery", deliveryId);
        headers.put("X-Leak-Timestamp", ts);
        headers.put("X-Leak-Signature", "v1=" + Hmac.sign(x[4], ts + "." + x[1]));
        try {
            http.send("POST", x[3], headers, x[1]);
        } catch (RuntimeException e) {
            jdbc.sql("UPDATE webhook_deliveries SET last_error = ? WHERE id = ?").params(ActionRepository.cut(e.getMessage()), deliveryId).update();
            throw e;
        }
        jdbc.sql("UPDATE webhook_deliveries SET status = 'delivered', delivered_at = ? WHERE id = ?")
                .params(Timestamp.from(clock.instant()), deliveryId).update();
    }

    public void gaveUp(String deliveryId, String error) {
        jdbc.sql("UPDATE webhook_deliveries SET status = 'failed', last_error = ? WHERE id = ? AND status = 'pending'")
                .params(ActionRepository.cut(error), deliveryId).update();
    }
}
