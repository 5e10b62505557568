package io.leakdetector.app.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * An isolated, empty database for one test: an H2 file database in a temporary directory, or a fresh schema on
 * the PostgreSQL server at {@code LEAK_TEST_PG_URL} (default jdbc:postgresql://127.0.0.1:5432/test, user
 * {@code LEAK_TEST_PG_USER} or postgres, password {@code LEAK_TEST_PG_PASSWORD} or none) that is dropped on close.
 * When no PostgreSQL answers, PostgreSQL tests are skipped with the reason printed, except under {@code CI=true},
 * where that is a failure.
 */
public interface TestDatabase extends AutoCloseable {

    /** How to reach this database from {@link Store#open} in the test JVM. */
    StoreSettings settings();

    /** Environment variables and arguments that point a child {@code leak-detector} process at this database. */
    Map<String, String> childEnvironment();

    List<String> childArguments();

    /**
     * A child JVM that runs {@code leak-detector <args>} (the test class path's {@code Main}, a 512 MB heap) on this
     * database; the caller sets where its output goes and starts it.
     */
    default ProcessBuilder cli(String... args) {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.leakdetector.app.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(childArguments());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(childEnvironment());
        return pb;
    }

    String name();

    @Override
    void close();

    static TestDatabase h2(Path dir) {
        StoreSettings settings = StoreSettings.h2(dir);
        return new TestDatabase() {
            public StoreSettings settings() { return settings; }
            public Map<String, String> childEnvironment() {
                Map<String, String> env = new HashMap<>();
                env.put("LEAK_DB_URL", "");
                return env;
            }
            public List<String> childArguments() { return List.of("--data", dir.toString()); }
            public String name() { return "H2"; }
            public void close() {}
        };
    }

    /** A new schema on the test PostgreSQL server; skips (or fails under CI=true) when none answers. */
    static TestDatabase postgres() {
        String base = env("LEAK_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = env("LEAK_TEST_PG_USER", "postgres");
        String password = env("LEAK_TEST_PG_PASSWORD", "");
        requireServer(base, user, password);
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(base, user, password, "CREATE SCHEMA " + schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        StoreSettings settings = new StoreSettings(url, user, password);
        return new TestDatabase() {
            public StoreSettings settings() { return settings; }
            public Map<String, String> childEnvironment() {
                Map<String, String> env = new HashMap<>();
                env.put("LEAK_DB_URL", url);
                env.put("LEAK_DB_USER", user);
                env.put("LEAK_DB_PASSWORD", password);
                return env;
            }
            public List<String> childArguments() { return new ArrayList<>(); }
            public String name() { return "PostgreSQL"; }
            public void close() { execute(base, user, password, "DROP SCHEMA IF EXISTS " + schema + " CASCADE"); }
        };
    }

    private static void requireServer(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.isValid(5);
        } catch (SQLException e) {
            String reason = "no PostgreSQL answers at " + url + " as " + user + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true requires PostgreSQL: " + reason);
            }
            System.err.println("SKIPPED PostgreSQL storage test: " + reason + "; set LEAK_TEST_PG_URL to run it");
            Assumptions.abort("PostgreSQL tests skipped: " + reason);
        }
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
