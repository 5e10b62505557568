package io.leakdetector.app.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.app.ingest.ImportResult;
import io.leakdetector.app.ingest.Importer;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreTestBase;
import io.leakdetector.app.store.TestDatabase;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import io.leakdetector.core.scan.Scanner;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.ml.AnomalyScan;
import io.leakdetector.core.evaluate.TruthFile;
import java.time.YearMonth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The server's detection over the store finds what {@code scan} finds on the same files: same subjects, categories,
 * amounts and explanations. Run once per database by its subclasses.
 */
abstract class StoreDetectionContract extends StoreTestBase {
    private static Map<String, String> byKey(List<io.leakdetector.core.finding.Finding> findings) {
        return findings.stream().collect(Collectors.toMap(f -> f.category() + " " + f.subject(),
                f -> f.amountOneTime().toPlainString() + " / " + f.amountMonthlyRecurring().toPlainString() + " "
                        + f.currency() + " | " + f.explanation(),
                (a, b) -> a, TreeMap::new));
    }

    @Test
    void storedDataYieldsTheSameFindingsAsScanningTheFiles() {
        Path world = tmp.resolve("world");
        Generator.generate(GeneratorConfig.of(300, 12, 7), world);
        ImportResult imported = new Importer(store).importDirectory(world);
        assertThat(imported.total().rejected()).isZero();

        // ranges of 7 customer ids: many range reads, each customer's rows from one of them
        StoreDetection.Result result = new StoreDetection(store.dataSource()).readingRangesOf(7).run(null);
        Scanner.Result scanned = new Scanner(DetectionEngine.standard(), 1, AnomalyScan.AFTER_RULES).scan(world, null, null);

        assertThat(result.asOf()).isEqualTo(scanned.asOf());
        assertThat(result.customers()).isEqualTo(300);
        List<io.leakdetector.core.finding.Finding> fromScan = scanned.findings().stream().map(ScoredFinding::finding).toList();
        assertThat(fromScan).isNotEmpty();
        assertThat(result.findings()).isEqualTo(fromScan.size());
        assertThat(result.created()).isEqualTo(fromScan.size());

        List<io.leakdetector.core.finding.Finding> stored = store.jdbc().query(
                "SELECT id FROM findings", (rs, n) -> rs.getString(1)).stream()
                .map(id -> new FindingRepository(
                        org.springframework.jdbc.core.simple.JdbcClient.create(store.dataSource())).find(id).orElseThrow())
                .toList();
        assertThat(byKey(stored)).isEqualTo(byKey(fromScan));

        // a second run over unchanged data changes nothing
        StoreDetection.Result again = new StoreDetection(store.dataSource()).run(null);
        assertThat(again.findings()).isEqualTo(result.findings());
        assertThat(again.created()).isZero();
        assertThat(again.updated()).isZero();
    }

    @Test
    void holdsAnythingIsTrueExactlyForCustomersWithRowsOrFindings() {
        Path world = tmp.resolve("world-holds");
        Generator.generate(GeneratorConfig.of(60, 6, 5), world);
        new Importer(store).importDirectory(world);
        new StoreDetection(store.dataSource()).run(null);
        var jdbc = org.springframework.jdbc.core.simple.JdbcClient.create(store.dataSource());
        StoredCustomer stored = new StoredCustomer(jdbc);
        FindingRepository findings = new FindingRepository(jdbc);
        // a customer whose only rows are in one table: each table on its own makes the customer known
        List<String> tables = List.of("subscriptions", "invoices", "payments", "credit_notes", "usage_records",
                "app_accounts", "payment_methods", "findings");
        for (String t : tables) {
            int moved = store.jdbc().update("UPDATE " + t + " SET customer_id = ? WHERE customer_id = (SELECT MIN(customer_id) FROM " + t + ")",
                    "only_" + t);
            assertThat(moved).as(t).isPositive();
        }
        List<String> ids = new java.util.ArrayList<>(store.jdbc().query(
                "SELECT customer_id FROM customers UNION SELECT customer_id FROM findings UNION SELECT customer_id FROM payments "
                        + "UNION SELECT customer_id FROM invoices UNION SELECT customer_id FROM subscriptions", (rs, n) -> rs.getString(1)));
        ids.removeIf(java.util.Objects::isNull);
        ids.addAll(List.of("cus_never_seen", "only_credit_notes", "only_usage_records", "only_app_accounts", "only_payment_methods"));
        int known = 0;
        for (String id : ids) {
            StoredCustomer.Records r = stored.load(id);
            boolean any = r.customer() != null || !r.subscriptions().isEmpty() || !r.invoices().isEmpty() || !r.lines().isEmpty()
                    || !r.payments().isEmpty() || !r.refunds().isEmpty() || !r.creditNotes().isEmpty() || !r.disputes().isEmpty()
                    || !r.usage().isEmpty() || !r.appAccounts().isEmpty() || !r.paymentMethods().isEmpty() || !r.changes().isEmpty()
                    || !findings.ofCustomer(id).isEmpty();
            assertThat(stored.holdsAnything(id)).as(id).isEqualTo(any);
            if (any) known++;
        }
        assertThat(known).isEqualTo(ids.size() - 1);
        assertThat(stored.holdsAnything("cus_never_seen")).isFalse();
    }

    @Test
    void theNextRunUsesTheStoredSettingsAndABadValueNamesItsSettingAndStoresNothing() {
        Path world = tmp.resolve("world-settings");
        Generator.generate(GeneratorConfig.of(200, 12, 3), world);
        new Importer(store).importDirectory(world);
        org.springframework.jdbc.core.simple.JdbcClient jdbc = org.springframework.jdbc.core.simple.JdbcClient.create(store.dataSource());
        DetectorSettings settings = new DetectorSettings(jdbc);

        assertThatThrownBy(() -> settings.update(Map.of("failedPayment.graceDays", "two weeks"), "admin"))
                .isInstanceOfSatisfying(DetectorSettings.InvalidSetting.class, e -> assertThat(e.key()).isEqualTo("failedPayment.graceDays"));
        assertThatThrownBy(() -> settings.update(Map.of("risk.margin", "-0.5"), "admin"))
                .isInstanceOfSatisfying(DetectorSettings.InvalidSetting.class, e -> assertThat(e.key()).isEqualTo("risk.margin"));
        assertThatThrownBy(() -> settings.update(Map.of("missedInvoice.minGapShare", "1.5"), "admin"))
                .isInstanceOfSatisfying(DetectorSettings.InvalidSetting.class, e -> assertThat(e.key()).isEqualTo("missedInvoice.minGapShare"));
        assertThatThrownBy(() -> settings.update(Map.of("noSuch.thing", "1"), "admin"))
                .isInstanceOfSatisfying(DetectorSettings.InvalidSetting.class, e -> assertThat(e.key()).isEqualTo("noSuch.thing"));
        assertThat(settings.current()).isEqualTo(io.leakdetector.core.detect.DetectorsConfig.DEFAULTS);

        List<String> changed = settings.update(Map.of("failedPayment.graceDays", " 0400 ", "risk.margin", "0.3"), "admin");
        assertThat(changed).containsExactly("failedPayment.graceDays: 14 → 400", "risk.margin: 0.15 → 0.3");
        io.leakdetector.core.detect.DetectorsConfig expected = io.leakdetector.core.detect.DetectorsConfig.DEFAULTS.withGraceDays(400);
        Map<String, Double> weights = new java.util.HashMap<>(expected.risk().weights());
        weights.put("margin", 0.3);
        expected = new io.leakdetector.core.detect.DetectorsConfig(expected.failedPayment(), expected.duplicateBilling(),
                expected.priceMismatch(), expected.expiredDiscount(), expected.unbilledUsage(), expected.missedInvoice(),
                expected.unbilledService(), expected.silentChurn(), expected.refundAnomaly(), expected.expiringPaymentMethod(),
                expected.legacyPrice(), expected.usageRevenueGap(), new io.leakdetector.core.detect.RiskScorer.Config(weights),
                expected.suppressExplainedGaps());
        assertThat(settings.current()).isEqualTo(expected);
        assertThat(settings.list()).filteredOn(DetectorSettings.Setting::changed).extracting(DetectorSettings.Setting::key)
                .containsExactlyInAnyOrder("failedPayment.graceDays", "risk.margin");

        // the store detection (rules only here) judges with the stored settings, as scan does with the same configuration
        new StoreDetection(store.dataSource(), null, FindingListener.NONE, null).run(null);
        Scanner.Result scanned = new Scanner(DetectionEngine.of(expected), 1).scan(world, null, null);
        assertThat(byKey(storedFindings())).isEqualTo(byKey(scanned.findings().stream().map(ScoredFinding::finding).toList()));
        Scanner.Result withDefaults = new Scanner(DetectionEngine.standard(), 1).scan(world, null, null);
        assertThat(withDefaults.findings()).extracting(f -> f.finding().category()).contains(Category.FAILED_PAYMENT);
        assertThat(byKey(storedFindings())).isNotEqualTo(byKey(withDefaults.findings().stream().map(ScoredFinding::finding).toList()));

        // back to the default: the row goes
        settings.update(Map.of("failedPayment.graceDays", "14", "risk.margin", "0.15"), "admin");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM detector_settings").query(Long.class).single()).isZero();
    }

    private List<io.leakdetector.core.finding.Finding> storedFindings() {
        FindingRepository repo = new FindingRepository(org.springframework.jdbc.core.simple.JdbcClient.create(store.dataSource()));
        return repo.query("", " ORDER BY id", List.of());
    }

    @Test
    void storedAnomaliesAreTheOnesScanFindsWithTheirShapEvidence() {
        Path world = tmp.resolve("leaky");
        Generator.generate(new GeneratorConfig(400, 12, 3, 0.5, YearMonth.of(2024, 1)), world);
        assertThat(TruthFile.read(world.resolve("truth.csv"))).anyMatch(t -> t.category() == Category.ANOMALY);
        assertThat(new Importer(store).importDirectory(world).total().rejected()).isZero();

        new StoreDetection(store.dataSource()).run(null);
        List<io.leakdetector.core.finding.Finding> fromScan = new Scanner(DetectionEngine.standard(), 1, AnomalyScan.AFTER_RULES)
                .scan(world, null, null).findings().stream().map(ScoredFinding::finding)
                .filter(f -> f.category() == Category.ANOMALY).toList();
        assertThat(fromScan).isNotEmpty();
        List<io.leakdetector.core.finding.Finding> stored = storedFindings().stream()
                .filter(f -> f.category() == Category.ANOMALY).toList();
        assertThat(stored.stream().map(f -> f.subject()).sorted().toList())
                .isEqualTo(fromScan.stream().map(f -> f.subject()).sorted().toList());
        assertThat(byKey(stored)).isEqualTo(byKey(fromScan));
        for (io.leakdetector.core.finding.Finding f : stored) {
            assertThat(f.evidence().stream().map(Evidence::fact)).anyMatch(fact -> fact.startsWith("shap baseline"));
        }
        Map<String, List<Evidence>> scanEvidence = fromScan.stream().collect(Collectors.toMap(f -> f.subject(), f -> f.evidence()));
        for (io.leakdetector.core.finding.Finding f : stored) assertThat(f.evidence()).isEqualTo(scanEvidence.get(f.subject()));

        // an invoice no longer anomalous keeps its ANOMALY finding as it was, as a rule finding no longer detected does
        StoreDetection.Result rulesOnly = new StoreDetection(store.dataSource(), DetectionEngine.standard(),
                FindingListener.NONE, (data, rules, asOf) -> List.of()).run(null);
        assertThat(rulesOnly.created()).isZero();
        assertThat(storedFindings().stream().filter(f -> f.category() == Category.ANOMALY).toList()).isEqualTo(stored);

        // and with the pass back, nothing changes
        StoreDetection.Result again = new StoreDetection(store.dataSource()).run(null);
        assertThat(again.created()).isZero();
        assertThat(again.updated()).isZero();
    }

    @Test
    void anEmptyStoreHasNothingToJudge() {
        StoreDetection.Result result = new StoreDetection(store.dataSource()).run(null);
        assertThat(result.findings()).isZero();
        assertThat(result.asOf()).isNull();
    }
}
