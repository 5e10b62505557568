package io.leakdetector.app.testing;

import io.leakdetector.app.ingest.HttpRecords;
import io.leakdetector.core.ingest.EntityKind;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads the billing tables in tests: how many rows a key has, one column of a stored record, totals. */
public final class Stored {
    private final JdbcClient jdbc;

    public Stored(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long count(EntityKind kind, String id) {
        return jdbc.sql("SELECT COUNT(*) FROM " + HttpRecords.tableOf(kind) + " WHERE " + HttpRecords.idColumnOf(kind) + " = ?")
                .param(id).query(Long.class).single();
    }

    public long count(EntityKind kind) {
        return jdbc.sql("SELECT COUNT(*) FROM " + HttpRecords.tableOf(kind)).query(Long.class).single();
    }

    /** Every billing row plus every processed webhook event: unchanged means nothing at all was stored. */
    public long everything() {
        long n = jdbc.sql("SELECT COUNT(*) FROM processed_event").query(Long.class).single();
        for (EntityKind k : EntityKind.values()) n += count(k);
        return n;
    }

    public Object value(EntityKind kind, String id, String column) {
        return jdbc.sql("SELECT " + column + " FROM " + HttpRecords.tableOf(kind) + " WHERE " + HttpRecords.idColumnOf(kind) + " = ?")
                .param(id).query().singleValue();
    }
}
