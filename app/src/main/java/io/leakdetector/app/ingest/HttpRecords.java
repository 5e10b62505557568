package io.leakdetector.app.ingest;

import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.Parsed;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes records that arrive over HTTP (JSON ingest, provider webhooks, real-time events) into the billing tables,
 * the same tables and SQL the importer uses. Unlike a file import, a record whose key is stored already with other
 * content replaces it: a provider sends the same invoice again when it is paid. References are not checked here,
 * because providers deliver events out of order. Runs in the caller's transaction.
 */
public final class HttpRecords {
    /** {@code import_id} of rows that came over HTTP rather than from an import run. */
    public static final long HTTP_IMPORT_ID = 0;

    private final BillingDataRepository data;

    public HttpRecords(JdbcTemplate jdbc, boolean postgres) {
        this.data = new BillingDataRepository(jdbc, postgres);
    }

    /** One record to write: its kind, the parsed row, and where it came from (e.g. {@code stripe:evt_1}). */
    public record Incoming(EntityKind kind, Parsed<?> row, String source) {}

    /** What happened to one record: {@code created}, {@code updated} or {@code unchanged}. */
    public record Outcome(EntityKind kind, String key, String outcome) {}

    /** Upserts {@code records}, grouped by kind in load order; a key repeated within the call keeps its last content. */
    public List<Outcome> upsert(List<Incoming> records) {
        Map<EntityKind, LinkedHashMap<String, Incoming>> byKind = new EnumMap<>(EntityKind.class);
        for (Incoming in : records) byKind.computeIfAbsent(in.kind(), k -> new LinkedHashMap<>()).put(in.row().key(), in);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (var e : byKind.entrySet()) upsertKind(e.getKey(), new ArrayList<>(e.getValue().values()), outcomes);
        List<Outcome> out = new ArrayList<>(records.size());
        for (Incoming in : records) out.add(outcomes.get(in.kind() + "/" + in.row().key()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private <T> void upsertKind(EntityKind kind, List<Incoming> rows, Map<String, Outcome> outcomes) {
        BillingTable<T> table = (BillingTable<T>) BillingTable.of(kind);
        List<T> records = new ArrayList<>(rows.size());
        for (Incoming in : rows) records.add((T) in.row().record());
        Map<String, BillingDataRepository.StoredRow> stored = data.findStored(table, records);
        List<T> replaced = new ArrayList<>();
        List<BillingDataRepository.NewRow<T>> toWrite = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Incoming in : rows) {
            BillingDataRepository.StoredRow before = stored.get(in.row().key());
            String outcome;
            if (before == null) {
                outcome = "created";
            } else if (before.contentHash() == in.row().contentHash()) {
                outcomes.put(kind + "/" + in.row().key(), new Outcome(kind, in.row().key(), "unchanged"));
                continue;
            } else {
                outcome = "updated";
                replaced.add((T) in.row().record());
            }
            outcomes.put(kind + "/" + in.row().key(), new Outcome(kind, in.row().key(), outcome));
            toWrite.add(new BillingDataRepository.NewRow<>((T) in.row().record(), 0, in.row().contentHash()));
            sources.add(clip(in.source()));
        }
        data.deleteKeys(table, replaced);
        data.insert(table, toWrite, sources, HTTP_IMPORT_ID); // one batch for the kind, each row with its source
    }

    /** The table that holds records of {@code kind} (for tests and reports). */
    public static String tableOf(EntityKind kind) {
        return BillingTable.of(kind).table();
    }

    /** The first key column of {@code kind}'s table. */
    public static String idColumnOf(EntityKind kind) {
        return BillingTable.of(kind).idColumn();
    }

    private static String clip(String source) {
        return source.length() > 255 ? source.substring(0, 255) : source;
    }
}
