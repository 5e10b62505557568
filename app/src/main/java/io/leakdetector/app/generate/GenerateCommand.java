package io.leakdetector.app.generate;

import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code leak-detector generate}: writes a synthetic billing world with known leaks and its truth.csv (no Spring). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes a synthetic SaaS billing data directory with injected leaks and truth.csv (docs/generator.md).")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "directory to write (created if absent; files are overwritten)")
    Path out;

    @Option(names = "--customers", defaultValue = "1000", description = "number of customers (default ${DEFAULT-VALUE})")
    int customers;

    @Option(names = "--months", defaultValue = "24", description = "months of history, 3–240 (default ${DEFAULT-VALUE})")
    int months;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; same seed, same bytes (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--leak-rate", defaultValue = "0.06",
            description = "share of customers with an injected leak scenario, 0–1 (default ${DEFAULT-VALUE})")
    double leakRate;

    @Option(names = "--start", defaultValue = "2024-01", description = "first month, YYYY-MM (default ${DEFAULT-VALUE})")
    String start;

    @Override
    public Integer call() {
        YearMonth first;
        try {
            first = YearMonth.parse(start);
        } catch (DateTimeParseException e) {
            System.err.println("error: --start must be YYYY-MM (was '" + start + "')");
            return 2;
        }
        GeneratorConfig cfg;
        try {
            cfg = new GeneratorConfig(customers, months, seed, leakRate, first);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        long t0 = System.nanoTime();
        Generator.Summary s = Generator.generate(cfg, out);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("wrote %s in %.1f s (as-of %s)%n", out, secs, s.asOf());
        s.rows().forEach((k, v) -> System.out.printf("  %-26s %,12d rows%n", k.fileName(), v));
        System.out.printf("  %-26s %,12d rows%n", "truth.csv", s.truthRows());
        s.truthByCategory().forEach((k, v) -> System.out.printf("    %-26s %,8d%n", k, v));
        System.out.println("  truth rows by field-study group:");
        s.truthByGroup().forEach((k, v) -> System.out.printf("    %-26s %,8d  %5.1f %%%n", k, v, 100.0 * v / Math.max(1, s.truthRows())));
        return 0;
    }
}
