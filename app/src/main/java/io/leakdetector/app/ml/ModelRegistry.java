package io.leakdetector.app.ml;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.core.util.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The model registry (V20__ml_registry.sql): every trained model version with its provenance, metrics, feature
 * importance, drift reference and bytes; exactly one active version per kind, switched in one transaction.
 */
@Repository
public class ModelRegistry {
    /** The kind of the finding re-ranker trained from analysts' labels. */
    public static final String SUPERVISED = "supervised";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    ModelRegistry(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** A model version as stored, without its bytes. */
    public record Version(long id, String kind, int version, String algorithm, Instant trainedAt, Instant dataFrom,
                          Instant dataTo, int trainingRows, int positiveRows, String triggerReason, List<String> features,
                          String parameters, Map<String, Object> metrics, List<Double> featureImportance,
                          Map<String, Object> reference, boolean active) {}

    /** What a training run hands over to be registered. */
    public record NewModel(String kind, String algorithm, Instant trainedAt, Instant dataFrom, Instant dataTo,
                           int trainingRows, int positiveRows, String triggerReason, List<String> features, String parameters,
                           Map<String, Object> metrics, List<Double> featureImportance, Map<String, Object> reference,
                           byte[] bytes) {}

    static final String COLUMNS = "id, kind, version, algorithm, trained_at, data_from, data_to, training_rows, positive_rows, "
            + "trigger_reason, features, parameters, metrics, feature_importance, reference, active";

    /** Stores {@code m} as the next version of its kind and makes it the active one. */
    public Version register(NewModel m) {
        return tx.execute(s -> {
            int version = jdbc.sql("SELECT COALESCE(MAX(version), 0) FROM ml_models WHERE kind = ?").param(m.kind())
                    .query(Integer.class).single() + 1;
            jdbc.sql("UPDATE ml_models SET active = FALSE WHERE kind = ? AND active").param(m.kind()).update();
            jdbc.sql("INSERT INTO ml_models (kind, version, algorithm, trained_at, data_from, data_to, training_rows, positive_rows, "
                            + "trigger_reason, features, parameters, metrics, feature_importance, reference, model_bytes, active) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)")
                    .params(m.kind(), version, m.algorithm(), FindingRepository.odt(m.trainedAt()), odt(m.dataFrom()), odt(m.dataTo()),
                            m.trainingRows(), m.positiveRows(), m.triggerReason(), Json.write(m.features()), m.parameters(),
                            Json.write(m.metrics()), Json.write(m.featureImportance()), Json.write(m.reference()), m.bytes())
                    .update();
            return jdbc.sql("SELECT " + COLUMNS + " FROM ml_models WHERE kind = ? AND version = ?").params(m.kind(), version)
                    .query(ModelRegistry::row).single();
        });
    }

    public Optional<Version> active(String kind) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM ml_models WHERE kind = ? AND active").param(kind).query(ModelRegistry::row).optional();
    }

    /** Every version of a kind, newest first. */
    public List<Version> versions(String kind) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM ml_models WHERE kind = ? ORDER BY version DESC").param(kind)
                .query(ModelRegistry::row).list();
    }

    public byte[] bytes(long id) {
        return jdbc.sql("SELECT model_bytes FROM ml_models WHERE id = ?").param(id).query((rs, n) -> rs.getBytes(1)).single();
    }

    private static OffsetDateTime odt(Instant i) {
        return i == null ? null : FindingRepository.odt(i);
    }

    @SuppressWarnings("unchecked")
    private static Version row(ResultSet rs, int n) throws SQLException {
        List<String> features = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(rs.getString("features"))) features.add((String) o);
        List<Double> importance = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(rs.getString("feature_importance"))) importance.add(o == null ? 0 : ((Number) o).doubleValue());
        return new Version(rs.getLong("id"), rs.getString("kind"), rs.getInt("version"), rs.getString("algorithm"),
                instant(rs, "trained_at"), instant(rs, "data_from"), instant(rs, "data_to"), rs.getInt("training_rows"),
                rs.getInt("positive_rows"), rs.getString("trigger_reason"), features, rs.getString("parameters"),
                (Map<String, Object>) Json.parse(rs.getString("metrics")), importance,
                (Map<String, Object>) Json.parse(rs.getString("reference")), rs.getBoolean("active"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
