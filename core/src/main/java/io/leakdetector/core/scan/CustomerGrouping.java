package io.leakdetector.core.scan;

import io.leakdetector.core.detect.ArraySlice;
import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.util.Repeats;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Splits loaded data into one {@link CustomerHistory} per customer. Customer ids become int indexes once; each
 * file is bucketed by a counting sort over those indexes, so a history is a set of views into shared arrays, not
 * copies (app accounts in columns are made when the history first reads them). Rows reach their customer through the references they carry (a line through its invoice, a refund
 * through its payment); rows whose customer cannot be found are counted as orphans. A row repeated with the same
 * id within one customer is kept once.
 */
public final class CustomerGrouping {
    private final LoadedData data;
    private final Map<String, Integer> index;
    private final String[] ids;
    private final Customer[] customers;
    private final Bucket<?>[] buckets;
    private long orphans;
    private long duplicates;

    private static final int SUBS = 0, CHANGES = 1, INVOICES = 2, LINES = 3, PAYMENTS = 4, REFUNDS = 5, NOTES = 6,
            DISPUTES = 7, USAGE = 8, APPS = 9, METHODS = 10;

    public CustomerGrouping(LoadedData data) {
        this.data = data;
        Map<String, Integer> idx = new HashMap<>(Math.max(16, data.customers().size() * 2));
        List<String> idList = new java.util.ArrayList<>();
        List<Customer> custList = new java.util.ArrayList<>();
        for (Customer c : data.customers()) {
            if (idx.putIfAbsent(c.id(), idList.size()) == null) {
                idList.add(c.id());
                custList.add(c);
            }
        }
        Function<String, Integer> of = id -> {
            if (id == null) return -1;
            Integer i = idx.get(id);
            if (i != null) return i;
            idx.put(id, idList.size());
            idList.add(id);
            custList.add(null);
            return idList.size() - 1;
        };
        // Owner look-ups only read the maps, so they run in parallel; a customer id seen for the first time gets the
        // next index in file and row order, exactly as one sequential pass would give it.
        int[] subC = customerOwners(data.subscriptions(), s -> s.customerId(), idx, of);
        int[] invC = customerOwners(data.invoices(), inv -> inv.customerId(), idx, of);
        int[] payC = customerOwners(data.payments(), p -> p.customerId(), idx, of);
        Map<String, Integer> subOwner = firstOwners(data.subscriptions(), s -> s.id(), subC, data.subscriptions().size());
        var invOwnerTask = java.util.concurrent.ForkJoinTask.adapt(() -> firstOwners(data.invoices(), inv -> inv.id(), invC, data.invoices().size())).fork();
        // payments are looked up by id only from refunds and disputes (a few thousand): only those ids are kept
        Set<String> paid = new HashSet<>();
        for (var r : data.refunds()) if (r.paymentId() != null) paid.add(r.paymentId());
        for (var d : data.disputes()) if (d.paymentId() != null) paid.add(d.paymentId());
        Map<String, Integer> payOwner = firstOwners(data.payments(), p -> paid.contains(p.id()) ? p.id() : null, payC, paid.size());
        Map<String, Integer> invOwner = invOwnerTask.join();
        int[] chC = owners(data.subscriptionChanges(), c -> subOwner.get(c.subscriptionId()));
        int[] lineC = owners(data.invoiceLines(), l -> invOwner.get(l.invoiceId()));
        int[] refC = owners(data.refunds(), r -> {
            Integer o = payOwner.get(r.paymentId());
            return o != null || r.invoiceId() == null ? o : invOwner.get(r.invoiceId());
        });
        int[] noteC = customerOwners(data.creditNotes(), n -> n.customerId(), idx, of);
        int[] dispC = owners(data.disputes(), d -> payOwner.get(d.paymentId()));
        int[] useC = customerOwners(data.usage(), u -> u.customerId(), idx, of);
        int[] appC = data.appAccounts() instanceof AppAccountColumns cols ? customerOwners(cols, idx, of)
                : customerOwners(data.appAccounts(), a -> a.customerId(), idx, of);
        int[] pmC = customerOwners(data.paymentMethods(), m -> m.customerId(), idx, of);
        int n = idList.size();
        this.index = idx;
        this.ids = idList.toArray(new String[0]);
        this.customers = custList.toArray(new Customer[0]);
        List<?>[] files = {data.subscriptions(), data.subscriptionChanges(), data.invoices(), data.invoiceLines(),
                data.payments(), data.refunds(), data.creditNotes(), data.disputes(), data.usage(), data.appAccounts(),
                data.paymentMethods()};
        int[][] owners = {subC, chC, invC, lineC, payC, refC, noteC, dispC, useC, appC, pmC};
        Bucket<?>[] grouped = new Bucket<?>[files.length];
        IntStream.range(0, files.length).parallel().forEach(k -> grouped[k] = new Bucket<>(files[k], owners[k], n));
        this.buckets = grouped;
        for (Bucket<?> b : buckets) orphans += b.orphans;
    }

    /** The owner of each row by a read-only look-up (null: -1), in parallel. */
    private static <T> int[] owners(List<T> rows, Function<T, Integer> owner) {
        int[] out = new int[rows.size()];
        IntStream.range(0, out.length).parallel().forEach(i -> {
            Integer o = owner.apply(rows.get(i));
            out[i] = o == null ? -1 : o;
        });
        return out;
    }

    /**
     * The customer index of each row (-1 without a customer id): known ids are looked up in parallel, then the rows
     * whose id is new get theirs from {@code of} in row order.
     */
    private static <T> int[] customerOwners(List<T> rows, Function<T, String> customerId, Map<String, Integer> known,
                                            Function<String, Integer> of) {
        final int unknown = -2;
        int[] out = new int[rows.size()];
        IntStream.range(0, out.length).parallel().forEach(i -> {
            String id = customerId.apply(rows.get(i));
            Integer c = id == null ? Integer.valueOf(-1) : known.get(id);
            out[i] = c == null ? unknown : c;
        });
        for (int i = 0; i < out.length; i++) if (out[i] == unknown) out[i] = of.apply(customerId.apply(rows.get(i)));
        return out;
    }

    /**
     * As {@link #customerOwners(List, Function, Map, Function)} for rows in columns: one look-up per distinct customer
     * id, in the order the rows first name them, which gives a new id the index a pass in row order would.
     */
    private static int[] customerOwners(AppAccountColumns rows, Map<String, Integer> known, Function<String, Integer> of) {
        String[] distinct = rows.customerIds();
        int[] byId = new int[distinct.length];
        for (int d = 0; d < distinct.length; d++) {
            Integer c = known.get(distinct[d]);
            byId[d] = c != null ? c : of.apply(distinct[d]);
        }
        int[] out = new int[rows.size()];
        IntStream.range(0, out.length).parallel().forEach(i -> out[i] = byId[rows.customerOf(i)]);
        return out;
    }

    /** Each id's owner, taken from the first row with that id (a null id is left out). */
    private static <T> Map<String, Integer> firstOwners(List<T> rows, Function<T, String> id, int[] owner, int expected) {
        Map<String, Integer> out = new HashMap<>(Math.max(16, expected * 2));
        for (int i = 0; i < owner.length; i++) {
            String k = id.apply(rows.get(i));
            if (k != null) out.putIfAbsent(k, owner[i]);
        }
        return out;
    }

    /**
     * Rows of one file grouped by customer index: a counting sort into one shared array (of row numbers for rows in
     * columns, whose records are made when a customer's history reads them).
     */
    private static final class Bucket<T> {
        final Object[] sorted;
        final AppAccountColumns columns;
        final int[] sortedRows;
        final int[] start;
        final long orphans;

        Bucket(List<T> rows, int[] owner, int customers) {
            start = new int[customers + 1];
            long orph = 0;
            for (int o : owner) {
                if (o < 0) orph++;
                else start[o + 1]++;
            }
            for (int i = 0; i < customers; i++) start[i + 1] += start[i];
            int[] pos = Arrays.copyOf(start, customers);
            if (rows instanceof AppAccountColumns cols) {
                columns = cols;
                sorted = null;
                sortedRows = new int[start[customers]];
                for (int i = 0; i < owner.length; i++) if (owner[i] >= 0) sortedRows[pos[owner[i]]++] = i;
            } else {
                columns = null;
                sortedRows = null;
                sorted = new Object[start[customers]];
                for (int i = 0; i < owner.length; i++) if (owner[i] >= 0) sorted[pos[owner[i]]++] = rows.get(i);
            }
            orphans = orph;
        }

        @SuppressWarnings("unchecked")
        List<T> of(int c) {
            if (start[c] == start[c + 1]) return List.of();
            if (columns != null) return (List<T>) columns.rows(sortedRows, start[c], start[c + 1]);
            return new ArraySlice<>(sorted, start[c], start[c + 1]);
        }
    }

    /** True when customer {@code c} has usage records (only those feed the segment norms). */
    public boolean hasUsage(int c) {
        Bucket<?> b = buckets[USAGE];
        return b.start[c] != b.start[c + 1];
    }

    public int size() {
        return ids.length;
    }

    public String customerId(int c) {
        return ids[c];
    }

    /** The index of a customer id, or -1. */
    public int indexOf(String customerId) {
        Integer i = index.get(customerId);
        return i == null ? -1 : i;
    }

    /** Rows that named no known owner (a line of an unknown invoice, a refund of an unknown payment). */
    public long orphans() {
        return orphans;
    }

    /** Rows dropped because the same id appeared twice for one customer (so far). */
    public synchronized long duplicates() {
        return duplicates;
    }

    private synchronized void addDuplicates(long n) {
        duplicates += n;
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> rows(int kind, int c) {
        return ((Bucket<T>) buckets[kind]).of(c);
    }

    /** The history of customer {@code c}; cheap enough to build on demand for every customer of a scan. */
    public CustomerHistory history(int c) {
        Map<String, List<InvoiceLine>> byInvoice = linesByInvoice(c);
        long[] dups = {0};
        var subs = dedupe(rows(SUBS, c), io.leakdetector.core.domain.Subscription::id, dups);
        var invoices = dedupe(rows(INVOICES, c), io.leakdetector.core.domain.Invoice::id, dups);
        var payments = dedupe(rows(PAYMENTS, c), io.leakdetector.core.domain.Payment::id, dups);
        var refunds = dedupe(rows(REFUNDS, c), io.leakdetector.core.domain.Refund::id, dups);
        if (dups[0] > 0) addDuplicates(dups[0]);
        return new CustomerHistory(ids[c], customers[c], subs, rows(CHANGES, c), invoices, byInvoice, payments, refunds,
                rows(NOTES, c), rows(DISPUTES, c), rows(USAGE, c), rows(APPS, c), rows(METHODS, c));
    }

    /**
     * The lines of customer {@code c} by invoice id, in order of first appearance, each invoice's lines in file order.
     * An invoice's lines follow each other in the file, so each run of one id is a slice of the customer's bucket (no
     * list built); an id met again after another is merged into a list.
     */
    private Map<String, List<InvoiceLine>> linesByInvoice(int c) {
        Bucket<?> b = buckets[LINES];
        Object[] sorted = b.sorted;
        int from = b.start[c], to = b.start[c + 1];
        Map<String, List<InvoiceLine>> byInvoice = new LinkedHashMap<>();
        for (int i = from; i < to; ) {
            String id = ((InvoiceLine) sorted[i]).invoiceId();
            int end = i + 1;
            while (end < to && Objects.equals(((InvoiceLine) sorted[end]).invoiceId(), id)) end++;
            List<InvoiceLine> run = new ArraySlice<>(sorted, i, end);
            List<InvoiceLine> before = byInvoice.putIfAbsent(id, run);
            if (before != null) {
                List<InvoiceLine> merged = new java.util.ArrayList<>(before.size() + run.size());
                merged.addAll(before);
                merged.addAll(run);
                byInvoice.put(id, merged);
            }
            i = end;
        }
        return byInvoice;
    }

    private static <T> List<T> dedupe(List<T> rows, Function<T, String> id, long[] dups) {
        if (rows.size() < 2) return rows;
        // Most customers repeat no id: their ids' hashes, sorted, tell without a set of them (an equal hash only sends
        // the rows the way that finds and drops the repeats)
        int[] hashes = new int[rows.size()];
        for (int i = 0; i < hashes.length; i++) hashes[i] = Objects.hashCode(id.apply(rows.get(i)));
        if (!Repeats.sortAndFind(hashes, hashes.length)) return rows;
        Set<String> seen = new HashSet<>(rows.size() * 2);
        List<T> out = null;
        for (int i = 0; i < rows.size(); i++) {
            T r = rows.get(i);
            if (seen.add(id.apply(r))) {
                if (out != null) out.add(r);
            } else {
                if (out == null) out = new java.util.ArrayList<>(rows.subList(0, i));
                dups[0]++;
            }
        }
        return out == null ? rows : out;
    }

    public LoadedData data() {
        return data;
    }
}
