package io.leakdetector.app.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The versions of the migrations on the classpath (db/migration/V&lt;n&gt;__*.sql), in order: what a migrated store must show. */
public final class TestMigrations {
    private TestMigrations() {}

    public static List<String> versions() {
        try {
            List<String> out = new ArrayList<>();
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*__*.sql")) {
                String name = r.getFilename();
                out.add(name.substring(1, name.indexOf("__")));
            }
            out.sort(Comparator.comparing(java.math.BigDecimal::new));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
