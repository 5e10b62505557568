package io.leakdetector.app.security;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** Writes the audit trail: every change made through the service, with who made it and when. */
@Component
public class AuditLog {
    private static final int MAX_DETAILS = 4000;
    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a change by the current principal (or {@code system} outside a request). */
    public void record(String action, String entityType, String entityId, String details) {
        recordAs(currentActor(), action, entityType, entityId, details);
    }

    public void recordAs(String actor, String action, String entityType, String entityId, String details) {
        String d = details != null && details.length() > MAX_DETAILS ? details.substring(0, MAX_DETAILS) : details;
        jdbc.sql("INSERT INTO audit_log (at, actor, action, entity_type, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)")
                .params(Timestamp.from(Instant.now()), actor, action, entityType, entityId, d)
                .update();
    }

    /** The name of whoever is calling: a user name, {@code apikey:<name>}, or {@code system}. */
    public static String currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null || !auth.isAuthenticated() ? "system" : auth.getName();
    }
}
