package io.leakdetector.core.ml;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rows of finite {@code double} features with their names: what every model in this package is trained on and
 * scores. Stored row-major in one array so that scoring walks memory in order; immutable once built.
 */
public final class FeatureMatrix {
    private final List<String> featureNames;
    private final int rows;
    private final int cols;
    private final double[] data;
    private final List<String> subjects;    // what each row describes, e.g. "invoice:in_1"; empty when unnamed

    private FeatureMatrix(List<String> featureNames, int rows, double[] data) {
        this(featureNames, rows, data, List.of());
    }

    private FeatureMatrix(List<String> featureNames, int rows, double[] data, List<String> subjects) {
        this.featureNames = List.copyOf(featureNames);
        if (this.featureNames.isEmpty()) throw new IllegalArgumentException("a feature matrix needs at least one feature");
        Set<String> seen = new HashSet<>();
        for (String name : this.featureNames) {
            if (name.isBlank()) throw new IllegalArgumentException("feature names must not be blank");
            if (!seen.add(name)) throw new IllegalArgumentException("duplicate feature name: " + name);
        }
        this.cols = this.featureNames.size();
        if (rows < 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("data length " + data.length + " is not " + rows + " rows x " + cols + " features");
        }
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw new IllegalArgumentException("feature " + this.featureNames.get(i % cols) + " of row " + (i / cols)
                        + " is not a finite number: " + data[i]);
            }
        }
        this.rows = rows;
        this.data = data;
        this.subjects = List.copyOf(subjects);
        if (!this.subjects.isEmpty() && this.subjects.size() != rows) {
            throw new IllegalArgumentException(this.subjects.size() + " subjects for " + rows + " rows");
        }
    }

    /** The same rows with one subject per row (what each row describes, e.g. {@code invoice:in_1}). */
    public FeatureMatrix withSubjects(List<String> subjects) {
        return new FeatureMatrix(featureNames, rows, data, subjects);
    }

    /** One subject per row, or an empty list when the rows are unnamed. */
    public List<String> subjects() { return subjects; }

    /** The index of a feature by name, or -1. */
    public int column(String name) { return featureNames.indexOf(name); }

    /** A matrix over a copy of {@code rowMajor} ({@code rows x names.size()} values, row after row). */
    public static FeatureMatrix ofRowMajor(List<String> names, double[] rowMajor) {
        int cols = names.size();
        if (cols == 0) throw new IllegalArgumentException("a feature matrix needs at least one feature");
        return new FeatureMatrix(names, rowMajor.length / cols, rowMajor.clone());
    }

    /** A matrix from row arrays, each of length {@code names.size()}. */
    public static FeatureMatrix ofRows(List<String> names, double[][] rows) {
        int cols = names.size();
        double[] data = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, expected " + cols);
            }
            System.arraycopy(rows[r], 0, data, r * cols, cols);
        }
        return new FeatureMatrix(names, rows.length, data);
    }

    /** Wraps an array the caller hands over and no longer changes (no copy: for large matrices built once). */
    static FeatureMatrix wrap(List<String> names, double[] rowMajor) {
        return new FeatureMatrix(names, rowMajor.length / Math.max(1, names.size()), rowMajor);
    }

    public List<String> featureNames() { return featureNames; }

    public int rows() { return rows; }

    public int cols() { return cols; }

    public double get(int row, int col) {
        if (col < 0 || col >= cols) throw new IndexOutOfBoundsException("column " + col);
        return data[row * cols + col];
    }

    /** A copy of one row. */
    public double[] row(int row) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row);
        return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
    }

    /** The rows at {@code indices}, in that order. */
    public FeatureMatrix select(int[] indices) {
        double[] out = new double[indices.length * cols];
        for (int i = 0; i < indices.length; i++) System.arraycopy(data, indices[i] * cols, out, i * cols, cols);
        if (subjects.isEmpty()) return new FeatureMatrix(featureNames, indices.length, out);
        String[] picked = new String[indices.length];
        for (int i = 0; i < indices.length; i++) picked[i] = subjects.get(indices[i]);
        return new FeatureMatrix(featureNames, indices.length, out, List.of(picked));
    }

    /**
     * The per-feature median of all rows (the mean of the two middle values for an even count). Columns are sorted in
     * parallel, each in its own copy, so no more copies than threads are held at once.
     */
    public double[] medians() {
        double[] out = new double[cols];
        if (rows == 0) return out;
        java.util.stream.IntStream.range(0, cols).parallel().forEach(c -> {
            double[] column = new double[rows];
            for (int r = 0; r < rows; r++) column[r] = data[r * cols + c];
            Arrays.sort(column);
            out[c] = rows % 2 == 1 ? column[rows / 2] : (column[rows / 2 - 1] + column[rows / 2]) / 2;
        });
        return out;
    }

    /** The backing array, for the package's hot loops only: never modified. */
    double[] data() { return data; }
}
