package io.leakdetector.app.webhook;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code processed_event} table: which provider events were handled, and with which signature. */
@Component
class ProcessedEvents {
    private final JdbcClient jdbc;

    ProcessedEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The signature hash an event was first processed with, when it was. */
    Optional<String> signatureOf(String provider, String eventId) {
        return jdbc.sql("SELECT signature_hash FROM processed_event WHERE provider = ? AND event_id = ?")
                .params(provider, eventId).query(String.class).optional();
    }

    /** Marks an event processed; false when a concurrent delivery got there first (the caller rolls back). */
    boolean mark(String provider, String eventId, String type, String signatureHash, int records, String outcome) {
        try {
            jdbc.sql("INSERT INTO processed_event (provider, event_id, event_type, signature_hash, received_at, records, outcome)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(provider, eventId, type, signatureHash, Timestamp.from(Instant.now()), records,
                            outcome == null ? null : outcome.length() > 1000 ? outcome.substring(0, 1000) : outcome)
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }
}
