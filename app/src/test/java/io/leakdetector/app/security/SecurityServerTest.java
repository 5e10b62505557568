package io.leakdetector.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.util.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The security rules over a real server and a real HTTP client: logins, API keys, roles, audit, error shapes. */
@ServerTest
class SecurityServerTest {
    static final String ADMIN = Http.basic("admin", "admin-secret-123");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        return (Map<String, Object>) Json.parse(body);
    }

    @Test
    void healthIsOpenAndApiNeedsCredentials() {
        Http http = new Http(port);
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
        Http.Response r = http.get("/api/v1/admin/users", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(json(r.body()).get("status").toString()).isEqualTo("401");
        assertThat(http.get("/api/v1/admin/users", Http.basic("admin", "wrong")).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/admin/users", Http.bearer("ldk_nope")).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/admin/users", ADMIN).status()).isEqualTo(200);
    }

    @Test
    void apiKeysAreShownOnceStoredHashedScopedToARoleAndRevocable() {
        Http http = new Http(port);
        Http.Response created = http.post("/api/v1/admin/api-keys", ADMIN, "{\"name\":\"ci\",\"role\":\"analyst\"}");
        assertThat(created.status()).isEqualTo(201);
        String key = (String) json(created.body()).get("key");
        String id = (String) json(created.body()).get("id");
        assertThat(key).startsWith("ldk_");
        assertThat(jdbc.sql("SELECT key_hash FROM api_key WHERE id = ?").param(id).query(String.class).single())
                .isEqualTo(ApiKeys.sha256(key)).doesNotContain(key);
        assertThat(http.get("/api/v1/admin/api-keys", ADMIN).body()).doesNotContain(key);

        Http.Response forbidden = http.get("/api/v1/admin/users", Http.bearer(key));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.contentType()).startsWith("application/problem+json");

        assertThat(http.send("DELETE", "/api/v1/admin/api-keys/" + id, ADMIN, null, null).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/admin/users", Http.bearer(key)).status()).isEqualTo(401);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action IN ('api_key.create', 'api_key.revoke') AND entity_id = ?")
                .param(id).query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT actor FROM audit_log WHERE action = 'api_key.create' AND entity_id = ?")
                .param(id).query(String.class).single()).isEqualTo("admin");
    }

    @Test
    void usersGetRolesAndBadInputNamesTheField() {
        Http http = new Http(port);
        Http.Response bad = http.post("/api/v1/admin/users", ADMIN, "{\"username\":\"vera\",\"password\":\"long-enough-pw\",\"role\":\"boss\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad.body())).containsEntry("field", "role");
        Http.Response malformed = http.post("/api/v1/admin/users", ADMIN, "{\"username\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");

        assertThat(http.post("/api/v1/admin/users", ADMIN,
                "{\"username\":\"vera\",\"password\":\"long-enough-pw\",\"role\":\"viewer\"}").status()).isEqualTo(201);
        String vera = Http.basic("vera", "long-enough-pw");
        assertThat(http.get("/api/v1/admin/users", vera).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/admin/users", ADMIN,
                "{\"username\":\"vera\",\"password\":\"long-enough-pw\",\"role\":\"viewer\"}").status()).isEqualTo(409);
    }

    @Test
    void oversizedBodiesAre413AndUnknownRoutes404() {
        Http http = new Http(port);
        Http.Response big = http.post("/api/v1/admin/users", ADMIN, "{\"username\":\"" + "x".repeat((int) ServerTest.MAX_JSON_BYTES + 10) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.contentType()).startsWith("application/problem+json");
        Http.Response firewalled = http.post("/api/v1/findings//status", ADMIN, "{}");
        assertThat(firewalled.status()).isEqualTo(400);
        assertThat(firewalled.contentType()).startsWith("application/problem+json");
        Http.Response missing = http.get("/api/v1/admin/nothing-here", ADMIN);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
    }

    @Test
    void bootstrapAdminIsCreatedOnceAndAudited() {
        assertThat(jdbc.sql("SELECT role FROM app_user WHERE username = 'admin'").query(String.class).single()).isEqualTo("ADMIN");
        assertThat(jdbc.sql("SELECT password_hash FROM app_user WHERE username = 'admin'").query(String.class).single())
                .startsWith("{bcrypt}").doesNotContain("admin-secret-123");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'user.create' AND entity_id = 'admin'")
                .query(Long.class).single()).isEqualTo(1);
    }
}
