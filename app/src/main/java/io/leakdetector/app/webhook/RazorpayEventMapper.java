package io.leakdetector.app.webhook;

import io.leakdetector.app.api.RecordInput;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a verified Razorpay event into records: {@code payment.captured} / {@code payment.failed} into payments,
 * {@code refund.processed} into refunds, {@code subscription.*} into subscriptions. Razorpay amounts are minor units
 * (paise), its times epoch seconds.
 */
final class RazorpayEventMapper {
    private RazorpayEventMapper() {}

    static WebhookReceiver.Mapped map(String type, Map<String, Object> event, String eventId) {
        String source = "razorpay:" + eventId;
        Map<String, Object> payload = obj(event.get("payload"));
        return switch (type) {
            case "payment.captured", "payment.failed" -> {
                Map<String, Object> p = entity(payload, "payment");
                if (p == null) yield WebhookReceiver.Mapped.ignored("payload.payment.entity is missing");
                yield new WebhookReceiver.Mapped(List.of(payment(p, source)), null);
            }
            case "refund.processed" -> {
                Map<String, Object> r = entity(payload, "refund");
                if (r == null) yield WebhookReceiver.Mapped.ignored("payload.refund.entity is missing");
                yield new WebhookReceiver.Mapped(List.of(refund(r, source)), null);
            }
            default -> {
                if (type.startsWith("subscription.")) {
                    Map<String, Object> s = entity(payload, "subscription");
                    if (s == null) yield WebhookReceiver.Mapped.ignored("payload.subscription.entity is missing");
                    yield new WebhookReceiver.Mapped(List.of(subscription(s, source)), null);
                }
                yield WebhookReceiver.Mapped.ignored("event type " + type + " is not modelled");
            }
        };
    }

    static RecordInput payment(Map<String, Object> p, String source) {
        String cur = upper(text(p.get("currency")));
        String status = switch (String.valueOf(p.get("status"))) {
            case "captured" -> "succeeded";
            case "failed" -> "failed";
            default -> "pending";
        };
        Map<String, String> f = new LinkedHashMap<>();
        f.put("payment_id", text(p.get("id")));
        f.put("invoice_id", text(p.get("invoice_id")));
        f.put("customer_id", text(p.get("customer_id")));
        f.put("attempted_at", time(p.get("created_at")));
        f.put("currency", cur);
        f.put("amount", money(p.get("amount"), cur));
        f.put("status", status);
        if (!"succeeded".equals(status)) {
            String reason = text(p.get("error_reason"));
            f.put("decline_code", reason != null ? reason : text(p.get("error_code")));
        }
        f.put("payment_method_id", text(p.get("token_id")));
        return new RecordInput(EntityKind.PAYMENTS, f, source);
    }

    static RecordInput refund(Map<String, Object> r, String source) {
        String cur = upper(text(r.get("currency")));
        Map<String, String> f = new LinkedHashMap<>();
        f.put("refund_id", text(r.get("id")));
        f.put("payment_id", text(r.get("payment_id")));
        f.put("created_at", time(r.get("created_at")));
        f.put("currency", cur);
        f.put("amount", money(r.get("amount"), cur));
        Map<String, Object> notes = obj(r.get("notes"));
        f.put("reason", notes == null ? null : text(notes.get("reason")));
        f.put("status", "processed".equals(r.get("status")) ? "succeeded" : text(r.get("status")));
        return new RecordInput(EntityKind.REFUNDS, f, source);
    }

    static RecordInput subscription(Map<String, Object> s, String source) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("subscription_id", text(s.get("id")));
        f.put("customer_id", text(s.get("customer_id")));
        f.put("price_id", text(s.get("plan_id")));
        f.put("quantity", text(s.get("quantity")));
        f.put("status", subscriptionStatus(text(s.get("status"))));
        Object start = s.get("start_at") != null ? s.get("start_at") : s.get("created_at");
        f.put("started_at", time(start));
        f.put("canceled_at", time(s.get("ended_at")));
        return new RecordInput(EntityKind.SUBSCRIPTIONS, f, source);
    }

    /**
     * Razorpay's states onto this model's: created/authenticated have not been charged yet (trialing), pending is a
     * failed renewal being retried (past_due), halted gave up retrying (unpaid), completed/expired ended (canceled).
     */
    static String subscriptionStatus(String s) {
        if (s == null) return null;
        return switch (s) {
            case "created", "authenticated" -> "trialing";
            case "active" -> "active";
            case "pending" -> "past_due";
            case "halted" -> "unpaid";
            case "paused" -> "paused";
            case "cancelled", "completed", "expired" -> "canceled";
            default -> s;
        };
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static Map<String, Object> entity(Map<String, Object> payload, String name) {
        Map<String, Object> wrapper = payload == null ? null : obj(payload.get(name));
        return wrapper == null ? null : obj(wrapper.get("entity"));
    }

    private static String text(Object o) {
        if (o == null) return null;
        if (o instanceof BigDecimal b) return b.toPlainString();
        if (o instanceof Map || o instanceof List) return null;
        String s = o.toString();
        return s.isBlank() ? null : s;
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    private static String time(Object epochSeconds) {
        if (!(epochSeconds instanceof BigDecimal b)) return text(epochSeconds);
        try {
            return Instant.ofEpochSecond(b.longValueExact()).toString();
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return b.toPlainString(); // rejected by the schema, naming the field
        }
    }

    private static String money(Object minor, String currency) {
        if (!(minor instanceof BigDecimal b) || currency == null) return text(minor);
        try {
            return Money.ofMinor(b.longValueExact(), currency).toPlainString();
        } catch (RuntimeException e) {
            return b.toPlainString();
        }
    }
}
