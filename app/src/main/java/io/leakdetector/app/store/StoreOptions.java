package io.leakdetector.app.store;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option shared by every command that opens the store. */
public final class StoreOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory of the embedded H2 database (default: $LEAK_DATA_DIR, else ./data). "
                    + "Ignored when LEAK_DB_URL names a PostgreSQL database.")
    Path data;

    public StoreSettings settings() {
        return StoreSettings.resolve(data, System.getenv());
    }
}
