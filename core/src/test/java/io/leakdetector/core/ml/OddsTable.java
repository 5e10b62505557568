package io.leakdetector.core.ml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * Prints the "Isolation Forest on ODDS" table of BENCHMARKS.md: PyOD's protocol on every data set of
 * {@code reference-roc-pyod-benchmark.csv}, our mean ROC-AUC beside the reference's IForest column.
 * Run: {@code java -cp core/target/classes:core/target/test-classes:FASTCSV_JAR io.leakdetector.core.ml.OddsTable [ODDS_DIR]}.
 */
public final class OddsTable {
    private OddsTable() {}

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Paths.get(args[0]) : OddsData.directory().orElseThrow(() -> new IllegalStateException("ODDS directory not found"));
        Path splitsDir = args.length > 1 ? Paths.get(args[1]) : null;   // from bench/odds_splits.py
        List<String> reference = Files.readAllLines(dir.resolve("reference-roc-pyod-benchmark.csv"));
        List<String> header = List.of(reference.get(0).split(","));
        int iforest = header.indexOf("IForest");
        System.out.println("| data set | rows | features | outliers % | PyOD IForest | ours, PyOD's 10 splits | − ref | ours, own 10 splits | − ref | min–max split (own) | seconds (own) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        int passed = 0, passedSame = 0, total = 0;
        for (String line : reference.subList(1, reference.size())) {
            String[] cells = line.split(",");
            String name = cells[0];
            double ref = Double.parseDouble(cells[iforest]);
            long start = System.nanoTime();
            NumericCsv.Table table = NumericCsv.read(dir.resolve(name + ".csv"), "label");
            PyodBenchmark.Result r = PyodBenchmark.run(table.features(), table.labels(), IsolationForestParams.defaults(), 10);
            double seconds = (System.nanoTime() - start) / 1e9;
            double same = Double.NaN;
            if (splitsDir != null && Files.exists(splitsDir.resolve(name + ".splits"))) {
                same = PyodBenchmark.run(table.features(), table.labels(), IsolationForestParams.defaults(),
                        PyodBenchmark.readSplits(splitsDir.resolve(name + ".splits"))).meanRocAuc();
                if (same >= ref - 0.02) passedSame++;
            }
            double min = 1, max = 0;
            for (double a : r.rocAuc()) {
                min = Math.min(min, a);
                max = Math.max(max, a);
            }
            int outliers = 0;
            for (boolean b : table.labels()) if (b) outliers++;
            total++;
            if (r.meanRocAuc() >= ref - 0.02) passed++;
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %.4f | %.4f | %+.4f | %.4f | %+.4f | %.3f–%.3f | %.2f |%n", name,
                    table.features().rows(), table.features().cols(), 100.0 * outliers / table.features().rows(), ref,
                    same, same - ref, r.meanRocAuc(), r.meanRocAuc() - ref, min, max, seconds);
        }
        System.out.printf(Locale.ROOT, "%nAt or above the reference − 0.02: %d of %d on PyOD's splits, %d of %d on our own splits%n",
                passedSame, total, passed, total);
    }
}
