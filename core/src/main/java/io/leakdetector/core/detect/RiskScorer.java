package io.leakdetector.core.detect;

import io.leakdetector.core.detect.Detection.Signal;
import io.leakdetector.core.domain.Dispute;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.money.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layer 2 of DESIGN.md §6: a weighted sum of signals, 0–100, with a reason per signal. Detectors supply
 * rule certainty, margin and persistence; the scorer adds the money at stake against the customer's usual invoice
 * and the customer's payment history. Signals without a weight are ignored; weights need not add up to 1.
 */
public final class RiskScorer {
    /** Weights per signal name (documented defaults in {@link #DEFAULT_WEIGHTS}). */
    public record Config(Map<String, Double> weights) {
        public Config {
            weights = Map.copyOf(weights);
            for (var e : weights.entrySet()) {
                if (e.getValue() == null || e.getValue() < 0 || e.getValue().isNaN()) {
                    throw new IllegalArgumentException("weight of " + e.getKey() + " must be ≥ 0");
                }
            }
        }

        public static final Config DEFAULTS = new Config(DEFAULT_WEIGHTS);
    }

    /** rule_certainty 0.55, margin 0.15, persistence 0.15, amount_at_stake 0.10, customer_history 0.05. */
    public static final Map<String, Double> DEFAULT_WEIGHTS = defaults();

    private static Map<String, Double> defaults() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(Signals.RULE_CERTAINTY, 0.55);
        m.put(Signals.MARGIN, 0.15);
        m.put(Signals.PERSISTENCE, 0.15);
        m.put(Signals.AMOUNT_AT_STAKE, 0.10);
        m.put(Signals.CUSTOMER_HISTORY, 0.05);
        return m;
    }

    private final Config config;

    public RiskScorer(Config config) {
        this.config = config;
    }

    public RiskScorer() {
        this(Config.DEFAULTS);
    }

    public Config config() {
        return config;
    }

    /** Scores one detection in the light of its customer's history. */
    public RiskAssessment score(Detection d, CustomerHistory h) {
        List<Signal> signals = new ArrayList<>(d.signals());
        signals.add(amountAtStake(d, h));
        signals.add(history(h));
        List<RiskFactor> factors = new ArrayList<>();
        double sum = 0, weights = 0;
        for (Signal s : signals) {
            Double w = config.weights().get(s.name());
            if (w == null || w == 0) continue;
            factors.add(new RiskFactor(s.name(), s.value(), w, s.reason()));
            sum += w * s.value();
            weights += w;
        }
        double score = weights == 0 ? 0 : 100 * sum / weights;
        return new RiskAssessment(Math.round(score * 10) / 10.0, factors);
    }

    private static Signal amountAtStake(Detection d, CustomerHistory h) {
        Money stake = d.amountOneTime().plus(d.amountMonthlyRecurring().times(12)); // a year of recurring leak, for ranking only
        long[] totals = h.positiveInvoiceTotals(stake.currency()); // sorted once per history, not once per detection
        if (totals.length == 0) return new Signal(Signals.AMOUNT_AT_STAKE, 0.5, stake.format() + " at stake; no invoices to compare with");
        long median = totals[totals.length / 2];
        double ratio = stake.minor() / (double) Math.max(1, median);
        double v = Math.min(1, 0.3 + 0.35 * Math.log10(1 + ratio * 9)); // 1× the usual invoice → 0.65, 10× → 1
        return new Signal(Signals.AMOUNT_AT_STAKE, v, stake.format() + " at stake (one-time + 12 × monthly), "
                + oneDecimal(ratio) + "× the customer's median invoice " + new Money(median, stake.currency()).format());
    }

    /**
     * {@code String.format(Locale.ROOT, "%.1f", v)} without a {@code Formatter} per call (its locale look-ups were two
     * thirds of the risk score's time): the formatter rounds the shortest decimal digits of {@code v} (those of
     * {@link Double#toString}) half up, and so does this.
     */
    static String oneDecimal(double v) {
        if (!Double.isFinite(v)) return String.format(java.util.Locale.ROOT, "%.1f", v);
        String digits = new java.math.BigDecimal(Double.toString(Math.abs(v))).setScale(1, java.math.RoundingMode.HALF_UP).toPlainString();
        return Double.compare(v, 0.0) < 0 ? "-" + digits : digits;
    }

    /** The customer-history signal of the last history scored on this thread: the same for all its detections. */
    private record LastHistory(CustomerHistory h, Signal signal) {}

    private static final ThreadLocal<LastHistory> LAST_HISTORY = new ThreadLocal<>();

    private static Signal history(CustomerHistory h) {
        LastHistory last = LAST_HISTORY.get();
        if (last != null && last.h() == h) return last.signal();
        Signal s = computeHistory(h);
        LAST_HISTORY.set(new LastHistory(h, s));
        return s;
    }

    private static Signal computeHistory(CustomerHistory h) {
        int failed = 0, total = 0;
        for (Payment p : h.payments()) {
            total++;
            if (p.status() == PaymentStatus.FAILED) failed++;
        }
        int lost = 0;
        for (Dispute d : h.disputes()) if ("lost".equalsIgnoreCase(d.status())) lost++;
        double ratio = total == 0 ? 0 : failed / (double) total;
        double v = Math.min(1, 0.5 + ratio + 0.1 * lost);
        return new Signal(Signals.CUSTOMER_HISTORY, v, failed + " of " + total + " payment attempts failed, " + lost + " disputes lost");
    }
}
