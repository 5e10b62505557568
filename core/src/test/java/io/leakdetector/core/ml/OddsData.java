package io.leakdetector.core.ml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/** Finds the shared ODDS benchmark files (../shared/data/odds from a worktree) for tests. */
final class OddsData {
    private OddsData() {}

    static Optional<Path> directory() {
        String env = System.getenv("LEAK_DETECTOR_ODDS");
        if (env != null && Files.isDirectory(Paths.get(env))) return Optional.of(Paths.get(env));
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/odds");
            if (Files.isDirectory(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
