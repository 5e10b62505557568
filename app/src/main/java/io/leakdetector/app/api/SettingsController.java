package io.leakdetector.app.api;

import io.leakdetector.app.detect.CurrentSettings;
import io.leakdetector.app.detect.DetectorSettings;
import io.leakdetector.app.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Detector thresholds and risk-score weights (role admin): read, and change with validation and audit. */
@RestController
@RequestMapping("/api/v1/settings")
@Tag(name = "settings", description = "detector thresholds and risk weights (role admin)")
public class SettingsController {
    private final CurrentSettings settings;

    SettingsController(CurrentSettings settings) {
        this.settings = settings;
    }

    @GetMapping("/detectors")
    @Operation(summary = "Every detector setting with its current value and default")
    public List<Map<String, Object>> detectors() {
        return json(settings.list());
    }

    @PatchMapping("/detectors")
    @Operation(summary = "Change settings: {\"failedPayment.graceDays\": 10, \"risk.margin\": 0.2}; the next detection run uses them")
    public List<Map<String, Object>> change(@RequestBody Map<String, Object> body) {
        if (body == null || body.isEmpty()) throw ApiException.badField("settings", "give at least one setting to change");
        Map<String, String> changes = new LinkedHashMap<>();
        body.forEach((k, v) -> changes.put(k, v == null ? null : String.valueOf(v)));
        apply(settings, changes);
        return json(settings.list());
    }

    private static List<Map<String, Object>> json(List<DetectorSettings.Setting> list) {
        return list.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", s.key());
            m.put("detector", s.detector());
            m.put("name", s.name());
            m.put("type", s.type());
            m.put("value", s.value());
            m.put("default_value", s.defaultValue());
            m.put("changed", s.changed());
            return m;
        }).toList();
    }

    /** Applies changes; a bad value becomes a 400 naming its setting. Shared with the settings page. */
    public static List<String> apply(CurrentSettings settings, Map<String, String> changes) {
        try {
            return settings.update(changes);
        } catch (DetectorSettings.InvalidSetting e) {
            throw ApiException.badField(e.key(), e.getMessage());
        }
    }
}
