package io.leakdetector.app.api;

import java.util.List;

/** What one ingest call did: records created, updated (same key, new content), unchanged (same content). */
public record IngestResult(int received, int created, int updated, int unchanged, List<Item> items) {

    /** The outcome for one record: its kind, key and {@code created | updated | unchanged}. */
    public record Item(String entity, String key, String outcome) {}
}
