package io.leakdetector.app.api;

import io.leakdetector.app.ingest.HttpRecords;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Writes validated HTTP records into the billing tables through the importer's repository ({@link HttpRecords}). */
@Component
class StoreBillingWriter implements BillingWriter {
    private final HttpRecords records;

    StoreBillingWriter(JdbcTemplate jdbc, DataSource dataSource) throws SQLException {
        boolean postgres;
        try (Connection c = dataSource.getConnection()) {
            postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        }
        this.records = new HttpRecords(jdbc, postgres);
    }

    @Override
    public List<IngestResult.Item> write(String channel, List<ValidRecord> valid) {
        List<HttpRecords.Incoming> in = new ArrayList<>(valid.size());
        for (ValidRecord r : valid) in.add(new HttpRecords.Incoming(r.kind(), r.parsed(), r.source()));
        List<IngestResult.Item> out = new ArrayList<>(valid.size());
        for (HttpRecords.Outcome o : records.upsert(in)) {
            out.add(new IngestResult.Item(o.kind().fileName().replace(".csv", ""), o.key(), o.outcome()));
        }
        return out;
    }
}
