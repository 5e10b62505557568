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
    // Per column: repeated values (customer ids, statuses, month starts, list prices) are parsed once and shared,
    // which keeps millions of rows small in memory. A cache that rarely hits (unique ids) switches itself off.
    private final ValueCache[] textCache, instantCache, moneyCache;
    private final String[] enumText; // per column: the text last parsed by enumValue, its parser and the value
    private final Object[] enumParser, enumValue;
    private List<String> fields;
    // Byte mode (ByteCsvReader): the row is a run of ASCII bytes, field f spans [starts[f], ends[f]) of buf. Values
    // are parsed from the bytes and repeated ones are shared through byte-keyed caches, so no String is made for a
    // field unless a record keeps it. Every value that is not in the canonical form goes through the String path.
    private boolean bytes;
    private byte[] buf;
    private int[] starts, ends;
    private int fieldCount;
    private SharedValues[] shared;
    // One table for the instants of every column: a period's end is the next row's period start (a subscription's
    // invoices and their lines follow each other), so sharing across columns keeps one Instant where there were two.
    private SharedValues instants;
    private IdDictionary[] ids; // per column: the ids of the file it references, when given
    private int[] idFound; // per column: where in its dictionary the last id was found, -1 when not
    private final AsciiSlice slice = new AsciiSlice();
    private int sliceStart, sliceEnd; // the slice's range of buf
    // Byte mode, per column: the range of buf and the value of the last field read. Files list a customer's (an
    // invoice's, an account's) rows together, so a field is often the same as the row above's, and then it takes that
    // value after comparing a few bytes still in cache, without hashing or a look-up in a large table.
    private int[] lastStart, lastEnd;
    private Object[] lastValue;
    private int nextPosition;

    RowView(List<Column> columns, int[] fieldIndex) {
        this.names = columns.stream().map(Column::name).toArray(String[]::new);
        this.fieldIndex = fieldIndex;
        textCache = new ValueCache[columns.size()];
        instantCache = new ValueCache[columns.size()];
        moneyCache = new ValueCache[columns.size()];
        enumText = new String[columns.size()];
        enumParser = new Object[columns.size()];
        enumValue = new Object[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            textCache[i] = new ValueCache();
            instantCache[i] = new ValueCache();
            moneyCache[i] = new ValueCache();
        }
    }

    void reset(List<String> fields) {
        this.fields = fields;
        this.bytes = false;
    }

    /** Byte mode: the row's fields are ASCII byte ranges of {@code buf} (see {@link ByteCsvReader}). */
    void reset(byte[] buf, int[] starts, int[] ends, int fieldCount) {
        if (shared == null) {
            shared = new SharedValues[names.length];
            for (int i = 0; i < names.length; i++) shared[i] = new SharedValues();
            instants = new SharedValues();
            lastStart = new int[names.length];
            lastEnd = new int[names.length];
            lastValue = new Object[names.length];
        }
        if (buf != this.buf) java.util.Arrays.fill(lastValue, null);
        this.buf = buf;
        this.starts = starts;
        this.ends = ends;
        this.fieldCount = fieldCount;
        this.bytes = true;
    }

    /** Byte mode: the text of {@code column} is looked up in {@code dictionary} first (an id another file holds). */
    void shareIds(String column, IdDictionary dictionary) {
        if (ids == null) {
            ids = new IdDictionary[names.length];
            idFound = new int[names.length];
            java.util.Arrays.fill(idFound, -1);
        }
        ids[position(column)] = dictionary;
    }

    /** Byte mode: sets the slice to the stripped field of column {@code pos}; false when absent or blank. */
    private boolean rawBytes(int pos) {
        int idx = fieldIndex[pos];
        if (idx < 0 || idx >= fieldCount) return false;
        int s = starts[idx], e = ends[idx];
        // String.strip() on ASCII: Character.isWhitespace is true for 9-13, 28-31 and space
        while (s < e && asciiSpace(buf[s])) s++;
        while (e > s && asciiSpace(buf[e - 1])) e--;
        if (s == e) return false;
        slice.set(buf, s, e);
        sliceStart = s;
        sliceEnd = e;
        return true;
    }

    /** Byte mode: the value column {@code pos} had in the row before when the slice has the same bytes, else null. */
    private Object repeated(int pos) {
        Object v = lastValue[pos];
        int last = lastStart[pos], n = sliceEnd - sliceStart;
        if (v == null || lastEnd[pos] - last != n) return null;
        // a plain loop: fields are a few bytes long, shorter than Arrays.equals takes to set up
        for (int i = 0; i < n; i++) if (buf[last + i] != buf[sliceStart + i]) return null;
        return v;
    }

    private <V> V remember(int pos, V value) {
        lastValue[pos] = value;
        lastStart[pos] = sliceStart;
        lastEnd[pos] = sliceEnd;
        return value;
    }

    private static boolean asciiSpace(byte b) {
        return b == ' ' || b >= 9 && b <= 13 || b >= 28 && b <= 31;
    }

    private int position(String column) {
        // Mappers pass the same string literals the schema was built from, so a reference comparison finds
        // the column without hashing or comparing characters; this runs several times per row. They mostly ask
        // for the columns in schema order, so the one after the last asked is tried first.
        int next = nextPosition;
        if (next < names.length && names[next] == column) {
            nextPosition = next + 1;
            return next;
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i] == column) {
                nextPosition = i + 1;
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(column)) return i;
        }
        throw new IllegalStateException("schema has no column " + column);
    }

    /** A bounded map from text to its parsed value that turns itself off when fewer than 1 in 4 look-ups hit. */
    private static final class ValueCache {
        private static final int MAX = 1 << 16;
        private final java.util.HashMap<String, Object> map = new java.util.HashMap<>();
        private long lookups, hits;
        private boolean off;

        Object get(String key) {
            if (off) return null;
            lookups++;
            Object v = map.get(key);
            if (v != null) hits++;
            else if (lookups == 8192 && hits * 4 < lookups) {
                off = true;
                map.clear();
            }
            return v;
        }

        void put(String key, Object value) {
            if (!off && map.size() < MAX) map.put(key, value);
        }
    }

    private String rawText(int pos) {
        int idx = fieldIndex[pos];
        if (idx < 0 || idx >= fields.size()) return null;
        String v = fields.get(idx);
        if (v == null) return null;
        v = v.strip();
        return v.isEmpty() ? null : v;
    }

    /** The trimmed text of a column, or null when the column is absent or blank. */
    public String text(String column) {
        return textAt(position(column));
    }

    private String textAt(int pos) {
        if (bytes) return byteText(pos);
        String v = rawText(pos);
        if (v == null) return null;
        ValueCache c = textCache[pos];
        Object shared = c.get(v);
        if (shared != null) return (String) shared;
        c.put(v, v);
        return v;
    }

    private String byteText(int pos) {
        if (!rawBytes(pos)) return null;
        if (repeated(pos) instanceof String v) return v;
        if (ids != null && ids[pos] != null) {
            int at = ids[pos].position(slice, idFound[pos]);
            if (at >= 0) {
                idFound[pos] = at;
                return remember(pos, ids[pos].at(at));
            }
        }
        return remember(pos, shared[pos].text(slice));
    }

    public String required(String column) {
        String v = text(column);
        if (v == null) throw new RowRejectedException(column, "required value is missing");
        return v;
    }

    public Instant instant(String column) {
        int pos = position(column);
        if (bytes) return rawBytes(pos) ? byteInstant(pos, column) : null;
        String v = rawText(pos);
        return v == null ? null : cachedInstant(pos, column, v);
    }

    public Instant requiredInstant(String column) {
        int pos = position(column);
        if (bytes) {
            if (!rawBytes(pos)) throw new RowRejectedException(column, "required value is missing");
            return byteInstant(pos, column);
        }
        String v = rawText(pos);
        if (v == null) throw new RowRejectedException(column, "required value is missing");
        return cachedInstant(pos, column, v);
    }

    private Instant cachedInstant(int pos, String column, String v) {
        ValueCache c = instantCache[pos];
        Object shared = c.get(v);
        if (shared != null) return (Instant) shared;
        Instant t;
        try {
            t = Values.instant(v);
        } catch (RuntimeException e) {
            throw new RowRejectedException(column, e.getMessage());
        }
        c.put(v, t);
        return t;
    }

    private Instant byteInstant(int pos, String column) {
        if (repeated(pos) instanceof Instant v) return v;
        long seconds = slice.canonicalEpochSeconds();
        if (seconds != Long.MIN_VALUE) return remember(pos, instants.instant(seconds));
        try {
            return remember(pos, instants.instant(Values.instant(slice.toString())));
        } catch (RuntimeException e) {
            throw new RowRejectedException(column, e.getMessage());
        }
    }

    private Money cachedMoney(int pos, String column, String v, Currency currency) {
        ValueCache c = moneyCache[pos];
        Object shared = c.get(v);
        if (shared instanceof Money m && m.currency() == currency) return m;
        Money m;
        try {
            m = Money.parse(v, currency);
        } catch (RuntimeException e) {
            throw new RowRejectedException(column, e.getMessage());
        }
        c.put(v, m);
        return m;
    }

    private Money byteMoney(int pos, String column, Currency currency) {
        if (repeated(pos) instanceof Money m && m.currency() == currency) return m;
        long minor;
        try {
            minor = Money.parseMinor(slice, currency); // reads the CharSequence; a String only for an error message
        } catch (RuntimeException e) {
            throw new RowRejectedException(column, e.getMessage());
        }
        return remember(pos, shared[pos].money(minor, currency));
    }

    public LocalDate requiredDate(String column) {
        if (bytes) {
            int pos = position(column);
            if (!rawBytes(pos)) throw new RowRejectedException(column, "required value is missing");
            long day = slice.canonicalEpochDay(); // one LocalDate per distinct day, made only on a miss
            if (day != Long.MIN_VALUE) return shared[pos].date(day);
            String text = slice.toString();
            return shared[pos].date(parse(column, () -> Values.date(text)));
        }
        String v = required(column);
        return parse(column, () -> Values.date(v));
    }

    public Long integer(String column) {
        if (bytes) {
            int pos = position(column);
            if (!rawBytes(pos)) return null;
            long v = slice.plainLong();
            if (v != Long.MIN_VALUE) return v;
        }
        String v = text(column);
        return v == null ? null : parse(column, () -> Values.integer(v));
    }

    public long integer(String column, long defaultValue) {
        if (bytes) {
            int pos = position(column);
            if (!rawBytes(pos)) return defaultValue;
            long v = slice.plainLong();
            if (v != Long.MIN_VALUE) return v;
        }
        Long v = integer(column);
        return v == null ? defaultValue : v;
    }

    /**
     * A column that must hold an integer, with the errors of {@link #required} then {@link #integer(String)}; in byte
     * mode a plain integer is read without making the String that {@code required} would.
     */
    public long requiredInteger(String column) {
        if (bytes) {
            int pos = position(column);
            if (!rawBytes(pos)) throw new RowRejectedException(column, "required value is missing");
            long v = slice.plainLong();
            if (v != Long.MIN_VALUE) return v;
        }
        required(column);
        return integer(column);
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
        return enumValue(column, Currencies::of);
    }

    public Money money(String column, Currency currency) {
        int pos = position(column);
        if (bytes) return rawBytes(pos) ? byteMoney(pos, column, currency) : null;
        String v = rawText(pos);
        return v == null ? null : cachedMoney(pos, column, v, currency);
    }

    public Money requiredMoney(String column, Currency currency) {
        int pos = position(column);
        if (bytes) {
            if (!rawBytes(pos)) throw new RowRejectedException(column, "required value is missing");
            return byteMoney(pos, column, currency);
        }
        String v = rawText(pos);
        if (v == null) throw new RowRejectedException(column, "required value is missing");
        return cachedMoney(pos, column, v, currency);
    }

    /** A money column that defaults to zero when blank. */
    public Money moneyOrZero(String column, Currency currency) {
        Money m = money(column, currency);
        return m == null ? Money.zero(currency) : m;
    }

    public <E> E enumValue(String column, java.util.function.Function<String, E> parser) {
        int pos = position(column);
        String v = textAt(pos);
        if (v == null) throw new RowRejectedException(column, "required value is missing");
        // Statuses, kinds and currencies repeat row after row as the same shared String: parse each once per column
        // and parser (parsers are functions of the text; a parse that fails is not kept)
        if (v == enumText[pos] && parser == enumParser[pos]) {
            @SuppressWarnings("unchecked") E same = (E) enumValue[pos];
            return same;
        }
        E e = parse(column, () -> parser.apply(v));
        enumText[pos] = v;
        enumParser[pos] = parser;
        enumValue[pos] = e;
        return e;
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
