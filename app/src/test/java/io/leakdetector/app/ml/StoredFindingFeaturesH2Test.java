package io.leakdetector.app.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.detect.StoreDetection;
import io.leakdetector.app.detect.StoredCustomer;
import io.leakdetector.app.ingest.Importer;
import io.leakdetector.app.store.StoreTestBase;
import io.leakdetector.app.store.TestDatabase;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.RiskFactor;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import io.leakdetector.core.ml.FindingFeatures;
import io.leakdetector.core.scan.Scanner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The server's supervised model learns from the same rule signals as {@code ml-eval}: a stored rule finding's feature
 * row carries the risk factors ({@code has_risk_signals}, {@code risk_*}) the batch scan of the same data gives it,
 * not zeros because the store keeps only the score.
 */
class StoredFindingFeaturesH2Test extends StoreTestBase {
    @Override
    protected TestDatabase database(Path dir) {
        return TestDatabase.h2(dir);
    }

    @Test
    void storedRuleFindingsCarryTheBatchScansRiskFactors() {
        Path world = tmp.resolve("world");
        Generator.generate(GeneratorConfig.of(200, 12, 7), world);
        assertThat(new Importer(store).importDirectory(world).total().rejected()).isZero();
        new StoreDetection(store.dataSource()).run(null);

        JdbcClient jdbc = JdbcClient.create(store.dataSource());
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(store.dataSource()));
        MlProperties props = new MlProperties(30, 25, 1000, Duration.ofDays(7), Duration.ofHours(1), Duration.ofSeconds(30),
                3, Duration.ofMinutes(30), 0.7, false);
        SupervisedTraining training = new SupervisedTraining(jdbc, new FindingRepository(jdbc), new StoredCustomer(jdbc),
                new ModelRegistry(jdbc, tx), tx, props);
        SupervisedTraining.Population pop = training.population();

        Map<String, ScoredFinding> batch = new HashMap<>();
        for (ScoredFinding s : new Scanner(DetectionEngine.standard(), 1, null).scan(world, null, null).findings()) {
            batch.put(s.finding().id(), s);
        }
        List<String> names = pop.features().featureNames();
        int has = names.indexOf("has_risk_signals");
        int rules = 0;
        for (int i = 0; i < pop.findings().size(); i++) {
            Finding f = pop.findings().get(i);
            if (f.category() == Category.ANOMALY) {
                assertThat(pop.features().get(i, has)).as(f.subject()).isZero();
                continue;
            }
            rules++;
            ScoredFinding expected = batch.get(f.id());
            assertThat(expected).as(f.subject()).isNotNull();
            assertThat(pop.features().get(i, has)).as(f.subject()).isEqualTo(1.0);
            for (RiskFactor rf : expected.risk().factors()) {
                int col = names.indexOf("risk_" + rf.signal());
                if (col < 0) continue;   // a signal the feature rows do not use
                assertThat(pop.features().get(i, col)).as(f.subject() + " " + rf.signal()).isEqualTo(rf.score());
            }
        }
        assertThat(rules).isPositive();
        // the signals are really there: persistence and margin vary across the stored findings
        for (String signal : List.of("risk_persistence", "risk_margin")) {
            int col = names.indexOf(signal);
            double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
            for (int i = 0; i < pop.findings().size(); i++) {
                if (pop.findings().get(i).category() == Category.ANOMALY) continue;
                min = Math.min(min, pop.features().get(i, col));
                max = Math.max(max, pop.features().get(i, col));
            }
            assertThat(max).as(signal).isGreaterThan(min);
        }
        assertThat(FindingFeatures.RULE_FEATURES).contains("has_risk_signals");
    }
}
