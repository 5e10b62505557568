package io.leakdetector.app.evaluate;

import io.leakdetector.core.evaluate.Evaluation;
import io.leakdetector.core.evaluate.TruthFile;
import io.leakdetector.core.evaluate.TruthRow;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingsFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code leak-detector evaluate}: scores a findings file against a truth file (no Spring). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Scores findings (CSV or JSON Lines) against truth.csv, matching on subject: precision, recall, F1, "
                + "precision of the top 10 %% by score, false-alarm share, leaked-dollar recall (one-time and recurring, "
                + "USD at fixed reference rates), category agreement and explanation coverage, overall and per category "
                + "(docs/generator.md). Exit code 2 on unreadable or malformed input."})
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--truth", required = true, description = "truth.csv written by generate (or labelled by hand)")
    Path truth;

    @Option(names = "--findings", required = true, description = "findings file: .csv, or JSON Lines for any other extension")
    Path findings;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Override
    public Integer call() {
        for (Path p : List.of(truth, findings)) {
            if (!Files.isRegularFile(p)) {
                System.err.println("error: " + p + ": no such file");
                return 2;
            }
        }
        Evaluation.Report report;
        try {
            List<TruthRow> t = TruthFile.read(truth);
            List<Finding> f = FindingsFile.read(findings);
            report = Evaluation.evaluate(t, f);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        System.out.println(json ? report.toJson() : report.toText());
        return 0;
    }
}
