package io.leakdetector.core.generate;

import io.leakdetector.core.domain.BillingInterval;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.generate.Catalog.PriceVersion;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Currencies;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a synthetic SaaS billing world with known leaks: every file of a data directory plus {@code truth.csv}
 * (docs/generator.md). Customers are simulated one at a time and streamed to disk, so memory stays flat whatever
 * the size; the same configuration writes the same bytes.
 */
public final class Generator {
    private Generator() {}

    /** What a run wrote: rows per file, truth rows per category, scenarios injected, and the as-of time. */
    public record Summary(Instant asOf, Map<EntityKind, Long> rows, long truthRows, Map<Category, Long> truthByCategory,
                          Map<String, Long> truthByGroup, Map<String, Long> scenarios) {}

    public static Summary generate(GeneratorConfig cfg, Path dir) {
        long from = Catalog.epoch(cfg.start().minusMonths(30)) / 86_400;
        long to = Catalog.epoch(cfg.start().plusMonths(cfg.months() + 14)) / 86_400;
        try (Out out = new Out(dir, from, to)) {
            World w = new World(cfg, out);
            writePrices(w);
            w.writeChangeEvents(new SplittableRandom(mix(cfg.seed(), -1)));
            SplittableRandom leakRng = new SplittableRandom(mix(cfg.seed(), -2));
            for (long i = 0; i < cfg.customers(); i++) {
                Scenario scen = leakRng.nextDouble() < cfg.leakRate() ? w.drawScenario(leakRng) : null;
                new CustomerSim(w, i, new SplittableRandom(mix(cfg.seed(), i)), scen).run();
            }
            Map<EntityKind, Long> rows = new EnumMap<>(EntityKind.class);
            for (EntityKind k : EntityKind.values()) rows.put(k, out.rows[k.ordinal()]);
            Map<String, Long> scen = new LinkedHashMap<>();
            w.scenarios.forEach((k, v) -> scen.put(k.name().toLowerCase(Locale.ROOT), v));
            Map<String, Long> groups = new LinkedHashMap<>();
            w.truthByBucket.forEach((k, v) -> groups.put(k.name().toLowerCase(Locale.ROOT), v));
            return new Summary(Instant.ofEpochSecond(w.asOf), rows, out.truthRows, new EnumMap<>(w.truthByCategory), groups, scen);
        }
    }

    private static void writePrices(World w) {
        for (PriceVersion v : w.catalog.all()) {
            int exp = Currencies.exponent(Currencies.of(v.currency()));
            Out o = w.out.begin().s(v.id()).s(v.planId()).s(v.product().productId).s(v.product().productName)
                    .s(v.interval() == BillingInterval.YEAR ? "year" : "month").s(v.product().scheme.name().toLowerCase(Locale.ROOT))
                    .s(v.currency()).m(v.unitMinor(), exp);
            if (v.product().usage()) o.i(v.includedUnits()).m(v.overageMinor(), exp).s(Catalog.USAGE_METRIC);
            else o.blank().blank().blank();
            o.t(v.validFrom());
            if (v.validTo() == 0) o.blank();
            else o.t(v.validTo());
            o.end(EntityKind.PRICES);
        }
    }

    /** SplitMix64 finaliser: independent, reproducible streams per customer from one seed. */
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
