package io.leakdetector.app.remediation;

import java.util.Locale;

/** Where an action is: waiting for an analyst, scheduled (a durable job exists), running (retries pending), or done. */
public enum ActionStatus {
    PENDING_APPROVAL, SCHEDULED, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == SKIPPED;
    }

    public static ActionStatus parse(String text) {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
    }
}
