package io.leakdetector.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {
    @Test
    void postgresWhenLeakDbUrlIsSet() {
        StoreSettings s = StoreSettings.resolve(Path.of("/ignored"), Map.of("LEAK_DB_URL", "jdbc:postgresql://db:5432/leaks",
                "LEAK_DB_USER", "leak", "LEAK_DB_PASSWORD", "secret", "LEAK_DATA_DIR", "/also-ignored"));
        assertThat(s.postgres()).isTrue();
        assertThat(s.url()).isEqualTo("jdbc:postgresql://db:5432/leaks");
        assertThat(s.user()).isEqualTo("leak");
        assertThat(s.password()).isEqualTo("secret");
    }

    @Test
    void dataOptionWinsOverLeakDataDirWhichWinsOverDotData() {
        assertThat(StoreSettings.resolve(Path.of("/opt/a"), Map.of("LEAK_DATA_DIR", "/opt/b")).url())
                .startsWith("jdbc:h2:file:/opt/a/leak-detector;MODE=PostgreSQL");
        assertThat(StoreSettings.resolve(null, Map.of("LEAK_DATA_DIR", "/opt/b")).url()).startsWith("jdbc:h2:file:/opt/b/leak-detector;");
        assertThat(StoreSettings.resolve(null, Map.of()).url())
                .startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath() + "/leak-detector;");
        assertThat(StoreSettings.resolve(null, Map.of("LEAK_DB_URL", " ")).postgres()).isFalse();
    }

    @Test
    void anUnsupportedUrlIsRefusedNamingIt() {
        assertThatThrownBy(() -> StoreSettings.resolve(null, Map.of("LEAK_DB_URL", "jdbc:mysql://x/y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql://x/y");
    }

    @Test
    void describeHidesThePassword() {
        assertThat(new StoreSettings("jdbc:postgresql://h/db?user=u&password=p", "", "").describe()).doesNotContain("=p")
                .contains("password=***");
    }
}
