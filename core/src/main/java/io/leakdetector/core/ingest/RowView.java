package io.leakdetector.core.ingest;

import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;

/**
 * The current row of a file seen through its schema: typed accessors by column name that throw
 * {@link RowRejectedException} naming the column when a value is missing or malformed.
 */
public final class RowView {
    private final String[] names; // schema column names, in schema order
    private final int[] fieldIndex; // schema column -> position in the file, -1 when absent
    private List<String> fields;

    RowView(List<Column> columns, int[] fieldIndex) {
        this.names = columns.stream().map(Column::name).toArray(String[]::new);
        this.fieldIndex = fieldIndex;
    }

    void reset(List<String> fields) {
        this.fields = fields;
    }

    private int position(String column) {
        // Mappers pass the same string literals the schema was built from, so a reference comparison finds
        // the column without hashing or comparing characters; this runs several times per row.
        for (int i = 0; i < names.length; i++) {
            if (names[i] == column) return i;
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(column)) return i;
        }
        throw new IllegalStateException("schema has no column " + column);
    }

    /** The trimmed text of a column, or null when the column is absent or blank. */
    public String text(String column) {
        int idx = fieldIndex[position(column)];
        if (idx < 0 || idx >= fields.size()) return null;
        String v = fields.get(idx);
        if (v == null) return null;
        v = v.strip();
        return v.isEmpty() ? null : v;
    }

    public String required(String column) {
        String v = text(column);
        if (v == null) throw new RowRejectedException(column, "required value is missing");
        return v;
    }

    public Instant instant(String column) {
        String v = text(column);
        return v == null ? null : parse(column, () -> Values.instant(v));
    }

    public Instant requiredInstant(String column) {
        String v = required(column);
        return parse(column, () -> Values.instant(v));
    }

    public LocalDate requiredDate(String column) {
        String v = required(column);
        return parse(column, () -> Values.date(v));
    }

    public Long integer(String column) {
        String v = text(column);
        return v == null ? null : parse(column, () -> Values.integer(v));
    }

    public long integer(String column, long defaultValue) {
        Long v = integer(column);
        return v == null ? defaultValue : v;
    }

    public BigDecimal decimal(String column) {
        String v = text(column);
        if (v == null) return null;
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new RowRejectedException(column, "not a number: '" + v + "'");
        }
    }

    public boolean bool(String column, boolean defaultValue) {
        String v = text(column);
        return v == null ? defaultValue : parse(column, () -> Values.bool(v));
    }

    public Currency currency(String column) {
        String v = required(column);
        return parse(column, () -> Currencies.of(v));
    }

    public Money money(String column, Currency currency) {
        String v = text(column);
        return v == null ? null : parse(column, () -> Money.parse(v, currency));
    }

    public Money requiredMoney(String column, Currency currency) {
        String v = required(column);
        return parse(column, () -> Money.parse(v, currency));
    }

    /** A money column that defaults to zero when blank. */
    public Money moneyOrZero(String column, Currency currency) {
        Money m = money(column, currency);
        return m == null ? Money.zero(currency) : m;
    }

    public <E> E enumValue(String column, java.util.function.Function<String, E> parser) {
        String v = required(column);
        return parse(column, () -> parser.apply(v));
    }

    private static <V> V parse(String column, java.util.function.Supplier<V> parser) {
        try {
            return parser.get();
        } catch (RowRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RowRejectedException(column, e.getMessage());
        }
    }
}
