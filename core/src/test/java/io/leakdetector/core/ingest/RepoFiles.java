package io.leakdetector.core.ingest;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: finds files of the repository (examples/, docs/) whether tests run from the root or from core/. */
final class RepoFiles {
    private RepoFiles() {}

    static Path path(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve(relative))) return dir.resolve(relative);
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
