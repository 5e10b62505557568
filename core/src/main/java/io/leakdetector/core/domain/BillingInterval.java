package io.leakdetector.core.domain;

import java.util.Locale;

/** How often a price recurs. */
public enum BillingInterval {
    MONTH(1), YEAR(12);

    private final int months;

    BillingInterval(int months) {
        this.months = months;
    }

    /** Months per interval, used to turn a price into monthly recurring revenue. */
    public int months() {
        return months;
    }

    public static BillingInterval parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "month", "monthly", "m" -> MONTH;
            case "year", "yearly", "annual", "annually", "y" -> YEAR;
            default -> throw new IllegalArgumentException("unknown interval '" + text + "' (month or year)");
        };
    }
}
