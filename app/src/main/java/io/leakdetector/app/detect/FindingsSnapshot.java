package io.leakdetector.app.detect;

import io.leakdetector.app.store.FindingChanges;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.finding.Kind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The columns the summary and the overview aggregate — customer, category, kind, status, currency, detection time and
 * amounts — of every finding, held in arrays (about 40 bytes a finding). Every total, series and breakdown of those
 * pages is a pass over these arrays in Java, so all filters share one read. Read-only once built; a {@link Table}
 * keeps the rows between reads and re-reads only the findings written since ({@link FindingChanges}).
 */
public final class FindingsSnapshot {
    static final String SQL = "SELECT id, customer_id, category, kind, status, currency, detected_at, amount_one_time_minor, "
            + "amount_recurring_minor FROM findings";
    private static final Category[] CATEGORIES = Category.values();
    private static final Kind[] KINDS = Kind.values();
    private static final FindingStatus[] STATUSES = FindingStatus.values();

    private final String[] customerIds;
    private final String[] currencyCodes;
    private final int size;
    private final int[] customer;
    private final byte[] category;
    private final byte[] kind;
    private final byte[] status;
    private final byte[] currency;
    private final long[] detectedMicros;
    private final long[] oneTime;
    private final long[] recurring;

    private FindingsSnapshot(Table b) {
        size = b.size;
        customerIds = b.customerIds.toArray(String[]::new); // copies: the table grows on after this
        currencyCodes = b.currencyCodes.toArray(String[]::new);
        customer = Arrays.copyOf(b.customer, size);
        category = Arrays.copyOf(b.category, size);
        kind = Arrays.copyOf(b.kind, size);
        status = Arrays.copyOf(b.status, size);
        currency = Arrays.copyOf(b.currency, size);
        detectedMicros = Arrays.copyOf(b.detectedMicros, size);
        oneTime = Arrays.copyOf(b.oneTime, size);
        recurring = Arrays.copyOf(b.recurring, size);
    }

    /** Reads every finding's aggregated columns (one query). */
    public static FindingsSnapshot read(JdbcClient jdbc) {
        return Table.read(jdbc).snapshot();
    }

    /** How many findings. */
    public int size() {
        return size;
    }

    /** The finding's customer as an index into {@link #customerIds()}, or -1 for a finding without a customer. */
    public int customer(int i) {
        return customer[i];
    }

    /** The distinct customer ids, indexed by {@link #customer(int)}. */
    public List<String> customerIds() {
        return Arrays.asList(customerIds);
    }

    public Category category(int i) {
        return CATEGORIES[category[i]];
    }

    public Kind kind(int i) {
        return KINDS[kind[i]];
    }

    public FindingStatus status(int i) {
        return STATUSES[status[i]];
    }

    /** True while the finding still costs money: open, acknowledged or in remediation (the summary's "open"). */
    public boolean open(int i) {
        FindingStatus s = status(i);
        return s == FindingStatus.OPEN || s == FindingStatus.ACKNOWLEDGED || s == FindingStatus.IN_REMEDIATION;
    }

    /** The finding's currency as an index into {@link #currencyCodes()}. */
    public int currency(int i) {
        return currency[i];
    }

    /** The distinct currency codes, indexed by {@link #currency(int)}. */
    public List<String> currencyCodes() {
        return Arrays.asList(currencyCodes);
    }

    /** The index of a currency code, or -1 when no finding is in it. */
    public int currencyIndex(String code) {
        return Arrays.asList(currencyCodes).indexOf(code);
    }

    /** Detection time in microseconds since the epoch (the stores' precision). */
    public long detectedMicros(int i) {
        return detectedMicros[i];
    }

    /** The UTC day of detection, as days since the epoch. */
    public long detectedDay(int i) {
        return Math.floorDiv(detectedMicros[i], 86_400_000_000L);
    }

    public long oneTime(int i) {
        return oneTime[i];
    }

    public long recurring(int i) {
        return recurring[i];
    }

    /** An instant in microseconds since the epoch, rounded up: {@code micros(t) <= m} exactly when {@code t <= m}. */
    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), (t.getNano() + 999) / 1000);
    }

    /**
     * The rows behind snapshots, kept between reads: {@link #read} reads every finding, {@link #refresh} re-reads some by
     * id (new, changed or gone). Not thread-safe: one caller at a time; the snapshots it hands out are copies.
     */
    public static final class Table {
        final List<String> customerIds = new ArrayList<>();
        final Map<String, Integer> customerIndex = new HashMap<>();
        final List<String> currencyCodes = new ArrayList<>();
        final Map<String, Byte> categoryCodes = new HashMap<>();
        final Map<String, Byte> kindCodes = new HashMap<>();
        final Map<String, Byte> statusCodes = new HashMap<>();
        final Map<String, Integer> rowOf = new HashMap<>();
        int size;
        String[] id = new String[1024];
        int[] customer = new int[1024];
        byte[] category = new byte[1024];
        byte[] kind = new byte[1024];
        byte[] status = new byte[1024];
        byte[] currency = new byte[1024];
        long[] detectedMicros = new long[1024];
        long[] oneTime = new long[1024];
        long[] recurring = new long[1024];

        private Table() {}

        /** Every finding (one query over the table: the id is not in V31's covering index). */
        public static Table read(JdbcClient jdbc) {
            Table t = new Table();
            jdbc.sql(SQL).query(rs -> {
                t.put(rs);
            });
            return t;
        }

        /** Reads these findings again (a query per 500 ids): changed ones replace their row, gone ones leave. */
        public void refresh(JdbcClient jdbc, Collection<String> ids) {
            List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
            java.util.Set<String> found = new java.util.HashSet<>();
            for (int from = 0; from < distinct.size(); from += 500) {
                List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + 500));
                jdbc.sql(SQL + " WHERE id IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")
                        .params(new ArrayList<Object>(chunk))
                        .query(rs -> {
                            found.add(put(rs));
                        });
            }
            for (String gone : distinct) if (!found.contains(gone)) remove(gone);
        }

        /** The rows as they are now. */
        public FindingsSnapshot snapshot() {
            return new FindingsSnapshot(this);
        }

        /** How many findings. */
        public int size() {
            return size;
        }

        private void remove(String findingId) {
            Integer at = rowOf.remove(findingId);
            if (at == null) return;
            int last = --size; // the last row moves into the hole: the aggregates do not depend on the order
            if (at != last) {
                id[at] = id[last];
                customer[at] = customer[last];
                category[at] = category[last];
                kind[at] = kind[last];
                status[at] = status[last];
                currency[at] = currency[last];
                detectedMicros[at] = detectedMicros[last];
                oneTime[at] = oneTime[last];
                recurring[at] = recurring[last];
                rowOf.put(id[at], at);
            }
            id[last] = null;
        }

        /** Puts the current row of {@link #SQL}'s result; returns its finding id. */
        private String put(ResultSet rs) throws SQLException {
            String findingId = rs.getString(1);
            put(findingId, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getLong(8), rs.getLong(9));
            return findingId;
        }

        private void put(String findingId, String customerId, String cat, String k, String st, String cur, Instant at, long one, long rec) {
            Integer existing = rowOf.get(findingId);
            int row;
            if (existing != null) {
                row = existing;
            } else {
                if (size == customer.length) grow();
                row = size++;
                rowOf.put(findingId, row);
                id[row] = findingId;
            }
            customer[row] = customerId == null ? -1 : customerIndex.computeIfAbsent(customerId, newId -> {
                customerIds.add(newId);
                return customerIds.size() - 1;
            });
            category[row] = categoryCodes.computeIfAbsent(cat, s -> (byte) Category.valueOf(s.strip()).ordinal());
            kind[row] = kindCodes.computeIfAbsent(k, s -> (byte) Kind.parse(s).ordinal());
            status[row] = statusCodes.computeIfAbsent(st, s -> (byte) FindingStatus.parse(s).ordinal());
            String code = cur.strip();
            int c = currencyCodes.indexOf(code);
            if (c < 0) {
                if (currencyCodes.size() == Byte.MAX_VALUE) throw new IllegalStateException("more than 127 currencies in findings");
                currencyCodes.add(code);
                c = currencyCodes.size() - 1;
            }
            currency[row] = (byte) c;
            detectedMicros[row] = micros(at);
            oneTime[row] = one;
            recurring[row] = rec;
        }

        private void grow() {
            int n = customer.length * 2;
            id = Arrays.copyOf(id, n);
            customer = Arrays.copyOf(customer, n);
            category = Arrays.copyOf(category, n);
            kind = Arrays.copyOf(kind, n);
            status = Arrays.copyOf(status, n);
            currency = Arrays.copyOf(currency, n);
            detectedMicros = Arrays.copyOf(detectedMicros, n);
            oneTime = Arrays.copyOf(oneTime, n);
            recurring = Arrays.copyOf(recurring, n);
        }
    }
}
