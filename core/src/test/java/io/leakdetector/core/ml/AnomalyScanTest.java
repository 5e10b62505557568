package io.leakdetector.core.ml;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import io.leakdetector.core.ml.features.BillingData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AnomalyScanTest {
    @Test
    void topFindingsAreTheInjectedUnknownBugsWithTheirEvidence(@TempDir Path dir) throws Exception {
        Generator.generate(new GeneratorConfig(1500, 12, 3, 0.5, null), dir);
        Set<String> truth = new HashSet<>();
        for (String line : Files.readAllLines(dir.resolve("truth.csv"))) {
            String[] f = line.split(",");
            if (f.length > 1 && f[1].equals("ANOMALY")) truth.add(f[0]);
        }
        assertThat(truth).hasSizeGreaterThan(10);
        AnomalyScan.Result result = AnomalyScan.scan(BillingData.read(dir), 10, IsolationForestParams.defaults(), Instant.EPOCH);
        assertThat(result.findings()).hasSize(10);
        int hits = 0;
        for (Finding f : result.findings()) {
            assertThat(f.category()).isEqualTo(Category.ANOMALY);
            assertThat(f.subject()).startsWith("invoice:");
            assertThat(f.explanation()).startsWith("Unusual invoice: ").doesNotContain("nothing unusual");
            assertThat(f.evidence().get(0).sources().get(0)).startsWith("invoices.csv:");
            if (truth.contains(f.subject())) hits++;
        }
        // Measured: all of the top 11 are truth rows (×100 exponent bugs) on this world; 7 leaves room for noise.
        assertThat(hits).isGreaterThanOrEqualTo(7);
    }
}
