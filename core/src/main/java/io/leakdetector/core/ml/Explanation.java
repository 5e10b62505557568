package io.leakdetector.core.ml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The top reasons behind one score in words: the features whose contributions push the row hardest towards
 * "anomalous" (most negative path-length contribution first), each with its value, its reference and a phrase
 * from its {@link FeatureDescriber}.
 */
public record Explanation(double score, List<Reason> reasons) {
    /** One feature's part in a score; {@code contribution} is its TreeSHAP value on the expected path length. */
    public record Reason(String feature, double value, double reference, double contribution, String text) {}

    public Explanation {
        reasons = List.copyOf(reasons);
    }

    /**
     * The {@code top} features with the most negative contributions, described by {@code describers} (one per
     * feature; {@code null} entries fall back to {@link FeatureDescriber#plain}). Features that lengthen the
     * path (non-negative contribution) never appear: they make the row look more ordinary, not less.
     */
    public static Explanation of(Attribution attribution, double[] values, double[] references,
                                 List<FeatureDescriber> describers, int top) {
        List<String> names = attribution.featureNames();
        int m = names.size();
        if (values.length != m || references.length != m || (describers != null && describers.size() != m)) {
            throw new IllegalArgumentException("values, references and describers need one entry per feature (" + m + ")");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < m; i++) if (attribution.contribution(i) < 0) order.add(i);
        order.sort(Comparator.<Integer>comparingDouble(attribution::contribution).thenComparing(i -> i));
        List<Reason> reasons = new ArrayList<>();
        for (int i : order.subList(0, Math.min(top, order.size()))) {
            FeatureDescriber d = describers == null || describers.get(i) == null ? FeatureDescriber.plain(names.get(i)) : describers.get(i);
            reasons.add(new Reason(names.get(i), values[i], references[i], attribution.contribution(i), d.describe(values[i], references[i])));
        }
        return new Explanation(attribution.score(), reasons);
    }

    /** Plain describers for every feature. */
    public static Explanation of(Attribution attribution, double[] values, double[] references, int top) {
        return of(attribution, values, references, null, top);
    }

    /** The phrases joined with "; ", or "nothing unusual" when no feature pushes towards anomalous. */
    public String text() {
        return reasons.isEmpty() ? "nothing unusual" : reasons.stream().map(Reason::text).collect(Collectors.joining("; "));
    }
}
