package io.leakdetector.core.ml;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a CSV of numbers with a header row into a {@link FeatureMatrix}, optionally taking one column out as a
 * 0/1 label (1 = outlier). Any cell that is not a finite number fails the whole read with the file, line and
 * column: a model must not silently train on half a file.
 */
public final class NumericCsv {
    /** The features, the labels ({@code null} when no label column was asked for) and each row's line number. */
    public record Table(String file, FeatureMatrix features, boolean[] labels, long[] lines) {}

    /** A cell or row that cannot be read; a bad-input error (exit code 2 on the command line). */
    public static final class BadCellException extends IllegalArgumentException {
        public BadCellException(String message) { super(message); }
    }

    private NumericCsv() {}

    public static Table read(Path file, String labelColumn) {
        String name = file.getFileName().toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, name, labelColumn);
        } catch (NoSuchFileException e) {
            throw new BadCellException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static Table read(Reader reader, String fileName, String labelColumn) {
        try (CsvReader<CsvRecord> csv = CsvReader.builder().skipEmptyLines(true).detectBomHeader(true)
                .ignoreDifferentFieldCount(true).ofCsvRecord(reader)) {
            var it = csv.iterator();
            if (!it.hasNext()) throw new BadCellException(fileName + ": empty file, a header row is required");
            List<String> header = it.next().getFields().stream().map(String::strip).toList();
            int label = -1;
            if (labelColumn != null) {
                label = header.indexOf(labelColumn);
                if (label < 0) throw new BadCellException(fileName + " line 1: no column named '" + labelColumn + "' (columns: " + header + ")");
            }
            List<String> names = new ArrayList<>(header);
            if (label >= 0) names.remove(label);
            if (names.isEmpty()) throw new BadCellException(fileName + " line 1: no feature columns");
            int width = header.size(), cols = names.size();
            double[] data = new double[1024 * cols];
            boolean[] labels = new boolean[1024];
            long[] lines = new long[1024];
            int rows = 0;
            while (true) {
                CsvRecord rec;
                try {
                    if (!it.hasNext()) break;
                    rec = it.next();
                } catch (RuntimeException e) {   // FastCSV's parse error, e.g. an unterminated quote
                    throw new BadCellException(fileName + ": unreadable CSV after line " + (rows == 0 ? 1 : lines[rows - 1]) + ": " + e.getMessage());
                }
                long line = rec.getStartingLineNumber();
                if (rec.getFieldCount() != width) {
                    throw new BadCellException(fileName + " line " + line + ": expected " + width + " fields, found " + rec.getFieldCount());
                }
                if (rows == lines.length) {
                    int grown = rows * 2;
                    data = Arrays.copyOf(data, grown * cols);
                    labels = Arrays.copyOf(labels, grown);
                    lines = Arrays.copyOf(lines, grown);
                }
                lines[rows] = line;
                int c = 0;
                for (int i = 0; i < width; i++) {
                    double v = parse(fileName, line, header.get(i), rec.getField(i));
                    if (i == label) {
                        if (v != 0 && v != 1) throw new BadCellException(fileName + " line " + line + ", column " + header.get(i) + ": label must be 0 or 1, found '" + rec.getField(i) + "'");
                        labels[rows] = v == 1;
                    } else {
                        data[rows * cols + c++] = v;
                    }
                }
                rows++;
            }
            if (rows == 0) throw new BadCellException(fileName + ": no data rows after the header");
            return new Table(fileName, FeatureMatrix.wrap(names, Arrays.copyOf(data, rows * cols)),
                    label >= 0 ? Arrays.copyOf(labels, rows) : null, Arrays.copyOf(lines, rows));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileName, e);
        }
    }

    private static double parse(String file, long line, String column, String cell) {
        String s = cell.strip();
        try {
            if (!s.isEmpty() && !s.contains("x") && !s.contains("X")) {   // no hex floats, no "NaN"/"Infinity"
                double v = Double.parseDouble(s);
                if (Double.isFinite(v)) return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below with its position
        }
        throw new BadCellException(file + " line " + line + ", column " + column + ": not a number: '" + cell + "'");
    }
}
