package io.leakdetector.core.finding;

import java.util.Locale;

/** Whether money is already lost (leak), may be lost (risk) or could be gained (opportunity). */
public enum Kind {
    LEAK, RISK, OPPORTUNITY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
