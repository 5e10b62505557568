package io.leakdetector.core.scan;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Confidence;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.finding.FindingsFile;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the IBM Telco customer churn CSV (someone else's file, docs/telco.md) as expected-versus-billed revenue:
 * expected = tenure × MonthlyCharges, billed = TotalCharges, gap = expected − billed. A shortfall above the
 * tolerance (default 15 % of expected, see docs/telco.md for why) becomes a USAGE_REVENUE_GAP finding on
 * {@code customer:<customerID>}; blank TotalCharges with tenure 0 are customers not billed yet, not gaps.
 */
public final class TelcoMapping {
    /** Relative shortfall tolerated as price changes over the tenure: about the 98th percentile of |gap| ÷ expected (docs/telco.md). */
    public static final double DEFAULT_TOLERANCE = 0.15;
    private static final Currency USD = Currencies.of("USD");

    private TelcoMapping() {}

    /** One customer row read as expected and billed revenue. */
    public record Row(String customerId, long line, int tenure, Money monthly, Money total, String contract, String churn) {
        Money expected() {
            return monthly.times(tenure);
        }
    }

    /** Counts and the findings of a Telco scan. */
    public record Result(ScanSummary summary, List<Finding> findings, int rows, int blankTotalNewCustomers, int rejected,
                         int exact, int shortfallsWithinTolerance, int surplusesBeyondTolerance, List<String> rejections) {
        /** A few lines for the console: what was read and the largest gaps. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "telco: %d rows, %d blank TotalCharges with tenure 0 (not billed yet), %d rejected, "
                            + "%d billed exactly tenure × MonthlyCharges, %d shortfalls within tolerance, %d surpluses beyond it (the price-change baseline)%n",
                    rows, blankTotalNewCustomers, rejected, exact, shortfallsWithinTolerance, surplusesBeyondTolerance));
            findings.stream().limit(5).forEach(f -> sb.append("  ").append(f.subject()).append(' ')
                    .append(f.amountOneTime().format()).append(": ").append(f.explanation()).append('\n'));
            return sb.toString();
        }
    }

    public static List<Row> read(Path file, List<String> rejections) {
        List<Row> rows = new ArrayList<>();
        String name = file.getFileName().toString();
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ignoreDifferentFieldCount(true).skipEmptyLines(true)
                .detectBomHeader(true).ofCsvRecord(file, StandardCharsets.UTF_8)) {
            Map<String, Integer> col = null;
            for (CsvRecord r : csv) {
                if (col == null) {
                    col = new HashMap<>();
                    for (int i = 0; i < r.getFieldCount(); i++) col.put(r.getField(i).trim(), i);
                    for (String need : List.of("customerID", "tenure", "MonthlyCharges", "TotalCharges")) {
                        if (!col.containsKey(need)) throw new IllegalArgumentException(name + ": header lacks column " + need);
                    }
                    continue;
                }
                long line = r.getStartingLineNumber();
                try {
                    String id = field(r, col, "customerID");
                    int tenure = Integer.parseInt(field(r, col, "tenure"));
                    if (tenure < 0) throw new IllegalArgumentException("tenure must not be negative");
                    Money monthly = Money.parse(field(r, col, "MonthlyCharges"), USD);
                    String tc = field(r, col, "TotalCharges");
                    Money total = tc.isEmpty() ? null : Money.parse(tc, USD);
                    rows.add(new Row(id, line, tenure, monthly, total, optional(r, col, "Contract"), optional(r, col, "Churn")));
                } catch (IllegalArgumentException e) {
                    rejections.add(name + ":" + line + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }

    private static String field(CsvRecord r, Map<String, Integer> col, String name) {
        int i = col.get(name);
        String v = i < r.getFieldCount() ? r.getField(i).trim() : "";
        if (v.isEmpty() && !name.equals("TotalCharges")) throw new IllegalArgumentException(name + " is required");
        return v;
    }

    private static String optional(CsvRecord r, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null || i >= r.getFieldCount() ? null : r.getField(i).trim();
    }

    /** Reads {@code file}, writes the findings to {@code out} (if not null) and summarises. */
    public static Result scan(Path file, Path out, double tolerance, Instant asOf) {
        List<String> rejections = new ArrayList<>();
        List<Row> rows = read(file, rejections);
        // the file has no dates: findings are detected now unless --as-of says otherwise
        Instant at = asOf != null ? asOf : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String src = file.getFileName().toString();
        List<Finding> findings = new ArrayList<>();
        int blank = 0, exact = 0, within = 0, surplus = 0;
        for (Row r : rows) {
            if (r.total() == null) {
                if (r.tenure() == 0) {
                    blank++;
                    continue;
                }
                // billed nothing after months of service: the whole expected amount is the gap
            }
            Money expected = r.expected();
            Money billed = r.total() == null ? Money.zero(USD) : r.total();
            Money gap = expected.minus(billed);
            if (gap.isZero()) {
                exact++;
                continue;
            }
            double rel = expected.isZero() ? 0 : gap.minor() / (double) expected.minor();
            if (rel < 0) {
                if (-rel > tolerance) surplus++;
                continue;
            }
            if (rel <= tolerance) {
                within++;
                continue;
            }
            findings.add(finding(r, src, expected, billed, gap, rel, tolerance, at));
        }
        findings.sort(Comparator.comparing((Finding f) -> f.amountOneTime().minor()).reversed());
        ScanSummary summary = new ScanSummary(at, rows.size(), rows.size() + rejections.size(), rejections.size(),
                rejections.isEmpty() ? Map.of() : Map.of(src, (long) rejections.size()));
        for (Finding f : findings) summary.add(f);
        if (out != null) FindingsFile.write(out, findings);
        return new Result(summary, findings, rows.size(), blank, rejections.size(), exact, within, surplus,
                rejections.size() > 20 ? rejections.subList(0, 20) : rejections);
    }

    private static Finding finding(Row r, String src, Money expected, Money billed, Money gap, double rel, double tolerance,
                                   Instant at) {
        // the gap in months of the current charge: a few months of a lower price explain small gaps, not large ones
        BigDecimal months = r.monthly().isZero() ? BigDecimal.ZERO
                : BigDecimal.valueOf(gap.minor()).divide(BigDecimal.valueOf(r.monthly().minor()), 1, RoundingMode.HALF_EVEN);
        double beyond = (rel - tolerance) / Math.max(1e-9, 1 - tolerance);
        double score = Math.min(0.84, 0.45 + beyond * 1.5); // a statistical gap, never high confidence
        String line = src + ":" + r.line();
        String expl = String.format(Locale.ROOT, "Customer %s has been billed %s over %d months (TotalCharges) but %d × the "
                        + "current %s (MonthlyCharges) is %s: %s (%.0f %%, %s months of the current charge) below, more than the %.0f %% "
                        + "that price changes over a tenure explain.", r.customerId(), billed.format(), r.tenure(), r.tenure(),
                r.monthly().format(), expected.format(), gap.format(), rel * 100, months.toPlainString(), tolerance * 100);
        List<Evidence> ev = List.of(new Evidence("billed total close to tenure × monthly charge",
                expected.format() + " (" + r.tenure() + " × " + r.monthly().format() + "), tolerance " + Math.round(tolerance * 100) + " %",
                billed.format() + " billed" + (r.contract() == null ? "" : ", contract " + r.contract())
                        + (r.churn() == null ? "" : ", churn " + r.churn()), List.of(line)));
        return new Finding(DetectionEngine.findingId(Category.USAGE_REVENUE_GAP, "customer:" + r.customerId()),
                Category.USAGE_REVENUE_GAP, Kind.LEAK, "customer:" + r.customerId(), r.customerId(), gap, Money.zero(USD), USD,
                Math.round(score * 1000) / 1000.0, Confidence.ofScore(score), at, ev, expl,
                "Compare customer " + r.customerId() + "'s invoices with its plan history: if the monthly charge was never lower, bill the "
                        + gap.format() + " difference; if it was, record the price change.",
                FindingStatus.OPEN, List.of(Category.USAGE_REVENUE_GAP.name()));
    }
}
