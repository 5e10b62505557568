package io.leakdetector.app.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** Writes the audit trail: every change made through the service, with who made it and when. */
@Component
public class AuditLog {
    private static final int MAX_DETAILS = 4000;
    private static final int ROWS = 32;
    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a change by the current principal (or {@code system} outside a request). */
    public void record(String action, String entityType, String entityId, String details) {
        recordAs(currentActor(), action, entityType, entityId, details);
    }

    public void recordAs(String actor, String action, String entityType, String entityId, String details) {
        recordAllAs(actor, List.of(new Entry(action, entityType, entityId, details)));
    }

    /** One audit row to write with {@link #recordAllAs}. */
    public record Entry(String action, String entityType, String entityId, String details) {}

    /** Records several changes by one actor with one multi-row INSERT per few dozen rows, in the given order. */
    public void recordAllAs(String actor, List<Entry> entries) {
        Timestamp now = Timestamp.from(Instant.now());
        for (int from = 0; from < entries.size(); from += ROWS) {
            List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + ROWS));
            List<Object> args = new ArrayList<>(chunk.size() * 6);
            for (Entry e : chunk) {
                String d = e.details() != null && e.details().length() > MAX_DETAILS ? e.details().substring(0, MAX_DETAILS) : e.details();
                args.addAll(Arrays.asList(now, actor, e.action(), e.entityType(), e.entityId(), d));
            }
            jdbc.sql("INSERT INTO audit_log (at, actor, action, entity_type, entity_id, details) VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?, ?)"))).params(args).update();
        }
    }

    /** The name of whoever is calling: a user name, {@code apikey:<name>}, or {@code system}. */
    public static String currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null || !auth.isAuthenticated() ? "system" : auth.getName();
    }
}
