package io.leakdetector.core.domain;

import java.util.Locale;

/** How a price turns into an invoice amount. */
public enum PricingScheme {
    /** One amount per period whatever the quantity. */
    FLAT,
    /** unit amount × quantity (seats). */
    PER_SEAT,
    /** a base amount with included units, then an overage price per unit above them. */
    USAGE;

    public static PricingScheme parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "flat", "fixed" -> FLAT;
            case "per_seat", "seat", "per_unit", "licensed" -> PER_SEAT;
            case "usage", "metered", "tiered" -> USAGE;
            default -> throw new IllegalArgumentException("unknown pricing scheme '" + text + "' (flat, per_seat or usage)");
        };
    }
}
