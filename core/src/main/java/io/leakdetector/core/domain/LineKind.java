package io.leakdetector.core.domain;

import java.util.Locale;

/** What an invoice line bills. */
public enum LineKind {
    SUBSCRIPTION, USAGE, ONE_OFF, PRORATION, DISCOUNT, CREDIT;

    public static LineKind parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (t) {
            case "subscription", "recurring" -> SUBSCRIPTION;
            case "usage", "overage", "metered" -> USAGE;
            case "one_off", "oneoff", "invoiceitem", "one_time" -> ONE_OFF;
            case "proration" -> PRORATION;
            case "discount" -> DISCOUNT;
            case "credit" -> CREDIT;
            default -> throw new IllegalArgumentException("unknown line kind '" + text
                    + "' (subscription, usage, one_off, proration, discount, credit)");
        };
    }
}
