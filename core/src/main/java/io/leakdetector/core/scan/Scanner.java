package io.leakdetector.core.scan;

import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.detect.DetectionContext;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.PriceBook;
import io.leakdetector.core.detect.RiskAssessment;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.detect.SegmentNorms;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;

/**
 * A batch scan: read a data directory, group it by customer, compute the segment norms, run the detection engine
 * on every customer in parallel, write the findings (in customer order, highest score first within a customer)
 * and summarise them. No server, no database.
 */
public final class Scanner {
    /** The outcome: findings written, the summary, and the load's orphan and duplicate counts. */
    public record Result(ScanSummary summary, List<ScoredFinding> findings, long orphans, long duplicates, Instant asOf,
                         List<io.leakdetector.core.ingest.Rejection> firstRejections) {}

    private final DetectionEngine engine;
    private final int threads;
    private final Pass after;

    /**
     * A pass over the billing records ({@link LoadedData#billingOnly()}) that runs after the rule detectors and knows
     * their findings, e.g. the ML layer's ANOMALY pass ({@code io.leakdetector.core.ml.AnomalyScan#AFTER_RULES}); its
     * findings are appended. A pass may instead split itself around the rule pass ({@link #split}).
     */
    @FunctionalInterface
    public interface Pass {
        List<Finding> run(LoadedData data, List<Finding> ruleFindings, Instant asOf);

        /**
         * This pass split around the rule pass, for a pass that can take its per-customer part from the histories the
         * rule detectors judge: a scan asks for it once the data is grouped into {@code customers} customers. Null (the
         * default): the scan calls {@link #run} after the rules.
         */
        default Split split(LoadedData data, int customers, Instant asOf) {
            return null;
        }
    }

    /** A {@link Pass} whose per-customer part runs inside the rule pass, on the histories the detectors judge. */
    public interface Split {
        /** Takes the history of customer {@code c}: called once per customer, from several threads at once. */
        void customer(int c, CustomerHistory history);

        /** The pass's findings, once every customer was taken, given the rule findings. */
        List<Finding> finish(List<Finding> ruleFindings);
    }

    /** A scan with the rule detectors only. */
    public Scanner(DetectionEngine engine, int threads) {
        this(engine, threads, null);
    }

    /** A scan with the rule detectors, then {@code after} (null: none). */
    public Scanner(DetectionEngine engine, int threads, Pass after) {
        this.engine = engine;
        this.threads = Math.max(1, threads);
        this.after = after;
    }

    /** Scans {@code dir}; {@code asOf} null means the latest event time in the data. Writes to {@code out} if given. */
    public Result scan(Path dir, Instant asOf, Path out) {
        long t0 = System.nanoTime();
        Held held = new Held(DataDirectoryLoader.load(dir, threads));
        timings.put("read", (System.nanoTime() - t0) / 1_000_000);
        return scan(held, asOf, out);
    }

    private final Map<String, Long> timings = new LinkedHashMap<>();

    /**
     * Milliseconds per phase of the last scan (read, group, norms, detect, after, write), for the benchmark. With a
     * split pass after the rules, "split" is its preparation before the rule pass, its per-customer part is inside
     * "detect" and "after" is its finish; "write" includes "after", during which the rule findings are written.
     */
    public Map<String, Long> timings() {
        return timings;
    }

    public Result scan(LoadedData data, Instant asOf, Path out) {
        return scan(new Held(data), asOf, out);
    }

    /**
     * The data of one scan, held in one place so that a scan that read it itself can let go of what the pass after
     * the rules does not read (the daily app accounts are the largest file) before that pass allocates its own.
     */
    private static final class Held {
        LoadedData data;

        Held(LoadedData data) {
            this.data = data;
        }
    }

    /** The rule findings per customer, in customer order, with the grouping's counts and the split pass after them. */
    private record Detected(List<ScoredFinding>[] perCustomer, int customers, long orphans, long duplicates, Split split) {}

    private Result scan(Held held, Instant asOf, Path out) {
        LoadedData data = held.data;
        Instant at = asOf != null ? asOf : data.latestEvent();
        if (at == null) at = Instant.EPOCH;
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            Detected detected = detect(data, at, pool);
            long t2 = System.nanoTime();
            Map<String, Long> rejected = new LinkedHashMap<>();
            data.files().values().forEach(f -> {
                if (f.rejected() > 0) rejected.put(f.file(), f.rejected());
            });
            ScanSummary summary = new ScanSummary(at, detected.customers(), data.readRows(), data.rejectedRows(), rejected);
            List<io.leakdetector.core.ingest.Rejection> rejections = new ArrayList<>();
            data.files().values().forEach(f -> rejections.addAll(f.firstRejections()));
            List<ScoredFinding> ruleFindings = new ArrayList<>();
            for (List<ScoredFinding> l : detected.perCustomer()) if (l != null) ruleFindings.addAll(l);
            // The rule findings come first in the file: they are written (and summarised) on the scan's pool while the
            // pass after the rules runs, whose findings follow them once both are done. The file is written beside
            // `out` and moved there at the end, so a pass that fails leaves no partial file (nor replaces one).
            Path partial = out == null ? null : partial(out);
            Result result;
            try (FindingsFile.FindingsWriter w = out == null ? null : FindingsFile.writer(partial)) {
                ForkJoinTask<?> writing = pool.submit(() -> write(ruleFindings, w, summary));
                List<ScoredFinding> more = new ArrayList<>();
                try {
                    if (after != null) {
                        long ta = System.nanoTime();
                        LoadedData billing = detected.split() == null ? data.billingOnly() : null;
                        data = null;
                        held.data = null;
                        List<Finding> rules = new ArrayList<>(ruleFindings.size());
                        for (ScoredFinding f : ruleFindings) rules.add(f.finding());
                        List<Finding> found = detected.split() != null ? detected.split().finish(rules) : after.run(billing, rules, at);
                        for (Finding f : found) more.add(new ScoredFinding(f, new RiskAssessment(f.score() * 100, List.of())));
                        timings.put("after", (System.nanoTime() - ta) / 1_000_000);
                    }
                } finally {
                    writing.join(); // the file is closed only once the rule findings are in it
                }
                write(more, w, summary);
                List<ScoredFinding> all = new ArrayList<>(ruleFindings.size() + more.size());
                all.addAll(ruleFindings);
                all.addAll(more);
                result = new Result(summary, all, detected.orphans(), detected.duplicates(), at, rejections);
            } catch (RuntimeException | Error e) {
                if (partial != null) deleteQuietly(partial);
                throw e;
            }
            if (partial != null) moveInPlace(partial, out);
            timings.put("write", (System.nanoTime() - t2) / 1_000_000);
            return result;
        } finally {
            pool.shutdown();
        }
    }

    /** Where the findings for {@code out} are written first: a hidden name beside it, in the same format. */
    static Path partial(Path out) {
        String name = out.getFileName().toString();
        return out.resolveSibling("." + name + ".partial" + (FindingsFile.isCsv(out) ? ".csv" : ""));
    }

    private static void moveInPlace(Path partial, Path out) {
        try {
            try {
                Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the scan's own failure is what is reported
        }
    }

    /** Writes {@code findings} in order to {@code w} (null: no file) and adds them to {@code summary}. */
    private static void write(List<ScoredFinding> findings, FindingsFile.FindingsWriter w, ScanSummary summary) {
        for (ScoredFinding f : findings) {
            if (w != null) w.add(f.finding());
            summary.add(f.finding());
        }
    }

    /** Groups by customer, computes the segment norms, runs the engine on every customer; the histories die with it. */
    private Detected detect(LoadedData data, Instant at, ForkJoinPool pool) {
        long t0 = System.nanoTime();
        CustomerGrouping groups = new CustomerGrouping(data);
        timings.put("group", (System.nanoTime() - t0) / 1_000_000);
        PriceBook prices = new PriceBook(data.prices());
        int n = groups.size();
        // histories of customers with usage are built once: for the norms, then kept for detection
        CustomerHistory[] kept = new CustomerHistory[n];
        SegmentNorms norms = pool.submit(() -> IntStream.range(0, n).parallel().filter(groups::hasUsage)
                .mapToObj(c -> kept[c] = groups.history(c))
                .collect(() -> new SegmentNorms.Builder(at), SegmentNorms.Builder::add, SegmentNorms.Builder::merge)
                .build()).join();
        timings.put("norms", (System.nanoTime() - t0) / 1_000_000 - timings.get("group"));
        long tp = System.nanoTime();
        Split split = after != null ? after.split(data, n, at) : null;
        if (split != null) timings.put("split", (System.nanoTime() - tp) / 1_000_000);
        long t1 = System.nanoTime();
        Instant dataStart = null;
        for (var inv : data.invoices()) {
            Instant s = inv.periodStart() != null && inv.periodStart().isBefore(inv.createdAt()) ? inv.periodStart() : inv.createdAt();
            if (dataStart == null || s.isBefore(dataStart)) dataStart = s;
        }
        DetectionContext ctx = new DetectionContext(at, prices, norms, dataStart);
        @SuppressWarnings("unchecked") List<ScoredFinding>[] per = new List[n];
        pool.submit(() -> IntStream.range(0, n).parallel().forEach(c -> {
            CustomerHistory h = kept[c] != null ? kept[c] : groups.history(c);
            kept[c] = null;
            per[c] = engine.run(h, ctx);
            if (split != null) split.customer(c, h);
        })).join();
        timings.put("detect", (System.nanoTime() - t1) / 1_000_000);
        return new Detected(per, n, groups.orphans(), groups.duplicates(), split);
    }
}
