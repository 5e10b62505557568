package io.leakdetector.app.scan;

import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.DetectorsConfig;
import io.leakdetector.core.ingest.FileFormatException;
import io.leakdetector.core.ingest.Values;
import io.leakdetector.core.ml.AnomalyScan;
import io.leakdetector.core.scan.Scanner;
import io.leakdetector.core.scan.TelcoMapping;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scan DIR --out FILE}: reads a data directory straight from CSV, runs every rule detector and the ANOMALY
 * pass and writes the findings (CSV or JSON Lines by extension) with a summary. No server, no database, no Spring.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Scan a data directory (customers.csv, invoices.csv, …) for revenue leaks and write the findings.",
                "With --telco FILE, scan the IBM Telco churn CSV for expected-versus-billed gaps instead."})
public final class ScanCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the data directory")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", description = "findings file: .csv for CSV, anything else (.jsonl) for JSON Lines")
    Path out;

    @Option(names = "--as-of", paramLabel = "DATE", description = "judge the data as of this time (2026-03-01 or an ISO instant); default: the latest event in the data")
    String asOf;

    @Option(names = "--json", description = "print the summary as one JSON object")
    boolean json;

    @Option(names = "--threads", description = "reader and detector threads (default: available processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--grace-days", description = "FAILED_PAYMENT grace period in days (default ${DEFAULT-VALUE})")
    int graceDays = 14;

    @Option(names = "--timings", description = "print the milliseconds of each phase to stderr")
    boolean timings;

    @Option(names = "--telco", paramLabel = "FILE", description = "scan the IBM Telco customer churn CSV (see docs/telco.md)")
    Path telco;

    @Option(names = "--telco-tolerance", paramLabel = "SHARE", description = "Telco: relative gap tolerated as price changes (default ${DEFAULT-VALUE})")
    double telcoTolerance = TelcoMapping.DEFAULT_TOLERANCE;

    @Option(names = "--no-anomalies", description = "rule detectors only: skip the ML layer's ANOMALY pass (Isolation Forest over the invoices)")
    boolean noAnomalies;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outW = spec.commandLine().getOut();
        Instant at;
        try {
            at = asOf == null ? null : Values.instant(asOf);
        } catch (IllegalArgumentException e) {
            err.println("error: --as-of: " + e.getMessage());
            return 2;
        }
        if (out == null) {
            err.println("error: --out FILE is required");
            return 2;
        }
        try {
            if (telco != null) {
                if (!Files.isRegularFile(telco)) {
                    err.println("error: " + telco + " is not a file");
                    return 2;
                }
                TelcoMapping.Result r = TelcoMapping.scan(telco, out, telcoTolerance, at);
                outW.println(json ? r.summary().toJsonString() : r.summary().toText() + r.describe());
                outW.flush();
                return 0;
            }
            if (dir == null || !Files.isDirectory(dir)) {
                err.println("error: " + (dir == null ? "DIR is required" : dir + " is not a directory"));
                return 2;
            }
            DetectionEngine engine = DetectionEngine.of(DetectorsConfig.DEFAULTS.withGraceDays(graceDays));
            Scanner scanner = new Scanner(engine, threads, noAnomalies ? null : AnomalyScan.AFTER_RULES);
            Scanner.Result r = scanner.scan(dir, at, out);
            if (timings) err.println("timings (ms): " + scanner.timings());
            if (json) {
                var m = r.summary().toJson();
                m.put("orphan_rows", r.orphans());
                m.put("duplicate_rows", r.duplicates());
                m.put("first_rejections", r.firstRejections().stream().limit(20).map(x -> x.describe()).toList());
                m.put("out", out.toString());
                outW.println(io.leakdetector.core.util.Json.write(m));
            } else {
                outW.print(r.summary().toText());
                if (r.orphans() > 0) outW.println("  " + r.orphans() + " rows reference an unknown invoice, payment or subscription (skipped)");
                if (r.duplicates() > 0) outW.println("  " + r.duplicates() + " repeated rows kept once");
                r.firstRejections().stream().limit(10).forEach(x -> outW.println("  rejected " + x.describe()));
                outW.println("findings written to " + out);
            }
            outW.flush();
            return 0;
        } catch (FileFormatException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }
}
