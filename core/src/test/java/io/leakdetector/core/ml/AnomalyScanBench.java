package io.leakdetector.core.ml;

import io.leakdetector.core.ml.features.BillingData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** Recall and precision of the ANOMALY pass's top N against a generated world's truth (evaluation, not a test). */
public final class AnomalyScanBench {
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        Set<String> truth = new HashSet<>();
        for (String line : Files.readAllLines(dir.resolve("truth.csv"))) {
            String[] f = line.split(",");
            if (f.length > 1 && f[1].equals("ANOMALY")) truth.add(f[0]);
        }
        BillingData data = BillingData.read(dir);
        AnomalyScan.Result r = AnomalyScan.scan(data, truth.size() * 3, IsolationForestParams.defaults(), Instant.EPOCH);
        for (int n : new int[] {truth.size() / 2, truth.size(), (int) (truth.size() * 1.25), truth.size() * 2}) {
            int hits = 0;
            for (int i = 0; i < n; i++) if (truth.contains(r.features().subjects().get(r.ranking()[i]))) hits++;
            System.out.printf("top %d: hits %d, precision %.3f, recall %.3f (truth %d, invoices %d)%n", n, hits,
                    hits / (double) n, hits / (double) truth.size(), truth.size(), r.scores().length);
        }
        for (int i = 0; i < Math.min(12, r.findings().size()); i++) {
            String subj = r.findings().get(i).subject();
            System.out.println((truth.contains(subj) ? "T " : "- ") + subj + " " + r.findings().get(i).explanation());
        }
    }
}
