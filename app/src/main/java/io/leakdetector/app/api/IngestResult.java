package io.leakdetector.app.api;

import java.util.List;

/** What one ingest call did: records created, updated (same key, new content), unchanged (same content). */
public record IngestResult(int received, int created, int updated, int unchanged, List<Item> items) {

    /** The counts of {@code items}: one per record received. */
    public static IngestResult of(List<Item> items) {
        int created = 0, updated = 0, unchanged = 0;
        for (Item it : items) {
            switch (it.outcome()) {
                case "created" -> created++;
                case "updated" -> updated++;
                default -> unchanged++;
            }
        }
        return new IngestResult(items.size(), created, updated, unchanged, items);
    }

    /** The outcome for one record: its kind, key and {@code created | updated | unchanged}. */
    public record Item(String entity, String key, String outcome) {}
}
