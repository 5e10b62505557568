package io.leakdetector.core.finding;

import java.util.List;

/**
 * One fact a finding relies on: what was expected, what was observed, and the source rows that show it
 * ({@code file:line} for CSV input, record or event ids otherwise).
 */
public record Evidence(String fact, String expected, String observed, List<String> sources) {
    public Evidence {
        if (fact == null || fact.isBlank()) throw new IllegalArgumentException("evidence fact is required");
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
