package io.leakdetector.core.ml;

import io.leakdetector.core.finding.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The exact TreeSHAP contributions behind an ML score, carried in a finding's evidence so that they travel with the
 * finding through the store and the API: one {@code shap baseline} fact (the model's output with no feature known,
 * its unit in {@code expected}) and one {@code shap <feature>} fact per feature (the feature's value in
 * {@code expected}, its contribution in {@code observed}). The dashboard draws them as a waterfall.
 */
public final class ShapEvidence {
    static final String PREFIX = "shap ";
    static final String BASELINE = PREFIX + "baseline";

    private ShapEvidence() {}

    /** One feature's value and its contribution to the output. */
    public record Contribution(String feature, double value, double contribution) {}

    /** Baseline plus contributions, in feature order; {@link #output()} is what they add up to. */
    public record Waterfall(String unit, double baseline, List<Contribution> contributions) {
        public Waterfall {
            contributions = List.copyOf(contributions);
        }

        public double output() {
            double s = baseline;
            for (Contribution c : contributions) s += c.contribution();
            return s;
        }
    }

    /** The evidence facts of one attribution; {@code unit} names what the model's output measures. */
    public static List<Evidence> of(Attribution attribution, double[] values, String unit) {
        List<String> names = attribution.featureNames();
        if (values.length != names.size()) throw new IllegalArgumentException(values.length + " values for " + names.size() + " features");
        List<Evidence> out = new ArrayList<>(names.size() + 1);
        out.add(new Evidence(BASELINE, unit, number(attribution.baseline()), List.of()));
        for (int i = 0; i < names.size(); i++) {
            out.add(new Evidence(PREFIX + names.get(i), number(values[i]), number(attribution.contribution(i)), List.of()));
        }
        return out;
    }

    /** The waterfall in a finding's evidence, or empty when the finding has no ML contributions. */
    public static Optional<Waterfall> parse(List<Evidence> evidence) {
        Double baseline = null;
        String unit = null;
        List<Contribution> contributions = new ArrayList<>();
        for (Evidence e : evidence) {
            if (!e.fact().startsWith(PREFIX)) continue;
            Double observed = parseNumber(e.observed());
            if (observed == null) continue;
            if (e.fact().equals(BASELINE)) {
                baseline = observed;
                unit = e.expected();
            } else {
                Double value = parseNumber(e.expected());
                contributions.add(new Contribution(e.fact().substring(PREFIX.length()), value == null ? Double.NaN : value, observed));
            }
        }
        if (baseline == null || contributions.isEmpty()) return Optional.empty();
        return Optional.of(new Waterfall(unit == null ? "model output" : unit, baseline, contributions));
    }

    /** Round-trip decimal text: {@link Double#toString} keeps every bit, so the contributions still add up exactly. */
    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : String.valueOf(v).toLowerCase(Locale.ROOT);
    }

    private static Double parseNumber(String s) {
        if (s == null) return null;
        try {
            return Double.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
