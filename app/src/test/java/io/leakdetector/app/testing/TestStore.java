package io.leakdetector.app.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which store the full-server tests run on: H2 in memory by default, PostgreSQL when the system property
 * {@code leak.test.store=postgres} is set (the {@code postgres-server-tests} Surefire execution does). PostgreSQL is
 * found at {@code LEAK_TEST_PG_URL} (default jdbc:postgresql://127.0.0.1:5432/test, user postgres); each test JVM
 * gets a fresh schema. Unreachable: the tests are skipped with the reason printed, or fail when {@code CI=true}.
 */
public final class TestStore implements ExecutionCondition {
    public static final String H2_URL = "jdbc:h2:mem:server-tests;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    private static String unreachable;
    private static boolean prepared;

    public static boolean postgres() {
        return "postgres".equalsIgnoreCase(System.getProperty("leak.test.store", "h2"));
    }

    @Override
    public synchronized ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!prepared) prepare();
        if (unreachable == null) return ConditionEvaluationResult.enabled("store ready");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true and PostgreSQL is unreachable: " + unreachable);
        }
        System.out.println("SKIPPED " + context.getDisplayName() + " on PostgreSQL: " + unreachable);
        return ConditionEvaluationResult.disabled("PostgreSQL unreachable: " + unreachable);
    }

    private static void prepare() {
        prepared = true;
        if (!postgres()) {
            System.setProperty("leak.test.db.url", H2_URL);
            return;
        }
        String schemaUrl;
        try {
            schemaUrl = newPostgresSchema("svc_");
        } catch (SQLException e) {
            unreachable = pgUrl() + " as " + pgUser() + ": " + e.getMessage();
            return;
        }
        System.setProperty("leak.test.db.url", schemaUrl);
        System.setProperty("leak.test.db.user", pgUser());
        System.setProperty("leak.test.db.password", pgPassword());
        System.out.println("Full-server tests on PostgreSQL " + schemaUrl);
    }

    public static String pgUrl() {
        return env("LEAK_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    public static String pgUser() {
        return env("LEAK_TEST_PG_USER", "postgres");
    }

    public static String pgPassword() {
        return env("LEAK_TEST_PG_PASSWORD", "");
    }

    /** A new schema on the test PostgreSQL, dropped when the JVM exits; the JDBC URL that selects it. */
    public static String newPostgresSchema(String prefix) throws SQLException {
        String url = pgUrl();
        String user = pgUser();
        String password = pgPassword();
        String schema = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException ignored) {
                // a leftover test schema is harmless
            }
        }));
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
