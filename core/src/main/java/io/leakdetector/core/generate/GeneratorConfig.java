package io.leakdetector.core.generate;

import java.time.YearMonth;

/**
 * What world to generate: how many customers over how many months from which start month, the seed that makes
 * the output reproducible byte for byte, and the share of customers that get an injected leak.
 *
 * @param customers number of customers, 1 or more
 * @param months number of calendar months the world covers, 3 or more; the as-of time is the first instant of
 *     the month after the last one
 * @param seed random seed; the same configuration always writes the same bytes
 * @param leakRate probability that a customer carries one injected leak scenario, 0–1
 * @param start first month of the world (fixed by default, never "now")
 */
public record GeneratorConfig(int customers, int months, long seed, double leakRate, YearMonth start) {
    public static final YearMonth DEFAULT_START = YearMonth.of(2024, 1);
    public static final double DEFAULT_LEAK_RATE = 0.06;

    public GeneratorConfig {
        if (customers < 1) throw new IllegalArgumentException("--customers must be 1 or more (was " + customers + ")");
        if (months < 3 || months > 240) throw new IllegalArgumentException("--months must be 3–240 (was " + months + ")");
        if (!(leakRate >= 0 && leakRate <= 1)) throw new IllegalArgumentException("--leak-rate must be 0–1 (was " + leakRate + ")");
        if (start == null) start = DEFAULT_START;
    }

    public static GeneratorConfig of(int customers, int months, long seed) {
        return new GeneratorConfig(customers, months, seed, DEFAULT_LEAK_RATE, DEFAULT_START);
    }
}
