package io.leakdetector.app.detect;

import io.leakdetector.core.detect.DetectorsConfig;
import java.lang.reflect.RecordComponent;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The detectors' thresholds and the risk score's weights as stored: the documented defaults
 * ({@link DetectorsConfig#DEFAULTS}) with the values an admin changed (table {@code detector_settings}). Every leaf of
 * the configuration is one setting named {@code <detector>.<name>}: a detector's record component
 * ({@code failedPayment.graceDays}), a risk weight ({@code risk.margin}) or a top-level flag
 * ({@code detection.suppressExplainedGaps}). Values are validated here, each error naming its setting.
 */
public final class DetectorSettings {
    /** One setting: its current value, its default, and its kind (integer, decimal, true/false). */
    public record Setting(String key, String detector, String name, String type, String value, String defaultValue) {
        public boolean changed() {
            return !value.equals(defaultValue);
        }
    }

    /** A value that is not allowed, with the setting it was given for. */
    public static final class InvalidSetting extends IllegalArgumentException {
        private final String key;

        public InvalidSetting(String key, String message) {
            super(key + ": " + message);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private static final String TOP = "detection";
    private static final long MAX_WHOLE = 100_000;
    private static final double MAX_WEIGHT = 100;
    private final JdbcClient jdbc;

    public DetectorSettings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The configuration the next detection run uses. */
    public DetectorsConfig current() {
        return build(stored());
    }

    /** Every setting with its current and default value, in the configuration's order. */
    public List<Setting> list() {
        Map<String, String> now = stored();
        List<Setting> out = new ArrayList<>();
        for (Leaf l : leaves()) out.add(new Setting(l.key(), l.detector, l.name, l.type, now.getOrDefault(l.key(), l.def), l.def));
        return out;
    }

    /**
     * Validates {@code changes} (setting key → value) and stores them; a value equal to the default removes the
     * setting's row. Nothing is stored when any value is invalid. Returns the settings that changed, as
     * {@code key: old → new}; runs in the caller's transaction.
     */
    public List<String> update(Map<String, String> changes, String by) {
        Map<String, Leaf> leaves = new LinkedHashMap<>();
        for (Leaf l : leaves()) leaves.put(l.key(), l);
        Map<String, String> before = stored();
        Map<String, String> after = new LinkedHashMap<>(before);
        for (var e : changes.entrySet()) {
            Leaf l = leaves.get(e.getKey());
            if (l == null) throw new InvalidSetting(e.getKey(), "no such setting");
            String v = normalise(l, e.getValue());
            if (v.equals(l.def)) after.remove(l.key());
            else after.put(l.key(), v);
        }
        build(after); // the detectors' own checks, with every change applied
        List<String> changed = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        for (Leaf l : leaves.values()) {
            String was = before.getOrDefault(l.key(), l.def);
            String is = after.getOrDefault(l.key(), l.def);
            if (was.equals(is)) continue;
            changed.add(l.key() + ": " + was + " → " + is);
            jdbc.sql("DELETE FROM detector_settings WHERE setting_key = ?").param(l.key()).update();
            if (after.containsKey(l.key())) {
                jdbc.sql("INSERT INTO detector_settings (setting_key, setting_value, updated_by, updated_at) VALUES (?, ?, ?, ?)")
                        .params(l.key(), is, by, now).update();
            }
        }
        return changed;
    }

    private Map<String, String> stored() {
        Map<String, String> out = new LinkedHashMap<>();
        jdbc.sql("SELECT setting_key, setting_value FROM detector_settings").query((rs, n) -> out.put(rs.getString(1), rs.getString(2))).list();
        return out;
    }

    /** The value written canonically ({@code 014} → {@code 14}), or an error naming the setting. */
    static String normalise(Leaf l, String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) throw new InvalidSetting(l.key(), "a value is required");
        switch (l.type) {
            case "true/false" -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) throw new InvalidSetting(l.key(), "must be true or false");
                return v.toLowerCase(java.util.Locale.ROOT);
            }
            case "whole number" -> {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new InvalidSetting(l.key(), "must be a whole number, not \"" + v + "\"");
                }
                if (n < 0 || n > MAX_WHOLE) throw new InvalidSetting(l.key(), "must be between 0 and " + MAX_WHOLE);
                return Long.toString(n);
            }
            default -> {
                double d;
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new InvalidSetting(l.key(), "must be a number, not \"" + v + "\"");
                }
                double max = l.name.toLowerCase(java.util.Locale.ROOT).contains("share") ? 1 : MAX_WEIGHT;
                if (!(d >= 0 && d <= max)) throw new InvalidSetting(l.key(), "must be between 0 and " + (max == 1 ? "1" : "100"));
                return Double.toString(d);
            }
        }
    }

    /** One leaf of the configuration. */
    record Leaf(String detector, String name, String type, String def) {
        String key() {
            return detector + "." + name;
        }
    }

    static List<Leaf> leaves() {
        List<Leaf> out = new ArrayList<>();
        for (RecordComponent c : DetectorsConfig.class.getRecordComponents()) {
            Object v = get(c, DetectorsConfig.DEFAULTS);
            if (v != null && v.getClass().isRecord()) {
                for (RecordComponent inner : v.getClass().getRecordComponents()) {
                    Object iv = get(inner, v);
                    if (iv instanceof Map<?, ?> m) {
                        m.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> String.valueOf(a).compareTo(String.valueOf(b))))
                                .forEach(e -> out.add(new Leaf(c.getName(), String.valueOf(e.getKey()), "decimal", String.valueOf(e.getValue()))));
                    } else {
                        out.add(new Leaf(c.getName(), inner.getName(), type(inner.getType()), String.valueOf(iv)));
                    }
                }
            } else {
                out.add(new Leaf(TOP, c.getName(), type(c.getType()), String.valueOf(v)));
            }
        }
        return out;
    }

    private static String type(Class<?> t) {
        if (t == boolean.class || t == Boolean.class) return "true/false";
        if (t == int.class || t == long.class || t == Integer.class || t == Long.class) return "whole number";
        if (t == double.class || t == Double.class) return "decimal";
        throw new IllegalStateException("a detector setting of type " + t + " cannot be edited");
    }

    /** The defaults with {@code values} (key → canonical value) applied, built through the records' own constructors. */
    static DetectorsConfig build(Map<String, String> values) {
        RecordComponent[] top = DetectorsConfig.class.getRecordComponents();
        Object[] args = new Object[top.length];
        for (int i = 0; i < top.length; i++) {
            RecordComponent c = top[i];
            Object v = get(c, DetectorsConfig.DEFAULTS);
            if (v != null && v.getClass().isRecord()) {
                RecordComponent[] inner = v.getClass().getRecordComponents();
                Object[] innerArgs = new Object[inner.length];
                for (int j = 0; j < inner.length; j++) {
                    Object iv = get(inner[j], v);
                    if (iv instanceof Map<?, ?> m) {
                        Map<String, Double> copy = new LinkedHashMap<>();
                        for (var e : m.entrySet()) {
                            String s = values.get(c.getName() + "." + e.getKey());
                            copy.put(String.valueOf(e.getKey()), s == null ? (Double) e.getValue() : Double.valueOf(s));
                        }
                        innerArgs[j] = copy;
                    } else {
                        innerArgs[j] = value(inner[j].getType(), values.get(c.getName() + "." + inner[j].getName()), iv);
                    }
                }
                args[i] = construct(v.getClass(), innerArgs, c.getName());
            } else {
                args[i] = value(c.getType(), values.get(TOP + "." + c.getName()), v);
            }
        }
        return (DetectorsConfig) construct(DetectorsConfig.class, args, TOP);
    }

    private static Object value(Class<?> t, String s, Object def) {
        if (s == null) return def;
        if (t == boolean.class || t == Boolean.class) return Boolean.parseBoolean(s);
        if (t == int.class || t == Integer.class) return Integer.parseInt(s);
        if (t == long.class || t == Long.class) return Long.parseLong(s);
        return Double.parseDouble(s);
    }

    private static Object construct(Class<?> type, Object[] args, String detector) {
        RecordComponent[] cs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) types[i] = cs[i].getType();
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) throw new InvalidSetting(detector, bad.getMessage());
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object get(RecordComponent c, Object of) {
        try {
            return c.getAccessor().invoke(of);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
