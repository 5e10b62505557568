package io.leakdetector.core.domain;

import java.time.Instant;

/** A change outside the billing data that may explain a leak: a deploy, a price-book edit, a config flag. */
public record ChangeEvent(String id, Instant occurredAt, String type, String service, String version,
                          String description, String source) {
    public ChangeEvent {
        Require.id(id, "event_id");
        Require.present(occurredAt, "occurred_at");
        Require.id(type, "type");
    }
}
