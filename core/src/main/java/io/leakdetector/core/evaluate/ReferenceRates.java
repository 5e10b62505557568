package io.leakdetector.core.evaluate;

import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The fixed table evaluation uses to put amounts of several currencies on one scale: US dollars per unit of each
 * currency (mid-market rates of late 2025, rounded). Fixed on purpose: a score must not move because exchange
 * rates did. Only ratios of sums are reported, so the table's exact values matter little.
 */
public final class ReferenceRates {
    static final Map<String, BigDecimal> USD_PER_UNIT = Map.ofEntries(
            Map.entry("USD", new BigDecimal("1")),
            Map.entry("EUR", new BigDecimal("1.08")),
            Map.entry("GBP", new BigDecimal("1.27")),
            Map.entry("JPY", new BigDecimal("0.0067")),
            Map.entry("KWD", new BigDecimal("3.25")),
            Map.entry("BHD", new BigDecimal("2.65")),
            Map.entry("OMR", new BigDecimal("2.60")),
            Map.entry("JOD", new BigDecimal("1.41")),
            Map.entry("TND", new BigDecimal("0.32")),
            Map.entry("CAD", new BigDecimal("0.74")),
            Map.entry("AUD", new BigDecimal("0.66")),
            Map.entry("NZD", new BigDecimal("0.60")),
            Map.entry("CHF", new BigDecimal("1.13")),
            Map.entry("SEK", new BigDecimal("0.095")),
            Map.entry("NOK", new BigDecimal("0.093")),
            Map.entry("DKK", new BigDecimal("0.145")),
            Map.entry("PLN", new BigDecimal("0.25")),
            Map.entry("INR", new BigDecimal("0.012")),
            Map.entry("CNY", new BigDecimal("0.14")),
            Map.entry("HKD", new BigDecimal("0.128")),
            Map.entry("SGD", new BigDecimal("0.74")),
            Map.entry("KRW", new BigDecimal("0.00073")),
            Map.entry("BRL", new BigDecimal("0.18")),
            Map.entry("MXN", new BigDecimal("0.055")),
            Map.entry("ZAR", new BigDecimal("0.055")));

    private ReferenceRates() {}

    public static boolean covers(String currencyCode) {
        return USD_PER_UNIT.containsKey(currencyCode);
    }

    /**
     * The amount in US dollars.
     *
     * @throws IllegalArgumentException for a currency the table does not hold
     */
    public static BigDecimal toUsd(Money m) {
        BigDecimal rate = USD_PER_UNIT.get(m.currencyCode());
        if (rate == null) throw new IllegalArgumentException("no reference rate for " + m.currencyCode());
        return m.toBigDecimal().multiply(rate);
    }
}
