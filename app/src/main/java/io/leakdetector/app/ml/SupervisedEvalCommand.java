package io.leakdetector.app.ml;

import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.DetectorsConfig;
import io.leakdetector.core.detect.FailedPaymentDetector;
import io.leakdetector.core.detect.MissedInvoiceDetector;
import io.leakdetector.core.detect.SilentChurnDetector;
import io.leakdetector.core.detect.UnbilledServiceDetector;
import io.leakdetector.core.detect.UnbilledUsageDetector;
import io.leakdetector.core.detect.UsageRevenueGapDetector;
import io.leakdetector.core.evaluate.TruthFile;
import io.leakdetector.core.evaluate.TruthRow;
import io.leakdetector.core.ml.FindingFeatures;
import io.leakdetector.core.ml.LayeredScore;
import io.leakdetector.core.ml.SupervisedEvaluation;
import io.leakdetector.core.ml.SupervisedParams;
import io.leakdetector.core.ml.features.BillingData;
import io.leakdetector.core.ml.xgboost.XgboostLearner;
import io.leakdetector.core.scan.DataDirectoryLoader;
import io.leakdetector.core.scan.LoadedData;
import io.leakdetector.core.scan.Scanner;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code leak-detector ml-eval}: does the supervised model re-rank better than the unsupervised layers? (no Spring) */
@Command(name = "ml-eval", mixinStandardHelpOptions = true,
        description = {"Scans a generated data directory (rules + the Isolation Forest's most unusual invoices as ANOMALY "
                + "candidates), labels a random share of the candidates from truth.csv as an analyst would (in the truth: "
                + "confirmed, else dismissed), trains the supervised model on them and prints the precision of the top "
                + "10 %% and the ROC-AUC of the unlabelled rest, ranked by the unsupervised score and by the final score "
                + "(docs/ml.md). Exit code 2 on unreadable input or when the labels hold one class only."})
public final class SupervisedEvalCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "data directory written by generate")
    Path dir;

    @Option(names = "--truth", description = "truth file (default DIR/truth.csv)")
    Path truth;

    @Option(names = "--label-share", defaultValue = "0.3", description = "share of candidates labelled (default 0.3)")
    double labelShare;

    @Option(names = "--candidates", defaultValue = "300", description = "ANOMALY candidates added to the rule findings (default 300)")
    int candidates;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the labelled sample (default 1)")
    long seed;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--untuned", description = "run the rules with untuned settings (no grace, no tolerance, no arrears, "
            + "a loose revenue-gap threshold) so that they raise false alarms on the generator's look-alikes")
    boolean untuned;

    @Option(names = "--wide-forest", description = "pick the ANOMALY candidates with a forest over all 43 invoice features "
            + "instead of the ANOMALY pass's nine (more look-alikes among them)")
    boolean wideForest;

    /**
     * The rule settings of a company that has not tuned anything yet: no grace period or tolerance, usage judged
     * without arrears, a revenue gap at 60 % of the norm, overlapping gap findings kept. On generated worlds they
     * flag the look-alikes (retries still pending, a month's overage not invoiced yet, cheap tiers, short seat
     * spikes) next to the real leaks, which is what analysts' labels are for.
     */
    static DetectorsConfig untunedRules() {
        DetectorsConfig d = DetectorsConfig.DEFAULTS;
        return new DetectorsConfig(new FailedPaymentDetector.Config(0, 0), d.duplicateBilling(), d.priceMismatch(),
                d.expiredDiscount(), new UnbilledUsageDetector.Config(0, 0, 0), new MissedInvoiceDetector.Config(0, 0.2),
                new UnbilledServiceDetector.Config(0, 0), new SilentChurnDetector.Config(1, 0, 0), d.refundAnomaly(),
                d.expiringPaymentMethod(), d.legacyPrice(), new UsageRevenueGapDetector.Config(0.6, 30, 0.2, 0), d.risk(), false);
    }

    @Override
    public Integer call() {
        Path truthFile = truth != null ? truth : dir.resolve("truth.csv");
        if (!Files.isDirectory(dir) || !Files.isRegularFile(truthFile)) {
            System.err.println("error: " + (!Files.isDirectory(dir) ? dir + ": no such directory" : truthFile + ": no such file"));
            return 2;
        }
        if (!(labelShare > 0 && labelShare < 1) || candidates < 0) {
            System.err.println("error: --label-share must be in (0, 1) and --candidates not negative");
            return 2;
        }
        try {
            List<TruthRow> rows = TruthFile.read(truthFile);
            Set<String> subjects = new HashSet<>();
            for (TruthRow t : rows) subjects.add(t.subject());
            int threads = Runtime.getRuntime().availableProcessors();
            LoadedData loaded = DataDirectoryLoader.load(dir, threads);
            Scanner.Result scan = new Scanner(untuned ? DetectionEngine.of(untunedRules()) : DetectionEngine.standard(), threads).scan(loaded, null, null);
            BillingData data = BillingData.of(loaded);
            Instant at = scan.asOf();
            List<FindingFeatures.Candidate> c = SupervisedEvaluation.candidates(data, scan.findings(), candidates, at,
                    wideForest ? io.leakdetector.core.ml.features.BillingFeatures.INVOICE_FEATURES : io.leakdetector.core.ml.AnomalyScan.FEATURES);
            SupervisedEvaluation.Report report = SupervisedEvaluation.run(data, c, subjects, labelShare, seed,
                    new XgboostLearner(), SupervisedParams.DEFAULTS, LayeredScore.DEFAULT);
            System.out.print(json ? report.toJson() + "\n" : report.toText());
            return 0;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }
}
