package io.leakdetector.core.finding;

import java.util.Locale;

/** Where a finding is in its life: open → acknowledged → in remediation → recovered | dismissed. */
public enum FindingStatus {
    OPEN, ACKNOWLEDGED, IN_REMEDIATION, RECOVERED, DISMISSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FindingStatus parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace(' ', '_'));
    }
}
