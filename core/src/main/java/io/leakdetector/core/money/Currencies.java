package io.leakdetector.core.money;

import java.util.Currency;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/** ISO-4217 look-ups with a cache, and the minor-unit exponent of each currency. */
public final class Currencies {
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final ConcurrentHashMap<String, Currency> CACHE = new ConcurrentHashMap<>();

    private Currencies() {}

    /**
     * The currency for an ISO-4217 code, any case ("usd" as Stripe writes it).
     *
     * @throws IllegalArgumentException "unknown currency 'XYZ'" for codes ISO-4217 does not define
     */
    public static Currency of(String code) {
        if (code == null || code.isBlank()) throw new IllegalArgumentException("currency is required");
        Currency c = CACHE.get(code);
        if (c != null) return c;
        String upper = code.trim().toUpperCase(Locale.ROOT);
        try {
            c = Currency.getInstance(upper);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown currency '" + code + "'");
        }
        if (c.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("currency '" + code + "' has no minor unit (not a money currency)");
        }
        CACHE.put(code, c);
        return c;
    }

    public static int exponent(Currency currency) {
        int d = currency.getDefaultFractionDigits();
        return d < 0 ? 0 : d;
    }

    static long pow10(int exponent) {
        return POW10[exponent];
    }
}
