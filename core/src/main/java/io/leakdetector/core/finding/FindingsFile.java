package io.leakdetector.core.finding;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import io.leakdetector.core.util.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Findings on disk: CSV ({@code .csv}) or JSON Lines (any other extension, usually {@code .jsonl}), with the
 * columns of DESIGN.md §5. Amounts are decimal major units of the finding's currency; in CSV, evidence is a JSON
 * array and matched rules are separated by {@code |}. {@code scan} writes these files and {@code evaluate}
 * reads them.
 */
public final class FindingsFile {
    public static final List<String> COLUMNS = List.of("id", "category", "kind", "subject", "customer_id",
            "amount_one_time", "amount_monthly_recurring", "currency", "score", "confidence", "detected_at", "status",
            "explanation", "recommended_action", "evidence", "matched_rules");

    private FindingsFile() {}

    public static boolean isCsv(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    /** Opens a streaming writer: findings go to disk as they are added, never all held in memory. */
    public static FindingsWriter writer(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return new FindingsWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), isCsv(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void write(Path file, Iterable<Finding> findings) {
        try (FindingsWriter w = writer(file)) {
            for (Finding f : findings) w.add(f);
        }
    }

    /** Writes findings one by one to CSV or JSON Lines. */
    public static final class FindingsWriter implements Closeable {
        private final BufferedWriter out;
        private final CsvWriter csv;

        FindingsWriter(BufferedWriter out, boolean asCsv) {
            this.out = out;
            this.csv = asCsv ? CsvWriter.builder().build(out) : null;
            if (csv != null) csv.writeRecord(COLUMNS);
        }

        public void add(Finding f) {
            if (csv != null) {
                csv.writeRecord(f.id(), f.category().name(), f.kind().wire(), f.subject(), nz(f.customerId()),
                        f.amountOneTime().toPlainString(), f.amountMonthlyRecurring().toPlainString(),
                        f.currency().getCurrencyCode(), formatScore(f.score()), f.confidence().wire(),
                        f.detectedAt() == null ? "" : f.detectedAt().toString(), f.status().wire(), nz(f.explanation()),
                        nz(f.recommendedAction()), Json.write(evidenceJson(f.evidence())), String.join("|", f.matchedRules()));
            } else {
                try {
                    out.write(Json.write(toJson(f)));
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void close() {
            try {
                if (csv != null) csv.close();
                else out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The JSON object of one finding, with the same keys as the CSV columns. */
    public static Map<String, Object> toJson(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("category", f.category().name());
        m.put("kind", f.kind().wire());
        m.put("subject", f.subject());
        m.put("customer_id", f.customerId());
        m.put("amount_one_time", f.amountOneTime().toBigDecimal());
        m.put("amount_monthly_recurring", f.amountMonthlyRecurring().toBigDecimal());
        m.put("currency", f.currency().getCurrencyCode());
        m.put("score", new BigDecimal(formatScore(f.score())));
        m.put("confidence", f.confidence().wire());
        m.put("detected_at", f.detectedAt() == null ? null : f.detectedAt().toString());
        m.put("status", f.status().wire());
        m.put("explanation", f.explanation());
        m.put("recommended_action", f.recommendedAction());
        m.put("evidence", evidenceJson(f.evidence()));
        m.put("matched_rules", f.matchedRules());
        return m;
    }

    private static List<Map<String, Object>> evidenceJson(List<Evidence> evidence) {
        List<Map<String, Object>> list = new ArrayList<>(evidence.size());
        for (Evidence e : evidence) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fact", e.fact());
            m.put("expected", e.expected());
            m.put("observed", e.observed());
            m.put("sources", e.sources());
            list.add(m);
        }
        return list;
    }

    private static String formatScore(double score) {
        return BigDecimal.valueOf(score).setScale(4, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * Reads a findings file. Only {@code category}, {@code subject} and {@code currency} are required; missing
     * amounts are zero, missing score 1, missing kind the category's default.
     *
     * @throws IllegalArgumentException "findings.csv:12: ..." naming the file and line of the first bad row
     */
    public static List<Finding> read(Path file) {
        String name = file.getFileName().toString();
        List<Finding> out = new ArrayList<>();
        try {
            if (isCsv(file)) {
                try (CsvReader<CsvRecord> csv = CsvReader.builder().ignoreDifferentFieldCount(true).skipEmptyLines(true)
                        .detectBomHeader(true).ofCsvRecord(file, StandardCharsets.UTF_8)) {
                    List<String> header = null;
                    for (CsvRecord rec : csv) {
                        if (header == null) {
                            header = rec.getFields();
                            if (!header.contains("subject") || !header.contains("category")) {
                                throw new IllegalArgumentException(name + ":" + rec.getStartingLineNumber()
                                        + ": header must contain subject and category columns");
                            }
                            continue;
                        }
                        Map<String, Object> row = new HashMap<>();
                        for (int i = 0; i < header.size() && i < rec.getFieldCount(); i++) {
                            row.put(header.get(i), rec.getField(i));
                        }
                        out.add(fromRow(row, name, rec.getStartingLineNumber(), true));
                    }
                }
            } else {
                try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    long n = 0;
                    while ((line = r.readLine()) != null) {
                        n++;
                        if (line.isBlank()) continue;
                        Object parsed;
                        try {
                            parsed = Json.parse(line);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(name + ":" + n + ": " + e.getMessage());
                        }
                        if (!(parsed instanceof Map<?, ?> m)) {
                            throw new IllegalArgumentException(name + ":" + n + ": expected a JSON object per line");
                        }
                        @SuppressWarnings("unchecked") Map<String, Object> row = (Map<String, Object>) m;
                        out.add(fromRow(row, name, n, false));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
            throw new IllegalArgumentException(name + ": unreadable CSV: " + e.getMessage());
        }
        return out;
    }

    private static Finding fromRow(Map<String, Object> row, String file, long line, boolean csv) {
        String where = file + ":" + line + ": ";
        try {
            Category category = Category.valueOf(req(row, "category").toUpperCase(Locale.ROOT));
            String kindText = str(row, "kind");
            Kind kind = kindText == null ? category.defaultKind() : Kind.parse(kindText);
            Currency currency = Currencies.of(req(row, "currency"));
            String scoreText = str(row, "score");
            double score = scoreText == null ? 1.0 : Double.parseDouble(scoreText);
            String conf = str(row, "confidence");
            String status = str(row, "status");
            String detected = str(row, "detected_at");
            List<Evidence> evidence = evidence(row.get("evidence"), csv);
            Object rules = row.get("matched_rules");
            List<String> matched = new ArrayList<>();
            if (rules instanceof List<?> l) {
                for (Object o : l) matched.add(String.valueOf(o));
            } else if (rules instanceof String s && !s.isBlank()) {
                matched.addAll(List.of(s.split("\\|")));
            }
            return new Finding(str(row, "id"), category, kind, req(row, "subject"), str(row, "customer_id"),
                    money(row, "amount_one_time", currency), money(row, "amount_monthly_recurring", currency), currency,
                    score, conf == null ? null : Confidence.parse(conf), detected == null ? null : Instant.parse(detected),
                    evidence, str(row, "explanation"), str(row, "recommended_action"),
                    status == null ? null : FindingStatus.parse(status), matched);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    private static List<Evidence> evidence(Object value, boolean csv) {
        Object v = value;
        if (v instanceof String s) {
            if (s.isBlank()) return List.of();
            v = Json.parse(s);
        }
        if (!(v instanceof List<?> list)) return List.of();
        List<Evidence> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) {
                List<String> sources = new ArrayList<>();
                if (m.get("sources") instanceof List<?> src) for (Object s : src) sources.add(String.valueOf(s));
                out.add(new Evidence(String.valueOf(m.get("fact")), (String) m.get("expected"), (String) m.get("observed"), sources));
            }
        }
        return out;
    }

    private static Money money(Map<String, Object> row, String key, Currency currency) {
        String s = str(row, key);
        return s == null ? Money.zero(currency) : Money.parse(s, currency);
    }

    private static String req(Map<String, Object> row, String key) {
        String s = str(row, key);
        if (s == null) throw new IllegalArgumentException(key + " is required");
        return s;
    }

    private static String str(Map<String, Object> row, String key) {
        Object v = row.get(key);
        if (v == null) return null;
        String s = v instanceof BigDecimal b ? b.toPlainString() : v.toString();
        return s.isBlank() ? null : s;
    }
}
