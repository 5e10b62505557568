package io.leakdetector.core.domain;

import java.util.Locale;

/** Outcome of one payment attempt. */
public enum PaymentStatus {
    SUCCEEDED, FAILED, PENDING;

    public static PaymentStatus parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "succeeded", "success", "paid", "captured" -> SUCCEEDED;
            case "failed", "declined", "failure" -> FAILED;
            case "pending", "processing", "requires_action" -> PENDING;
            default -> throw new IllegalArgumentException("unknown payment status '" + text + "' (succeeded, failed, pending)");
        };
    }
}
