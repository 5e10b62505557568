package io.leakdetector.core.finding;

import java.util.Locale;

/** How sure a finding is, in words: high, medium, low. */
public enum Confidence {
    HIGH, MEDIUM, LOW;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Confidence parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    /** The usual mapping from a 0–1 score. */
    public static Confidence ofScore(double score) {
        return score >= 0.85 ? HIGH : score >= 0.6 ? MEDIUM : LOW;
    }
}
