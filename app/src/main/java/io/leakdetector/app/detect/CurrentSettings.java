package io.leakdetector.app.detect;

import io.leakdetector.app.security.AuditLog;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.DetectorsConfig;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The server's view of the detector settings: changes are validated, stored and audited in one transaction, and the
 * engine built from them is what the real-time path runs from the next event on (the store detection reads the table
 * itself when it starts).
 */
@Component
public class CurrentSettings {
    private final DetectorSettings settings;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private volatile Current current;

    private record Current(DetectorsConfig config, DetectionEngine engine) {
        static Current of(DetectorsConfig config) {
            return new Current(config, DetectionEngine.of(config));
        }
    }

    public CurrentSettings(JdbcClient jdbc, TransactionTemplate tx, AuditLog audit) {
        this.settings = new DetectorSettings(jdbc);
        this.tx = tx;
        this.audit = audit;
    }

    /** The engine of the current settings (read from the store once, then kept until a change). */
    public DetectionEngine engine() {
        return now().engine();
    }

    /** The configuration {@link #engine()} was built from. */
    public DetectorsConfig config() {
        return now().config();
    }

    private Current now() {
        Current c = current;
        if (c == null) current = c = Current.of(settings.current());
        return c;
    }

    public List<DetectorSettings.Setting> list() {
        return settings.list();
    }

    /** Validates and stores {@code changes}; audited as one {@code settings.update} entry. Returns what changed. */
    public List<String> update(Map<String, String> changes) {
        List<String> changed = tx.execute(s -> {
            List<String> c = settings.update(changes, AuditLog.currentActor());
            if (!c.isEmpty()) audit.record("settings.update", "detector_settings", "detectors", String.join("; ", c));
            return c;
        });
        current = Current.of(settings.current());
        return changed;
    }
}
