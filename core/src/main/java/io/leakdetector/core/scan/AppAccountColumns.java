package io.leakdetector.core.scan;

import io.leakdetector.core.detect.DailyAccounts;
import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.RowSource;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The daily app-account rows of a scan kept in columns: ids, products and statuses as indexes into small
 * dictionaries, the day, seats and line number as ints. The largest file of a data directory (half of all rows) then
 * costs about 28 bytes a row and no objects the collector has to trace or copy, where records cost ~72 bytes and two
 * objects a row. Read as a list it makes each {@link AppAccount} when asked, equal to the record the reader made
 * (same fields, same {@code file:line} source); a scan makes a customer's rows only when that customer's history is
 * used ({@link #rows}), so they die young.
 */
final class AppAccountColumns extends AbstractList<AppAccount> implements RandomAccess {
    private static final int ODD = -1;
    private final String file; // the file every compact row's source names
    private final String[] accounts, customers, products, statuses; // dictionaries, in order of first appearance
    private final int[] account, customer, product, status, day, seats, line; // per row; product -1: none
    private final Map<Integer, AppAccount> odd; // rows that do not fit the ints (account[row] == ODD), kept whole
    private final int firstDay;
    private final LocalDate[] dates; // LocalDate of firstDay + k, made on first use and shared; empty when too wide

    private AppAccountColumns(String file, String[] accounts, String[] customers, String[] products, String[] statuses,
                              int[] account, int[] customer, int[] product, int[] status, int[] day, int[] seats,
                              int[] line, Map<Integer, AppAccount> odd) {
        this.file = file;
        this.accounts = accounts;
        this.customers = customers;
        this.products = products;
        this.statuses = statuses;
        this.account = account;
        this.customer = customer;
        this.product = product;
        this.status = status;
        this.day = day;
        this.seats = seats;
        this.line = line;
        this.odd = odd;
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int i = 0; i < day.length; i++) {
            if (account[i] == ODD) continue;
            min = Math.min(min, day[i]);
            max = Math.max(max, day[i]);
        }
        boolean narrow = min <= max && (long) max - min < 1 << 20;
        this.firstDay = narrow ? min : 0;
        this.dates = new LocalDate[narrow ? max - min + 1 : 0];
    }

    @Override
    public int size() {
        return account.length;
    }

    @Override
    public AppAccount get(int row) {
        Objects.checkIndex(row, account.length);
        if (account[row] == ODD) return odd.get(row);
        int p = product[row];
        return new AppAccount(accounts[account[row]], customers[customer[row]], p < 0 ? null : products[p], date(day[row]),
                seats[row], statuses[status[row]], RowSource.at(file, line[row]));
    }

    private LocalDate date(int epochDay) {
        int k = epochDay - firstDay;
        if (k < 0 || k >= dates.length) return LocalDate.ofEpochDay(epochDay);
        LocalDate d = dates[k];
        if (d == null) dates[k] = d = LocalDate.ofEpochDay(epochDay); // a race makes two equal dates: harmless
        return d;
    }

    /** The distinct customer ids, in the order the rows first name them. */
    String[] customerIds() {
        return customers;
    }

    /** The index in {@link #customerIds()} of the customer of {@code row}. */
    int customerOf(int row) {
        return customer[row];
    }

    /**
     * The rows {@code order[from..to)} as a list whose records are made together on first access and then kept by the
     * list (a customer's history reads its rows more than once; one thread at a time, as a history is used).
     */
    List<AppAccount> rows(int[] order, int from, int to) {
        if (from == to) return List.of();
        return new Rows(order, from, to);
    }

    /**
     * A customer's rows, read as records (made together on first {@link #get}) or field by field from the columns
     * ({@link DailyAccounts}: no record made).
     */
    private final class Rows extends AbstractList<AppAccount> implements RandomAccess, DailyAccounts {
        private final int[] order;
        private final int from, to;
        private AppAccount[] made;

        Rows(int[] order, int from, int to) {
            this.order = order;
            this.from = from;
            this.to = to;
        }

        @Override
        public int size() {
            return to - from;
        }

        @Override
        public AppAccount get(int i) {
            Objects.checkIndex(i, to - from);
            AppAccount[] m = made;
            if (m == null) {
                m = new AppAccount[to - from];
                for (int k = 0; k < m.length; k++) m[k] = AppAccountColumns.this.get(order[from + k]);
                made = m;
            }
            return m[i];
        }

        /** The row number in the file's columns of row {@code i}, or -1 when that row is kept whole. */
        private int at(int i) {
            Objects.checkIndex(i, to - from);
            int r = order[from + i];
            return account[r] == ODD ? -1 : r;
        }

        @Override
        public long epochDay(int i) {
            int r = at(i);
            return r < 0 ? get(i).observedOn().toEpochDay() : day[r];
        }

        @Override
        public long seatsInUse(int i) {
            int r = at(i);
            return r < 0 ? get(i).seatsInUse() : seats[r];
        }

        @Override
        public String productId(int i) {
            int r = at(i);
            if (r < 0) return get(i).productId();
            int p = product[r];
            return p < 0 ? null : products[p];
        }

        @Override
        public String accessStatus(int i) {
            int r = at(i);
            return r < 0 ? get(i).accessStatus() : statuses[status[r]];
        }
    }

    /** Collects the accepted rows of one chunk of the file named {@code file}, in file order. */
    static final class Builder {
        private final String file;
        private final Dictionary accounts = new Dictionary(), customers = new Dictionary(), products = new Dictionary(),
                statuses = new Dictionary();
        private int[] account = new int[1024], customer = new int[1024], product = new int[1024], status = new int[1024],
                day = new int[1024], seats = new int[1024], line = new int[1024];
        private final Map<Integer, AppAccount> odd = new HashMap<>();
        private int size;

        Builder(String file) {
            this.file = file;
        }

        void add(AppAccount a) {
            if (size == account.length) grow();
            int row = size++;
            customer[row] = customers.index(a.customerId());
            RowSource src = a.origin();
            long epochDay = a.observedOn().toEpochDay();
            if (src == null || !file.equals(src.file()) || src.line() > Integer.MAX_VALUE || a.seatsInUse() > Integer.MAX_VALUE
                    || epochDay != (int) epochDay) {
                account[row] = ODD;
                odd.put(row, a);
                return;
            }
            account[row] = accounts.index(a.accountId());
            product[row] = a.productId() == null ? -1 : products.index(a.productId());
            status[row] = statuses.index(a.accessStatus());
            day[row] = (int) epochDay;
            seats[row] = (int) a.seatsInUse();
            line[row] = (int) src.line();
        }

        private void grow() {
            int n = account.length * 2;
            account = Arrays.copyOf(account, n);
            customer = Arrays.copyOf(customer, n);
            product = Arrays.copyOf(product, n);
            status = Arrays.copyOf(status, n);
            day = Arrays.copyOf(day, n);
            seats = Arrays.copyOf(seats, n);
            line = Arrays.copyOf(line, n);
        }
    }

    /** The rows of every chunk, in chunk order, as one list; the dictionaries keep the order of first appearance. */
    static AppAccountColumns of(String file, List<Builder> chunks) {
        Dictionary accounts = new Dictionary(), customers = new Dictionary(), products = new Dictionary(), statuses = new Dictionary();
        int n = 0;
        for (Builder b : chunks) n += b.size;
        int[] account = new int[n], customer = new int[n], product = new int[n], status = new int[n], day = new int[n],
                seats = new int[n], line = new int[n];
        Map<Integer, AppAccount> odd = new HashMap<>();
        int at = 0;
        for (Builder b : chunks) {
            int[] a = accounts.merge(b.accounts), c = customers.merge(b.customers), p = products.merge(b.products),
                    s = statuses.merge(b.statuses);
            for (int i = 0; i < b.size; i++) {
                int row = at + i;
                customer[row] = c[b.customer[i]];
                if (b.account[i] == ODD) {
                    account[row] = ODD;
                    odd.put(row, b.odd.get(i));
                    continue;
                }
                account[row] = a[b.account[i]];
                product[row] = b.product[i] < 0 ? -1 : p[b.product[i]];
                status[row] = s[b.status[i]];
            }
            System.arraycopy(b.day, 0, day, at, b.size);
            System.arraycopy(b.seats, 0, seats, at, b.size);
            System.arraycopy(b.line, 0, line, at, b.size);
            at += b.size;
        }
        return new AppAccountColumns(file, accounts.values(), customers.values(), products.values(), statuses.values(),
                account, customer, product, status, day, seats, line, odd);
    }

    /**
     * Strings to indexes in order of first appearance. The files list an account's (a customer's) rows together, so the
     * value is usually the one before, the very String the reader shared: compared by reference, no hashing.
     */
    private static final class Dictionary {
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> values = new ArrayList<>();
        private String last;
        private int lastIndex;

        int index(String s) {
            if (s == last) return lastIndex;
            Integer i = index.get(s);
            if (i == null) {
                i = values.size();
                index.put(s, i);
                values.add(s);
            }
            last = s;
            lastIndex = i;
            return i;
        }

        /** Adds the values of {@code chunk}; answers the index here of each of its indexes. */
        int[] merge(Dictionary chunk) {
            int[] to = new int[chunk.values.size()];
            for (int i = 0; i < to.length; i++) to[i] = index(chunk.values.get(i));
            return to;
        }

        String[] values() {
            return values.toArray(new String[0]);
        }
    }
}
