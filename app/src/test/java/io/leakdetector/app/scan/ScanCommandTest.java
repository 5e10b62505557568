package io.leakdetector.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.cli.Main;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingsFile;
import io.leakdetector.core.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan command end to end, without Spring: exit codes, the findings file, the JSON summary, the Telco mode. */
class ScanCommandTest {
    @TempDir Path dir;

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return code + "\n" + buf.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void scansADataDirectoryIntoAFindingsFileAndAJsonSummary() {
        Path out = dir.resolve("findings.jsonl");
        String printed = run("scan", "../examples/small", "--out", out.toString(), "--json");
        assertThat(printed).startsWith("0\n");
        @SuppressWarnings("unchecked") Map<String, Object> summary = (Map<String, Object>) Json.parse(printed.substring(2).trim());
        assertThat(summary).containsEntry("as_of", "2026-03-13T00:00:00Z").containsKeys("leaked", "by_category", "rows_rejected");
        List<Finding> findings = FindingsFile.read(out);
        assertThat(findings).singleElement().satisfies(f -> assertThat(f.category()).isEqualTo(Category.EXPIRING_PAYMENT_METHOD));
    }

    @Test
    void asOfMovesTheClock() {
        Path out = dir.resolve("findings.csv");
        // on 2026-01-05 the card (valid through March) still covers the next renewal
        assertThat(run("scan", "../examples/small", "--out", out.toString(), "--as-of", "2026-01-05")).startsWith("0\n");
        assertThat(FindingsFile.read(out)).isEmpty();
    }

    @Test
    void theAnomalyPassAddsTheUnexplainedInvoicesUnlessTurnedOff() {
        Path world = dir.resolve("world");
        io.leakdetector.core.generate.Generator.generate(
                new io.leakdetector.core.generate.GeneratorConfig(400, 12, 5, 0.5, null), world);
        Path with = dir.resolve("with.csv"), without = dir.resolve("without.csv");
        assertThat(run("scan", world.toString(), "--out", with.toString())).startsWith("0\n");
        assertThat(run("scan", world.toString(), "--out", without.toString(), "--no-anomalies")).startsWith("0\n");
        List<Finding> all = FindingsFile.read(with), rules = FindingsFile.read(without);
        List<Finding> anomalies = all.stream().filter(f -> f.category() == Category.ANOMALY).toList();
        assertThat(anomalies).isNotEmpty().allSatisfy(f -> assertThat(f.subject()).startsWith("invoice:"));
        assertThat(rules).noneMatch(f -> f.category() == Category.ANOMALY);
        assertThat(all).hasSize(rules.size() + anomalies.size());
    }

    @Test
    void badUsageIsExitCodeTwo() {
        assertThat(run("scan", dir.resolve("missing").toString(), "--out", dir.resolve("f.csv").toString())).startsWith("2\n");
        assertThat(run("scan", "../examples/small", "--out", dir.resolve("f.csv").toString(), "--as-of", "yesterday")).startsWith("2\n");
    }

    @Test
    void telcoFileYieldsRevenueGapFindings() throws Exception {
        Path telco = Path.of("..", "..", "shared", "data", "telco", "WA_Fn-UseC_-Telco-Customer-Churn.csv");
        if (!Files.exists(telco)) {
            System.out.println("skipped: " + telco.toAbsolutePath() + " is not present");
            return;
        }
        Path out = dir.resolve("telco.csv");
        String printed = run("scan", "--telco", telco.toString(), "--out", out.toString(), "--as-of", "2026-01-01");
        assertThat(printed).startsWith("0\n").contains("11 blank TotalCharges with tenure 0");
        List<Finding> findings = FindingsFile.read(out);
        assertThat(findings).hasSize(65).allSatisfy(f -> {
            assertThat(f.category()).isEqualTo(Category.USAGE_REVENUE_GAP);
            assertThat(f.amountOneTime().isPositive()).isTrue();
        });
    }
}
