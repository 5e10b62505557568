package io.leakdetector.core.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyOD's benchmark protocol on small ODDS sets: our forest's mean ROC-AUC is at least PyOD's published IForest
 * value minus 0.02. Scored on the exact splits behind PyOD's table (numpy {@code RandomState(0..9)}, written by
 * bench/odds_splits.py into test resources), so what remains is the forests' own randomness; on fresh random
 * splits the mean moves by several hundredths on sets this small (see BENCHMARKS.md).
 */
class OddsBenchmarkTest {
    @ParameterizedTest
    @ValueSource(strings = {"pima", "wbc", "vertebral", "glass"})
    void meanRocAucReachesPyodsIsolationForest(String name) throws IOException, URISyntaxException {
        Path dir = OddsData.directory().orElse(null);
        if (dir == null) System.out.println("SKIPPED OddsBenchmarkTest: shared/data/odds not found above " + Paths.get("").toAbsolutePath());
        Assumptions.assumeTrue(dir != null, "ODDS data directory (shared/data/odds) not found");
        double reference = reference(dir, name);
        NumericCsv.Table table = NumericCsv.read(dir.resolve(name + ".csv"), "label");
        List<int[]> splits = PyodBenchmark.readSplits(Paths.get(getClass().getResource("/odds-splits/" + name + ".splits").toURI()));
        assertThat(splits).hasSize(10);
        PyodBenchmark.Result result = PyodBenchmark.run(table.features(), table.labels(), IsolationForestParams.defaults(), splits);
        System.out.printf("%s: mean ROC-AUC %.4f, PyOD IForest %.4f%n", name, result.meanRocAuc(), reference);
        assertThat(result.meanRocAuc()).isGreaterThanOrEqualTo(reference - 0.02);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pima", "wbc"})
    void ownRandomSplitsAgreeOnTheLargerSets(String name) throws IOException {
        Path dir = OddsData.directory().orElse(null);
        Assumptions.assumeTrue(dir != null, "ODDS data directory (shared/data/odds) not found");
        NumericCsv.Table table = NumericCsv.read(dir.resolve(name + ".csv"), "label");
        PyodBenchmark.Result result = PyodBenchmark.run(table.features(), table.labels(), IsolationForestParams.defaults(), 10);
        assertThat(result.splits()).isEqualTo(10);
        assertThat(result.meanRocAuc()).isGreaterThanOrEqualTo(reference(dir, name) - 0.02);
    }

    static double reference(Path dir, String name) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("reference-roc-pyod-benchmark.csv"));
        int column = List.of(lines.get(0).split(",")).indexOf("IForest");
        for (String line : lines) {
            String[] cells = line.split(",");
            if (cells[0].equals(name)) return Double.parseDouble(cells[column]);
        }
        throw new IllegalArgumentException(name + " not in the reference table");
    }
}
