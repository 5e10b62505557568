package io.leakdetector.core.generate;

import io.leakdetector.core.domain.BillingInterval;
import io.leakdetector.core.domain.PricingScheme;
import io.leakdetector.core.money.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed parts of the synthetic company: countries (currency, region, tax rate), products and the price book
 * with its list-price increases. Everything here is a pure function of the configuration, never of the seed, so
 * the price book is the same for every seed of a given start and length.
 */
final class Catalog {

    /** A billing country: currency, sales region, VAT/GST in basis points, and its share of customers. */
    record Country(String code, String currency, String region, int taxBp, int weight) {
        int exponent() {
            return Currencies.exponent(Currencies.of(currency));
        }
    }

    static final List<Country> COUNTRIES = List.of(
            new Country("US", "USD", "NA", 0, 34),
            new Country("CA", "CAD", "NA", 500, 4),
            new Country("GB", "GBP", "EMEA", 2000, 12),
            new Country("DE", "EUR", "EMEA", 1900, 12),
            new Country("FR", "EUR", "EMEA", 2000, 7),
            new Country("NL", "EUR", "EMEA", 2100, 5),
            new Country("KW", "KWD", "EMEA", 0, 4),
            new Country("JP", "JPY", "APAC", 1000, 10),
            new Country("AU", "AUD", "APAC", 1000, 8));

    static final List<String> CURRENCIES = List.of("USD", "CAD", "GBP", "EUR", "KWD", "JPY", "AUD");

    /** Product lines; the plan of a subscription is a product with an interval. */
    enum Product {
        STARTER("prod_starter", "Starter", PricingScheme.FLAT, new long[] {2900, 3500}),
        TEAM("prod_team", "Team", PricingScheme.PER_SEAT, new long[] {1200, 1400}),
        BUSINESS("prod_business", "Business", PricingScheme.PER_SEAT, new long[] {2500, 2900, 3200}),
        COMPUTE_BASIC("prod_compute", "Compute", PricingScheme.USAGE, new long[] {9900}),
        COMPUTE_SCALE("prod_compute", "Compute", PricingScheme.USAGE, new long[] {39900});

        final String productId;
        final String productName;
        final PricingScheme scheme;
        /** USD list amounts in cents of the monthly price, one per version; annual is 10 × monthly. */
        final long[] usdMonthly;

        Product(String productId, String productName, PricingScheme scheme, long[] usdMonthly) {
            this.productId = productId;
            this.productName = productName;
            this.scheme = scheme;
            this.usdMonthly = usdMonthly;
        }

        boolean usage() {
            return scheme == PricingScheme.USAGE;
        }

        boolean seats() {
            return scheme == PricingScheme.PER_SEAT;
        }

        String key() {
            return switch (this) {
                case COMPUTE_BASIC -> "compute_basic";
                case COMPUTE_SCALE -> "compute_scale";
                default -> name().toLowerCase(java.util.Locale.ROOT);
            };
        }

        long includedUnits() {
            return this == COMPUTE_BASIC ? 100 : this == COMPUTE_SCALE ? 600 : 0;
        }

        long usdOverageCents() {
            return this == COMPUTE_BASIC ? 40 : this == COMPUTE_SCALE ? 30 : 0;
        }
    }

    static final String USAGE_METRIC = "compute_hours";

    /** One version of one plan in one currency. Amounts are minor units of {@code currency}. */
    record PriceVersion(String id, String planId, Product product, BillingInterval interval, String currency,
                        int version, long unitMinor, long includedUnits, long overageMinor, long validFrom,
                        long validTo) {
        boolean validAt(long t) {
            return t >= validFrom && (validTo == 0 || t < validTo);
        }

        boolean retired() {
            return validTo != 0;
        }
    }

    private final long[] versionStarts; // epoch seconds of version 2, 3 (index 1, 2); version 1 starts long before
    final long historyStart;
    private final List<PriceVersion> all = new ArrayList<>();
    // look-ups only (never iterated), so hash order cannot reach the output
    private final java.util.Map<String, List<PriceVersion>> byPlan = new java.util.HashMap<>();

    Catalog(YearMonth start, int months) {
        this.historyStart = epoch(start.minusMonths(24));
        int v2 = Math.max(1, (int) Math.round(months * 0.35));
        int v3 = Math.max(v2 + 1, (int) Math.round(months * 0.7));
        this.versionStarts = new long[] {historyStart, epoch(start.plusMonths(v2)), epoch(start.plusMonths(v3))};
        for (Product p : Product.values()) {
            for (BillingInterval iv : BillingInterval.values()) {
                if (p.usage() && iv == BillingInterval.YEAR) continue;
                for (String cur : CURRENCIES) {
                    for (int v = 0; v < p.usdMonthly.length; v++) {
                        long usd = p.usdMonthly[v] * (iv == BillingInterval.YEAR ? 10 : 1);
                        long from = versionStarts[v];
                        long to = v + 1 < p.usdMonthly.length ? versionStarts[v + 1] : 0;
                        long overage = p.usage() ? localize(p.usdOverageCents(), cur, true) : 0;
                        PriceVersion pv = new PriceVersion(priceId(p, iv, cur, v + 1), planId(p, iv, cur), p, iv, cur, v + 1,
                                localize(usd, cur, false), p.includedUnits(), overage, from, to);
                        all.add(pv);
                        byPlan.computeIfAbsent(pv.planId(), k -> new ArrayList<>()).add(pv);
                    }
                }
            }
        }
    }

    static String planId(Product p, BillingInterval iv, String cur) {
        return p.key().replace('_', '-') + (iv == BillingInterval.YEAR ? "-annual-" : "-monthly-") + cur.toLowerCase(java.util.Locale.ROOT);
    }

    static String priceId(Product p, BillingInterval iv, String cur, int version) {
        return "price_" + p.key() + (iv == BillingInterval.YEAR ? "_y_" : "_m_") + cur.toLowerCase(java.util.Locale.ROOT) + "_v" + version;
    }

    List<PriceVersion> all() {
        return all;
    }

    /** The version of a plan on the price book at {@code t} (the current one when t is after every start). */
    PriceVersion versionAt(Product p, BillingInterval iv, String cur, long t) {
        PriceVersion found = null;
        for (PriceVersion v : byPlan.get(planId(p, iv, cur))) {
            if (v.validFrom <= t) found = v;
        }
        return found;
    }

    PriceVersion version(Product p, BillingInterval iv, String cur, int version) {
        for (PriceVersion v : all) {
            if (v.product == p && v.interval == iv && v.currency.equals(cur) && v.version == version) return v;
        }
        throw new IllegalArgumentException("no version " + version + " of " + p + " " + iv + " " + cur);
    }

    /** When list-price version {@code n} (2 or 3) takes effect. */
    long versionStart(int n) {
        return versionStarts[n - 1];
    }

    /**
     * A USD amount in the local currency, rounded to a price a company would publish: whole units for two-decimal
     * currencies, 100 yen, half a dinar; overage prices to the cent, 10 yen or 5 fils.
     */
    static long localize(long usdCents, String currency, boolean fine) {
        BigDecimal rate = switch (currency) {
            case "USD" -> BigDecimal.ONE;
            case "CAD" -> new BigDecimal("1.35");
            case "GBP" -> new BigDecimal("0.80");
            case "EUR" -> new BigDecimal("0.92");
            case "KWD" -> new BigDecimal("0.31");
            case "JPY" -> new BigDecimal("150");
            case "AUD" -> new BigDecimal("1.50");
            default -> throw new IllegalArgumentException(currency);
        };
        int exp = Currencies.exponent(Currencies.of(currency));
        BigDecimal minor = BigDecimal.valueOf(usdCents).movePointLeft(2).multiply(rate).movePointRight(exp);
        long step = switch (currency) {
            case "JPY" -> fine ? 10 : 100;
            case "KWD" -> fine ? 5 : 500;
            default -> fine ? 1 : 100;
        };
        long rounded = minor.divide(BigDecimal.valueOf(step), 0, RoundingMode.HALF_EVEN).longValueExact() * step;
        return Math.max(step, rounded);
    }

    static long epoch(YearMonth ym) {
        return ym.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    static long epoch(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }
}
