package io.leakdetector.app.api;

import io.leakdetector.core.util.Json;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps every record received over HTTP in {@code inbound_record}, one row per kind and key, idempotent on content:
 * the same content again is {@code unchanged}, new content under the same key is {@code updated}.
 */
@Component
class JournalBillingWriter implements BillingWriter {
    private final JdbcClient jdbc;

    JournalBillingWriter(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<IngestResult.Item> write(String channel, List<ValidRecord> records) {
        List<IngestResult.Item> out = new ArrayList<>(records.size());
        Timestamp now = Timestamp.from(Instant.now());
        for (ValidRecord r : records) {
            String kind = r.kind().name();
            String key = r.parsed().key();
            Optional<Long> stored = jdbc.sql("SELECT content_hash FROM inbound_record WHERE entity_kind = ? AND record_key = ?")
                    .params(kind, key).query(Long.class).optional();
            String outcome;
            if (stored.isEmpty()) {
                jdbc.sql("INSERT INTO inbound_record (entity_kind, record_key, customer_id, channel, source, content_hash, fields, received_at, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(kind, key, r.customerId(), channel, r.source(), r.parsed().contentHash(),
                                Json.write(r.fields()), now, now)
                        .update();
                outcome = "created";
            } else if (stored.get() == r.parsed().contentHash()) {
                outcome = "unchanged";
            } else {
                jdbc.sql("UPDATE inbound_record SET customer_id = ?, channel = ?, source = ?, content_hash = ?, fields = ?, updated_at = ?"
                                + " WHERE entity_kind = ? AND record_key = ?")
                        .params(r.customerId(), channel, r.source(), r.parsed().contentHash(), Json.write(r.fields()), now, kind, key)
                        .update();
                outcome = "updated";
            }
            out.add(new IngestResult.Item(r.kind().name().toLowerCase(), key, outcome));
        }
        return out;
    }
}
