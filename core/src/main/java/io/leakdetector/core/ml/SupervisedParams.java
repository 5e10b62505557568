package io.leakdetector.core.ml;

/**
 * Hyper-parameters of the supervised model, with fixed defaults (seeded: the same data gives the same model).
 *
 * @param rounds boosting rounds (trees); default 150
 * @param maxDepth depth of each tree; default 4
 * @param eta learning rate; default 0.1
 * @param subsample share of rows each tree sees; default 0.8
 * @param minChildWeight smallest hessian sum in a leaf (for log-loss about p(1-p) per row); default 1
 * @param lambda L2 regularisation of leaf weights; default 1
 * @param seed random seed; default 20260501
 */
public record SupervisedParams(int rounds, int maxDepth, double eta, double subsample, double minChildWeight,
                               double lambda, long seed) {
    public static final SupervisedParams DEFAULTS = new SupervisedParams(150, 4, 0.1, 0.8, 1, 1, 20260501L);

    public SupervisedParams {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be at least 1");
        if (maxDepth < 1) throw new IllegalArgumentException("maxDepth must be at least 1");
        if (!(eta > 0 && eta <= 1)) throw new IllegalArgumentException("eta must be in (0, 1]");
        if (!(subsample > 0 && subsample <= 1)) throw new IllegalArgumentException("subsample must be in (0, 1]");
        if (minChildWeight < 0 || lambda < 0) throw new IllegalArgumentException("minChildWeight and lambda must not be negative");
    }

    /** The parameters as text for provenance, e.g. {@code rounds=150,max_depth=4,...}. */
    public String describe() {
        return "rounds=" + rounds + ",max_depth=" + maxDepth + ",eta=" + eta + ",subsample=" + subsample
                + ",min_child_weight=" + minChildWeight + ",lambda=" + lambda + ",seed=" + seed;
    }
}
