package io.leakdetector.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service skeleton answers on a real port: health and the Prometheus scrape, with the store migrated by Flyway.
 * Each subclass is a {@code @SpringBootTest} on a random port against one database.
 */
abstract class ServeContract {
    /** The bootstrap admin's password in these tests: every actuator endpoint but health needs a login. */
    static final String ADMIN_PASSWORD = "serve-test-admin-pw";

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes());
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Basic " + basic).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void prometheusNeedsALogin() throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> r = get("/actuator/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void prometheusScrapeHasJvmAndConnectionPoolMetrics() throws Exception {
        get("/actuator/health"); // so that HTTP server metrics exist too
        HttpResponse<String> r = get("/actuator/prometheus");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections").contains("application=\"leak-detector\"");
    }

    @Test
    void otherActuatorEndpointsAreNotExposed() throws Exception {
        assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
    }

    @Test
    void flywayMigratedTheStoreAtStartUp() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForList("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank",
                String.class)).containsExactlyElementsOf(io.leakdetector.app.store.TestMigrations.versions());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM findings", Long.class)).isZero();
    }
}
