package io.leakdetector.core.domain;

import java.time.Instant;

/** A change outside the billing data that may explain a leak: a deploy, a price-book edit, a config flag. */
public record ChangeEvent(String id, Instant occurredAt, String type, String service, String version,
                          String description, RowSource origin) implements Sourced {
    public ChangeEvent {
        Require.id(id, "event_id");
        Require.present(occurredAt, "occurred_at");
        Require.id(type, "type");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public ChangeEvent(String id, Instant occurredAt, String type, String service, String version,
                       String description, String source) {
        this(id, occurredAt, type, service, version, description, RowSource.of(source));
    }
}
