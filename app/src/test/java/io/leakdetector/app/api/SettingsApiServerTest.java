package io.leakdetector.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.detect.CurrentSettings;
import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.util.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The detector settings API: admin only, validated with the setting named, stored, audited, and live for real time. */
@ServerTest
class SettingsApiServerTest {
    static final String ADMIN = Http.basic("admin", ServerTest.ADMIN_PASSWORD);
    static final String PATH = "/api/v1/settings/detectors";
    static final String KEY = "expiringPaymentMethod.horizonDays";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CurrentSettings current;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> setting(String body, String key) {
        return ((List<Map<String, Object>>) Json.parse(body)).stream().filter(s -> key.equals(s.get("key"))).findFirst().orElseThrow();
    }

    @Test
    void onlyAnAdminReadsOrChangesTheSettings() {
        Http http = new Http(port);
        assertThat(http.get(PATH, null).status()).isEqualTo(401);
        assertThat(http.send("PATCH", PATH, null, "application/json", "{\"" + KEY + "\": 45}").status()).isEqualTo(401);
        String user = "settings-analyst-" + System.nanoTime();
        assertThat(http.post("/api/v1/admin/users", ADMIN, "{\"username\":\"" + user + "\",\"password\":\"long-enough-pw\",\"role\":\"analyst\"}")
                .status()).isEqualTo(201);
        String analyst = Http.basic(user, "long-enough-pw");
        Http.Response forbidden = http.get(PATH, analyst);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.contentType()).startsWith("application/problem+json");
        assertThat(http.send("PATCH", PATH, analyst, "application/json", "{\"" + KEY + "\": 45}").status()).isEqualTo(403);
        assertThat(http.get("/settings", analyst).status()).isIn(302, 403);
        assertThat(setting(http.get(PATH, ADMIN).body(), KEY)).containsEntry("value", "366").containsEntry("default_value", "366");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aChangeIsValidatedStoredAuditedAndUsedByTheNextRun() {
        Http http = new Http(port);
        try {
            Http.Response bad = http.send("PATCH", PATH, ADMIN, "application/json", "{\"" + KEY + "\": \"soon\", \"risk.margin\": 0.2}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.contentType()).startsWith("application/problem+json");
            assertThat((Map<String, Object>) Json.parse(bad.body())).containsEntry("field", KEY);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM detector_settings").query(Long.class).single()).isZero();

            Http.Response ok = http.send("PATCH", PATH, ADMIN, "application/json", "{\"" + KEY + "\": 45}");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(setting(ok.body(), KEY)).containsEntry("value", "45").containsEntry("changed", true);
            assertThat(jdbc.sql("SELECT setting_value FROM detector_settings WHERE setting_key = ?").param(KEY).query(String.class).single())
                    .isEqualTo("45");
            assertThat(jdbc.sql("SELECT details FROM audit_log WHERE action = 'settings.update' AND actor = 'admin' ORDER BY id DESC "
                    + "FETCH FIRST 1 ROWS ONLY").query(String.class).single()).isEqualTo(KEY + ": 366 → 45");
            // the real-time path's engine is rebuilt from the stored settings
            assertThat(current.config().expiringPaymentMethod().horizonDays()).isEqualTo(45);
        } finally {
            http.send("PATCH", PATH, ADMIN, "application/json", "{\"" + KEY + "\": 366}");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM detector_settings").query(Long.class).single()).isZero();
    }
}
