package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Confidence;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.finding.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs every rule detector on one customer, scores what they found (risk layer) and returns findings: one per
 * subject and category, with every category that hit the same subject in {@code matchedRules} (its own first,
 * then the others by score). Stateless and thread-safe: batch scans and real-time updates call the same method.
 */
public final class DetectionEngine {
    private final List<Detector> detectors;
    private final RiskScorer scorer;
    private final boolean suppressExplainedGaps;

    public DetectionEngine(List<Detector> detectors, RiskScorer scorer, boolean suppressExplainedGaps) {
        this.detectors = List.copyOf(detectors);
        this.scorer = scorer;
        this.suppressExplainedGaps = suppressExplainedGaps;
    }

    /** Every rule detector of DESIGN.md §5 (ANOMALY is the ML layer's) with the given configuration. */
    public static DetectionEngine of(DetectorsConfig c) {
        return new DetectionEngine(List.of(
                new FailedPaymentDetector(c.failedPayment()), new DuplicateBillingDetector(c.duplicateBilling()),
                new PriceMismatchDetector(c.priceMismatch()), new ExpiredDiscountDetector(c.expiredDiscount()),
                new UnbilledUsageDetector(c.unbilledUsage()), new MissedInvoiceDetector(c.missedInvoice()),
                new UnbilledServiceDetector(c.unbilledService()), new SilentChurnDetector(c.silentChurn()),
                new RefundAnomalyDetector(c.refundAnomaly()), new ExpiringPaymentMethodDetector(c.expiringPaymentMethod()),
                new LegacyPriceDetector(c.legacyPrice()), new UsageRevenueGapDetector(c.usageRevenueGap())),
                new RiskScorer(c.risk()), c.suppressExplainedGaps());
    }

    public static DetectionEngine standard() {
        return of(DetectorsConfig.DEFAULTS);
    }

    public List<Detector> detectors() {
        return detectors;
    }

    /** All findings on one customer at {@code ctx.asOf()}, highest score first. */
    public List<ScoredFinding> run(CustomerHistory h, DetectionContext ctx) {
        List<Detection> all = new ArrayList<>();
        for (Detector d : detectors) all.addAll(detect(d, h, ctx));
        return findings(all, h, ctx);
    }

    /**
     * What one of this engine's detectors finds on one customer. With {@link #findings} this is {@link #run} in two
     * steps, so that a caller that kept each detector's detections (the real-time path) re-runs only the detectors
     * an event can affect and still gets exactly what {@code run} would return.
     */
    public List<Detection> detect(Detector d, CustomerHistory h, DetectionContext ctx) {
        try {
            return d.detect(h, ctx);
        } catch (RuntimeException e) {
            throw new IllegalStateException(d.getClass().getSimpleName() + " failed on customer " + h.customerId()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Merges, scores and ranks the detections of every detector on one customer (in this engine's detector
     * order): one finding per subject and category, highest score first.
     */
    public List<ScoredFinding> findings(List<Detection> detections, CustomerHistory h, DetectionContext ctx) {
        List<Detection> all = detections;
        if (all.isEmpty()) return List.of();
        if (suppressExplainedGaps) all = suppressExplained(all, h);
        // one detection per subject and category
        Map<String, Detection> merged = new LinkedHashMap<>();
        for (Detection d : all) merged.merge(d.category() + "|" + d.subject(), d, DetectionEngine::combine);
        List<Scored> scored = new ArrayList<>(merged.size());
        for (Detection d : merged.values()) scored.add(new Scored(d, scorer.score(d, h)));
        Map<String, List<Scored>> bySubject = new HashMap<>();
        for (Scored s : scored) bySubject.computeIfAbsent(s.d.subject(), k -> new ArrayList<>()).add(s);
        List<ScoredFinding> out = new ArrayList<>(scored.size());
        for (Scored s : scored) {
            List<Scored> same = bySubject.get(s.d.subject());
            List<String> matched = new ArrayList<>(same.size());
            matched.add(s.d.category().name());
            same.stream().filter(o -> o != s).sorted((a, b) -> Double.compare(b.risk.score(), a.risk.score()))
                    .forEach(o -> matched.add(o.d.category().name()));
            out.add(new ScoredFinding(toFinding(s.d, s.risk, ctx, matched), s.risk));
        }
        out.sort((a, b) -> Double.compare(b.finding().score(), a.finding().score()));
        return out;
    }

    private record Scored(Detection d, RiskAssessment risk) {}

    private static Finding toFinding(Detection d, RiskAssessment risk, DetectionContext ctx, List<String> matched) {
        double score = risk.unit();
        return new Finding(findingId(d.category(), d.subject()), d.category(), d.kind(), d.subject(), d.customerId(),
                d.amountOneTime(), d.amountMonthlyRecurring(), d.amountOneTime().currency(), score, Confidence.ofScore(score),
                ctx.asOf(), d.evidence(), d.explanation(), d.recommendedAction(), FindingStatus.OPEN, matched);
    }

    /** Deterministic id: the same category and subject always give the same id, whoever scans. */
    public static String findingId(Category category, String subject) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((category.name() + "|" + subject).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder("f_");
            for (int i = 0; i < 8; i++) sb.append(Character.forDigit((h[i] >> 4) & 0xf, 16)).append(Character.forDigit(h[i] & 0xf, 16));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Detection combine(Detection a, Detection b) {
        List<Evidence> ev = new ArrayList<>(a.evidence());
        ev.addAll(b.evidence());
        List<Detection.Signal> sig = a.signals().size() >= b.signals().size() ? a.signals() : b.signals();
        Kind kind = a.kind();
        return new Detection(a.category(), kind, a.rule() + "+" + b.rule(), a.subject(), a.customerId(),
                a.amountOneTime().plus(b.amountOneTime()), a.amountMonthlyRecurring().plus(b.amountMonthlyRecurring()), ev,
                a.explanation() + " Also: " + b.explanation(), a.recommendedAction(), sig);
    }

    /** Drops revenue gaps of customer-months that a precise leak rule already explains. */
    private static List<Detection> suppressExplained(List<Detection> all, CustomerHistory h) {
        boolean anyGap = false;
        for (Detection d : all) if (d.category() == Category.USAGE_REVENUE_GAP) anyGap = true;
        if (!anyGap) return all;
        Map<String, YearMonth> invoiceMonth = new HashMap<>();
        for (Invoice i : h.invoices()) invoiceMonth.put(i.id(), Periods.month(Billing.periodStart(i)));
        Set<YearMonth> explained = new HashSet<>();
        for (Detection d : all) {
            if (d.category() == Category.USAGE_REVENUE_GAP || d.kind() != Kind.LEAK) continue;
            YearMonth m = monthOf(d.subject(), invoiceMonth);
            if (m != null) {
                explained.add(m);
                explained.add(m.minusMonths(1)); // usage of a month is billed on the next month's invoice
            }
        }
        List<Detection> out = new ArrayList<>(all.size());
        for (Detection d : all) {
            if (d.category() == Category.USAGE_REVENUE_GAP && explained.contains(monthOf(d.subject(), invoiceMonth))) continue;
            out.add(d);
        }
        return out;
    }

    private static YearMonth monthOf(String subject, Map<String, YearMonth> invoiceMonth) {
        int at = subject.lastIndexOf('@');
        if (at > 0) return YearMonth.parse(subject.substring(at + 1));
        if (subject.startsWith("invoice:")) return invoiceMonth.get(subject.substring(8));
        return null;
    }
}
