package io.leakdetector.core.domain;

/**
 * Where a record came from, as the text a finding cites: {@code file:line} for a CSV row, any other text (a record
 * id, a stored source) otherwise. A CSV row keeps its file's shared label and its line number, and the text is made
 * only when asked for: a scan reads millions of rows and cites a few thousand.
 *
 * <p>Two sources are equal exactly when their texts are, and the hash code is the text's, so records compare and hash
 * as they did when they kept the text itself, however each was made.
 */
public final class RowSource {
    private final String label; // the file's name, or the whole text when line < 0
    private final long line;

    private RowSource(String label, long line) {
        this.label = label;
        this.line = line;
    }

    /** The source with this text; null for null. */
    public static RowSource of(String text) {
        return text == null ? null : new RowSource(text, -1);
    }

    /** Line {@code line} (≥ 0) of the file named {@code file}: the text {@code file + ":" + line}. */
    public static RowSource at(String file, long line) {
        if (line < 0) throw new IllegalArgumentException("line " + line + " is negative");
        return new RowSource(file, line);
    }

    /** The text, or null for a null source: what a record's {@code source()} answers. */
    public static String text(RowSource source) {
        return source == null ? null : source.toString();
    }

    /** The file of a {@code file:line} source ({@link #at}), else null. */
    public String file() {
        return line < 0 ? null : label;
    }

    /** The line of a {@code file:line} source ({@link #at}), else -1. */
    public long line() {
        return line;
    }

    @Override
    public String toString() {
        return line < 0 ? label : label + ":" + line;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof RowSource r)) return false;
        if (line >= 0 && r.line >= 0 && label.equals(r.label)) return line == r.line;
        return toString().equals(r.toString());
    }

    /** {@code toString().hashCode()}, worked out without making the text. */
    @Override
    public int hashCode() {
        int h = label.hashCode();
        if (line < 0) return h;
        h = 31 * h + ':';
        long div = 1;
        while (div <= line / 10) div *= 10;
        for (long rest = line; div > 0; div /= 10) {
            h = 31 * h + (char) ('0' + rest / div);
            rest %= div;
        }
        return h;
    }
}
