package io.leakdetector.app.ml;

import io.leakdetector.core.ml.Attribution;
import io.leakdetector.core.ml.Explanation;
import io.leakdetector.core.ml.IsolationForest;
import io.leakdetector.core.ml.IsolationForestParams;
import io.leakdetector.core.ml.NumericCsv;
import io.leakdetector.core.ml.PyodBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code leak-detector outliers FILE.csv}: the Isolation Forest on any numeric CSV, without Spring. With
 * {@code --label} it runs PyOD's benchmark protocol and prints the mean ROC-AUC; without, it scores every row and
 * explains each score by its top features.
 */
@Command(name = "outliers", mixinStandardHelpOptions = true,
        description = {"Isolation Forest with exact TreeSHAP on a numeric CSV (header row, one number per cell).",
                "With --label: PyOD's benchmark protocol (random 60/40 splits, z-scored on the training part, "
                        + "fit on 60 %%, ROC-AUC of the 40 %%), prints the mean ROC-AUC.",
                "Without --label: fits on every row, prints each row's score (0..1, above 0.5 is unusual) and the "
                        + "features that push it hardest towards anomalous."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "2:bad input or usage (file, line and column named)"})
public final class OutliersCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.csv", description = "CSV with a header row; every column numeric.")
    Path file;

    @Option(names = "--label", paramLabel = "COLUMN", description = "0/1 outlier label column: run the benchmark protocol.")
    String label;

    @Option(names = "--json", description = "Machine-readable output: one JSON object ({\"roc_auc\": …, \"splits\": …}), "
            + "or one JSON line per row.")
    boolean json;

    @Option(names = "--trees", paramLabel = "N", description = "Trees in the forest (default: ${DEFAULT-VALUE}).")
    int trees = IsolationForestParams.DEFAULT_TREES;

    @Option(names = "--subsample", paramLabel = "PSI", description = "Rows per tree (default: ${DEFAULT-VALUE}).")
    int subsample = IsolationForestParams.DEFAULT_SUBSAMPLE;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed = IsolationForestParams.DEFAULT_SEED;

    @Option(names = "--splits", paramLabel = "N", description = "Random splits of the benchmark protocol (default: ${DEFAULT-VALUE}).")
    int splits = PyodBenchmark.DEFAULT_SPLITS;

    @Option(names = "--splits-file", paramLabel = "FILE", description = "Use these splits instead (one line per split: "
            + "the test part's 0-based row indices), e.g. PyOD's own from bench/odds_splits.py.")
    Path splitsFile;

    @Option(names = "--top", paramLabel = "K", description = "Features named per row (default: ${DEFAULT-VALUE}).")
    int top = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (trees < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--trees must be at least 1");
        if (subsample < 2) throw new CommandLine.ParameterException(spec.commandLine(), "--subsample must be at least 2");
        if (splits < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--splits must be at least 1");
        IsolationForestParams params = new IsolationForestParams(trees, subsample, seed);
        NumericCsv.Table table = NumericCsv.read(file, label);
        PrintWriter out = spec.commandLine().getOut();
        if (label != null) benchmark(table, params, out);
        else scoreRows(table, params, out);
        out.flush();
        return 0;
    }

    private void benchmark(NumericCsv.Table table, IsolationForestParams params, PrintWriter out) {
        PyodBenchmark.Result r = splitsFile != null
                ? PyodBenchmark.run(table.features(), table.labels(), params, PyodBenchmark.readSplits(splitsFile))
                : PyodBenchmark.run(table.features(), table.labels(), params, splits);
        if (json) {
            out.printf(Locale.ROOT, "{\"roc_auc\": %.6f, \"splits\": %d}%n", r.meanRocAuc(), r.splits());
        } else {
            out.printf(Locale.ROOT, "%s: mean ROC-AUC %.4f over %d splits (60/40, fit on 60 %%, scored on 40 %%)%n",
                    table.file(), r.meanRocAuc(), r.splits());
        }
    }

    private void scoreRows(NumericCsv.Table table, IsolationForestParams params, PrintWriter out) {
        IsolationForest forest = IsolationForest.fit(table.features(), params, table.file() + ", all "
                + table.features().rows() + " rows");
        Attribution[] attributions = forest.explainAll(table.features());
        double[] reference = forest.referenceValues();
        if (!json) out.println("line\tscore\texplanation");
        for (int i = 0; i < attributions.length; i++) {
            double[] row = table.features().row(i);
            Explanation e = Explanation.of(attributions[i], row, reference, top);
            if (json) {
                StringBuilder s = new StringBuilder();
                s.append(String.format(Locale.ROOT, "{\"line\": %d, \"score\": %.6f, \"path_length\": %.6f, \"baseline\": %.6f, \"explanation\": [",
                        table.lines()[i], attributions[i].score(), attributions[i].pathLength(), attributions[i].baseline()));
                for (int j = 0; j < e.reasons().size(); j++) {
                    Explanation.Reason reason = e.reasons().get(j);
                    if (j > 0) s.append(", ");
                    s.append(String.format(Locale.ROOT, "{\"feature\": %s, \"value\": %s, \"typical\": %s, \"contribution\": %.6f, \"text\": %s}",
                            quote(reason.feature()), number(reason.value()), number(reason.reference()), reason.contribution(), quote(reason.text())));
                }
                out.println(s.append("]}"));
            } else {
                out.printf(Locale.ROOT, "%d\t%.4f\t%s%n", table.lines()[i], attributions[i].score(), e.text());
            }
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
