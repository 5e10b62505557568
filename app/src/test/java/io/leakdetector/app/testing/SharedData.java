package io.leakdetector.app.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's shared real data ({@code ../shared/data} from the repository root) from any working dir. */
public final class SharedData {
    private SharedData() {}

    public static Path file(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared/data").resolve(relative);
            if (Files.isRegularFile(p)) return p;
            Path sibling = dir.resolveSibling("shared").resolve("data").resolve(relative);
            if (Files.isRegularFile(sibling)) return sibling;
        }
        throw new AssertionError("shared data file " + relative + " not found above " + Path.of("").toAbsolutePath()
                + " (expected ../shared/data from the repository root)");
    }
}
