package io.leakdetector.app.demo;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.detect.StoreDetection;
import io.leakdetector.app.ingest.ImportResult;
import io.leakdetector.app.ingest.Importer;
import io.leakdetector.app.store.Store;
import io.leakdetector.core.evaluate.TruthFile;
import io.leakdetector.core.evaluate.TruthRow;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import io.leakdetector.core.ml.AnomalyScan;
import io.leakdetector.core.ml.IsolationForestParams;
import io.leakdetector.core.ml.features.BillingData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fills a store the way a company that has used Leak Detector for a while would have it: a generated world whose
 * last month is the last full month, imported; detection run once a week over its last {@link #WEEKS} weeks (so
 * findings carry the week they were first detected, as a weekly scheduled scan gives them) and once as of the data's
 * end (the truth file's as-of); the ANOMALY
 * pass with its SHAP contributions; and a third of the rule findings reviewed by a simulated analyst against the
 * generator's truth file (confirmed when the truth has the leak, dismissed otherwise), so the false-alarm rate is
 * the real one.
 */
public final class DemoStore {
    static final int WEEKS = 12;
    static final int ANOMALIES = 15;

    private DemoStore() {}

    /** What was built. */
    public record Built(Generator.Summary world, ImportResult imported, long findings, long anomalies, long labelled) {}

    public static Built build(Store store, Path worldDir, int customers, int months, long seed, PrintWriter log) {
        YearMonth start = YearMonth.now(ZoneOffset.UTC).minusMonths(months);
        Generator.Summary world = Generator.generate(new GeneratorConfig(customers, months, seed, GeneratorConfig.DEFAULT_LEAK_RATE, start), worldDir);
        log.printf("generated %d customers over %d months (%s to %s)%n", customers, months, start, start.plusMonths(months - 1));
        log.flush();
        ImportResult imported = new Importer(store, Importer.DEFAULT_BATCH_SIZE, Importer.Listener.NONE).importDirectory(worldDir);
        log.printf("imported %d rows (%d rejected)%n", imported.total().imported(), imported.total().rejected());
        log.flush();

        StoreDetection detection = new StoreDetection(store.dataSource());
        Instant dataEnd = world.asOf();
        for (int w = WEEKS - 1; w >= 1; w--) detection.run(dataEnd.minus(7L * w, ChronoUnit.DAYS));
        // The last run is as of the data's end, like `scan` and the truth file: run as of today, every renewal due
        // since the generated export stopped would show as a missing invoice.
        StoreDetection.Result last = detection.run(dataEnd);
        log.printf("detection: %d findings at %s%n", last.findings(), last.asOf());
        log.flush();

        JdbcClient jdbc = JdbcClient.create(store.dataSource());
        FindingRepository findings = new FindingRepository(jdbc);
        Set<String> covered = new HashSet<>(jdbc.sql("SELECT subject FROM findings").query(String.class).list());
        List<Finding> anomalies = new ArrayList<>();
        for (Finding f : AnomalyScan.scan(BillingData.read(worldDir), ANOMALIES * 3, IsolationForestParams.defaults(), dataEnd).findings()) {
            if (!covered.contains(f.subject()) && anomalies.size() < ANOMALIES) anomalies.add(f); // a rule already explains the rest
        }
        store.tx().executeWithoutResult(s -> findings.save(anomalies));

        Set<String> truth = new HashSet<>();
        for (TruthRow t : TruthFile.read(worldDir.resolve("truth.csv"))) truth.add(t.subject() + "|" + t.category().name());
        List<String[]> rule = jdbc.sql("SELECT id, subject, category FROM findings WHERE category <> 'ANOMALY' ORDER BY id")
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).list();
        long labelled = 0;
        for (int i = 0; i < rule.size(); i += 3) {
            String[] r = rule.get(i);
            String label = truth.contains(r[1] + "|" + r[2]) ? "confirmed" : "dismissed";
            store.tx().executeWithoutResult(s -> findings.label(r[0], label, "demo-analyst", "simulated review against truth.csv"));
            labelled++;
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM findings").query(Long.class).single();
        return new Built(world, imported, total, anomalies.size(), labelled);
    }
}
