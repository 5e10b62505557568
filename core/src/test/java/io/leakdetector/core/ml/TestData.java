package io.leakdetector.core.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded in-memory data for the model tests. */
final class TestData {
    private TestData() {}

    static List<String> names(int cols) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cols; i++) names.add("f" + i);
        return names;
    }

    /** Standard normal rows, coarsely rounded so that ties and constant nodes occur too. */
    static FeatureMatrix gaussian(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) data[i] = Math.round(rng.nextGaussian() * 20) / 10.0;
        return FeatureMatrix.ofRowMajor(names(cols), data);
    }
}
