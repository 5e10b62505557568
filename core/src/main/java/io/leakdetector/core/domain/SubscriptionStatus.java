package io.leakdetector.core.domain;

import java.util.Locale;

/** Lifecycle state of a subscription, with Stripe's names accepted. */
public enum SubscriptionStatus {
    TRIALING, ACTIVE, PAST_DUE, PAUSED, CANCELED, UNPAID, INCOMPLETE;

    public static SubscriptionStatus parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "trialing", "trial" -> TRIALING;
            case "active" -> ACTIVE;
            case "past_due" -> PAST_DUE;
            case "paused" -> PAUSED;
            case "canceled", "cancelled", "incomplete_expired", "ended" -> CANCELED;
            case "unpaid" -> UNPAID;
            case "incomplete" -> INCOMPLETE;
            default -> throw new IllegalArgumentException("unknown subscription status '" + text + "'");
        };
    }
}
