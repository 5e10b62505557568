package io.leakdetector.app.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the store lives: PostgreSQL when {@code LEAK_DB_URL} is set (with {@code LEAK_DB_USER} and
 * {@code LEAK_DB_PASSWORD}), otherwise an H2 file database in the data directory ({@code --data}, else
 * {@code LEAK_DATA_DIR}, else {@code ./data}).
 */
public record StoreSettings(String url, String user, String password) {

    /** File name (without H2's .mv.db suffix) of the embedded database inside the data directory. */
    static final String H2_FILE = "leak-detector";

    public StoreSettings {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("database URL is required");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("LEAK_DB_URL must be a jdbc:postgresql: URL (or jdbc:h2:), was " + url);
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** Resolves the settings from a {@code --data} option (may be null) and the environment. */
    public static StoreSettings resolve(Path dataOption, Map<String, String> env) {
        String url = env.get("LEAK_DB_URL");
        if (url != null && !url.isBlank()) {
            return new StoreSettings(url.strip(), env.get("LEAK_DB_USER"), env.get("LEAK_DB_PASSWORD"));
        }
        Path dir = dataOption != null ? dataOption
                : env.get("LEAK_DATA_DIR") != null && !env.get("LEAK_DATA_DIR").isBlank() ? Path.of(env.get("LEAK_DATA_DIR"))
                : Path.of("data");
        return h2(dir);
    }

    /**
     * The embedded H2 database in {@code dataDir}. PostgreSQL mode with lower-case names keeps one SQL dialect;
     * AUTO_SERVER lets an import run while {@code serve} holds the file; WRITE_DELAY=0 makes every commit durable
     * at once, so a killed import never loses a batch it reported. QUERY_CACHE_SIZE=64 keeps each connection's parsed
     * statements (H2's default of 8 is fewer than one customer's read or one real-time group commit runs, so every
     * statement was parsed again); PAGE_SIZE=4096 (16 KB by default) makes a B-tree page that a commit dirtied, and
     * that the commit writes out whole, a quarter of the size (BENCHMARKS.md, "Real time", session 5).
     */
    public static StoreSettings h2(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve(H2_FILE);
        return new StoreSettings("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                + ";DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE;WRITE_DELAY=0"
                + ";QUERY_CACHE_SIZE=64;PAGE_SIZE=4096", "sa", "");
    }

    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL without credentials, for messages. */
    public String describe() {
        return postgres() ? url.replaceAll("password=[^&]*", "password=***") : url.substring(0, url.indexOf(';') < 0 ? url.length() : url.indexOf(';'));
    }
}
