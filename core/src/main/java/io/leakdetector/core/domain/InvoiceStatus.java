package io.leakdetector.core.domain;

import java.util.Locale;

/** Invoice state, with Stripe's names. */
public enum InvoiceStatus {
    DRAFT, OPEN, PAID, VOID, UNCOLLECTIBLE;

    public static InvoiceStatus parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown invoice status '" + text + "' (draft, open, paid, void, uncollectible)");
        }
    }
}
