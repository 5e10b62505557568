package io.leakdetector.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The Flyway migrations on the classpath: each branch adds its own numbers, so tests count them instead of hard-coding. */
public final class Migrations {
    private Migrations() {}

    /** Their versions, in order ("1", "2", …, "30"). */
    public static List<String> versions() {
        try {
            var resources = new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/V*__*.sql");
            return Arrays.stream(resources).map(r -> r.getFilename().substring(1, r.getFilename().indexOf("__")))
                    .sorted(Comparator.comparingInt(Integer::parseInt)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
