package io.leakdetector.app.security;

import java.util.Locale;

/** What a user or API key may do: viewers read, analysts act on findings and send data, admins manage everything. */
public enum Role {
    VIEWER, ANALYST, ADMIN;

    /** The Spring Security authority, e.g. {@code ROLE_ANALYST}. */
    public String authority() {
        return "ROLE_" + name();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses viewer / analyst / admin (any case); throws naming the allowed values otherwise. */
    public static Role parse(String text) {
        if (text != null) {
            for (Role r : values()) {
                if (r.name().equalsIgnoreCase(text.strip())) return r;
            }
        }
        throw new IllegalArgumentException("role must be one of viewer, analyst, admin (was '" + text + "')");
    }
}
