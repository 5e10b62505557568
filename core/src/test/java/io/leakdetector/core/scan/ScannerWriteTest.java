package io.leakdetector.core.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingsFile;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan writes the rule findings while the pass after the rules runs: the file must still hold the rule findings
 * in order and then the pass's, the summary must count both, and a pass that fails must leave no file behind nor
 * replace the one that was there.
 */
class ScannerWriteTest {
    @TempDir Path dir;

    private Path world() {
        Path world = dir.resolve("world");
        Generator.generate(GeneratorConfig.of(300, 6, 5), world);
        return world;
    }

    @Test
    void theFileHoldsTheRuleFindingsThenThePasssInOrder() {
        Path world = world();
        List<Finding> ruleSeen = new ArrayList<>();
        // a pass whose findings are copies of the first three rule findings under other subjects
        Scanner.Pass pass = (data, rules, asOf) -> {
            ruleSeen.addAll(rules);
            return rules.stream().limit(3).map(f -> new Finding(f.id() + "x", f.category(), f.kind(), f.subject() + "#after",
                    f.customerId(), f.amountOneTime(), f.amountMonthlyRecurring(), f.currency(), 0.5, f.confidence(),
                    f.detectedAt(), f.evidence(), f.explanation(), f.recommendedAction(), f.status(), f.matchedRules())).toList();
        };
        Path out = dir.resolve("findings.csv"), alone = dir.resolve("rules.csv");
        Scanner.Result result = new Scanner(DetectionEngine.standard(), 2, pass).scan(world, null, out);
        Scanner.Result rules = new Scanner(DetectionEngine.standard(), 2).scan(world, null, alone);
        assertThat(rules.findings()).hasSizeGreaterThan(3);
        assertThat(ruleSeen).isEqualTo(rules.findings().stream().map(ScoredFinding::finding).toList());

        List<Finding> written = FindingsFile.read(out);
        assertThat(written).hasSize(rules.findings().size() + 3);
        assertThat(written.subList(0, rules.findings().size())).isEqualTo(FindingsFile.read(alone));
        assertThat(written.subList(rules.findings().size(), written.size())).extracting(Finding::subject)
                .allSatisfy(s -> assertThat(s).endsWith("#after"));
        assertThat(result.findings()).extracting(s -> s.finding().id()).isEqualTo(written.stream().map(Finding::id).toList());
        assertThat(result.summary().findings()).isEqualTo(written.size());
        assertThat(rules.summary().findings()).isEqualTo(rules.findings().size());
        assertThat(partials()).isEmpty();
    }

    @Test
    void aPassThatFailsLeavesTheFileThatWasThere() throws Exception {
        Path world = world();
        Path out = dir.resolve("findings.jsonl");
        Files.writeString(out, "an earlier scan\n");
        Scanner.Pass failing = (data, rules, asOf) -> {
            throw new IllegalStateException("the pass failed");
        };
        assertThatThrownBy(() -> new Scanner(DetectionEngine.standard(), 2, failing).scan(world, null, out))
                .hasMessageContaining("the pass failed");
        assertThat(Files.readString(out)).isEqualTo("an earlier scan\n");
        assertThat(partials()).isEmpty();

        // and one that succeeds replaces it, in the format its name says
        new Scanner(DetectionEngine.standard(), 2, (data, rules, asOf) -> List.of()).scan(world, null, out);
        assertThat(Files.readString(out)).startsWith("{");
        assertThat(partials()).isEmpty();
    }

    private List<Path> partials() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".partial")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
