package io.leakdetector.core.ml;

/**
 * Gauss–Legendre quadrature on [0, 1]: {@code k} points integrate every polynomial of degree {@code <= 2k - 1}
 * exactly. TreeSHAP uses it to evaluate the Shapley integral of a leaf's product game exactly.
 */
final class GaussLegendre {
    final double[] points;
    final double[] weights;

    GaussLegendre(int k) {
        if (k < 1 || k > 64) throw new IllegalArgumentException("quadrature points must be in 1..64: " + k);
        points = new double[k];
        weights = new double[k];
        for (int i = 0; i < k; i++) {
            // Newton's method on P_k from the classic initial guess for the i-th root on [-1, 1].
            double t = Math.cos(Math.PI * (i + 0.75) / (k + 0.5));
            double derivative = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p0 = 1, p1 = t;
                for (int j = 2; j <= k; j++) {
                    double p2 = ((2.0 * j - 1) * t * p1 - (j - 1.0) * p0) / j;
                    p0 = p1;
                    p1 = p2;
                }
                double pk = k == 1 ? t : p1;
                double pkm1 = k == 1 ? 1 : p0;
                derivative = k * (t * pk - pkm1) / (t * t - 1);
                double step = pk / derivative;
                t -= step;
                if (Math.abs(step) < 1e-16) break;
            }
            // Recompute the derivative at the converged root for the weight.
            double p0 = 1, p1 = t;
            for (int j = 2; j <= k; j++) {
                double p2 = ((2.0 * j - 1) * t * p1 - (j - 1.0) * p0) / j;
                p0 = p1;
                p1 = p2;
            }
            double pk = k == 1 ? t : p1, pkm1 = k == 1 ? 1 : p0;
            derivative = k * (t * pk - pkm1) / (t * t - 1);
            double w = 2.0 / ((1 - t * t) * derivative * derivative);
            points[i] = (1 - t) / 2;   // map [-1, 1] to [0, 1]
            weights[i] = w / 2;
        }
    }
}
