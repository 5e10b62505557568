package io.leakdetector.core.evaluate;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ingest.Values;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code truth.csv}: the labelled leaks of a data set, one row per subject and category, with the columns
 * {@link #COLUMNS}. Amounts are decimal major units of the row's currency.
 */
public final class TruthFile {
    public static final List<String> COLUMNS = List.of("subject", "category", "kind", "amount_one_time",
            "amount_monthly_recurring", "currency", "started_at", "note");

    private TruthFile() {}

    /**
     * Reads a truth file. {@code subject}, {@code category} and {@code currency} are required on every row; a
     * subject may appear once per category.
     *
     * @throws IllegalArgumentException "truth.csv:12: ..." naming the file and line of the first bad row
     */
    public static List<TruthRow> read(Path file) {
        String name = file.getFileName().toString();
        List<TruthRow> rows = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ignoreDifferentFieldCount(true).skipEmptyLines(true)
                .detectBomHeader(true).ofCsvRecord(file, StandardCharsets.UTF_8)) {
            Map<String, Integer> index = null;
            for (CsvRecord rec : csv) {
                long line = rec.getStartingLineNumber();
                if (index == null) {
                    index = new HashMap<>();
                    for (int i = 0; i < rec.getFieldCount(); i++) index.putIfAbsent(rec.getField(i).strip().toLowerCase(Locale.ROOT), i);
                    for (String required : List.of("subject", "category", "currency")) {
                        if (!index.containsKey(required)) {
                            throw new IllegalArgumentException(name + ":" + line + ": header lacks the " + required + " column");
                        }
                    }
                    continue;
                }
                TruthRow row;
                try {
                    row = parse(rec, index, name + ":" + line);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(name + ":" + line + ": " + e.getMessage(), e);
                }
                Long first = seen.putIfAbsent(row.subject() + "\u0000" + row.category(), line);
                if (first != null) {
                    throw new IllegalArgumentException(name + ":" + line + ": " + row.subject() + " is already labelled "
                            + row.category() + " at line " + first);
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (CsvParseException e) {
            throw new IllegalArgumentException(name + ": unreadable CSV: " + e.getMessage(), e);
        }
        return rows;
    }

    private static TruthRow parse(CsvRecord rec, Map<String, Integer> index, String source) {
        String subject = field(rec, index, "subject");
        if (subject == null) throw new IllegalArgumentException("subject is required");
        if (!subject.contains(":")) throw new IllegalArgumentException("subject '" + subject + "' is not <type>:<id>");
        String categoryText = field(rec, index, "category");
        if (categoryText == null) throw new IllegalArgumentException("category is required");
        Category category;
        try {
            category = Category.valueOf(categoryText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown category '" + categoryText + "'");
        }
        String currencyText = field(rec, index, "currency");
        if (currencyText == null) throw new IllegalArgumentException("currency is required");
        Currency currency = Currencies.of(currencyText);
        String kind = field(rec, index, "kind");
        String oneTime = field(rec, index, "amount_one_time");
        String recurring = field(rec, index, "amount_monthly_recurring");
        String started = field(rec, index, "started_at");
        return new TruthRow(subject, category, kind == null ? null : Kind.parse(kind),
                oneTime == null ? null : amount("amount_one_time", oneTime, currency),
                recurring == null ? null : amount("amount_monthly_recurring", recurring, currency), currency,
                started == null ? null : Values.instant(started), field(rec, index, "note"), source);
    }

    private static Money amount(String column, String text, Currency currency) {
        try {
            return Money.parse(text, currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(column + ": " + e.getMessage());
        }
    }

    private static String field(CsvRecord rec, Map<String, Integer> index, String column) {
        Integer i = index.get(column);
        if (i == null || i >= rec.getFieldCount()) return null;
        String v = rec.getField(i).strip();
        return v.isEmpty() ? null : v;
    }
}
