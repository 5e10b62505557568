package io.leakdetector.core.detect;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Dispute;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentMethod;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionChange;
import io.leakdetector.core.domain.UsageRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything known about one customer at one moment: the unit every detector works on, whether a batch scan
 * or a real-time event assembled it. {@code customer} may be null when only the id is known (its row was
 * rejected). Lines are grouped by invoice id. Immutable from the outside; look-ups by invoice or subscription id
 * are indexed on first use (a history is used by one thread at a time).
 */
public final class CustomerHistory {
    private final String customerId;
    private final Customer customer;
    private final List<Subscription> subscriptions;
    private final List<SubscriptionChange> subscriptionChanges;
    private final List<Invoice> invoices;
    private final Map<String, List<InvoiceLine>> linesByInvoice, lines; // the unmodifiable view, and the map it shows
    private final List<Payment> payments;
    private final List<Refund> refunds;
    private final List<CreditNote> creditNotes;
    private final List<Dispute> disputes;
    private final List<UsageRecord> usage;
    private final List<AppAccount> appAccounts;
    private final List<PaymentMethod> paymentMethods;
    private final DailyAccounts accountDays;
    private Map<String, List<Payment>> paymentsByInvoice;
    private Map<String, List<Invoice>> invoicesBySub;
    private Map<String, List<SubscriptionChange>> changesBySub;
    private Map<String, List<CreditNote>> notesByInvoice;
    private Map<java.util.Currency, long[]> positiveTotals;

    public CustomerHistory(String customerId, Customer customer, List<Subscription> subscriptions,
                           List<SubscriptionChange> subscriptionChanges, List<Invoice> invoices,
                           Map<String, List<InvoiceLine>> linesByInvoice, List<Payment> payments,
                           List<Refund> refunds, List<CreditNote> creditNotes, List<Dispute> disputes,
                           List<UsageRecord> usage, List<AppAccount> appAccounts,
                           List<PaymentMethod> paymentMethods) {
        if (customerId == null || customerId.isBlank()) throw new IllegalArgumentException("customerId is required");
        this.customerId = customerId;
        this.customer = customer;
        this.subscriptions = nn(subscriptions);
        this.subscriptionChanges = nn(subscriptionChanges);
        this.invoices = nn(invoices);
        this.lines = linesByInvoice == null ? Map.of() : linesByInvoice;
        this.linesByInvoice = linesByInvoice == null ? Map.of() : Collections.unmodifiableMap(linesByInvoice);
        this.payments = nn(payments);
        this.refunds = nn(refunds);
        this.creditNotes = nn(creditNotes);
        this.disputes = nn(disputes);
        this.usage = nn(usage);
        this.appAccounts = nn(appAccounts);
        this.accountDays = appAccounts == null ? DailyAccounts.of(List.of()) : DailyAccounts.of(appAccounts);
        this.paymentMethods = nn(paymentMethods);
    }

    private static <T> List<T> nn(List<T> list) {
        if (list == null || list.isEmpty()) return List.of();
        return list instanceof ArraySlice<T> ? list : Collections.unmodifiableList(list); // a slice is unmodifiable
    }

    public String customerId() { return customerId; }
    public Customer customer() { return customer; }
    public List<Subscription> subscriptions() { return subscriptions; }
    public List<SubscriptionChange> subscriptionChanges() { return subscriptionChanges; }
    public List<Invoice> invoices() { return invoices; }
    public Map<String, List<InvoiceLine>> linesByInvoice() { return linesByInvoice; }
    public List<Payment> payments() { return payments; }
    public List<Refund> refunds() { return refunds; }
    public List<CreditNote> creditNotes() { return creditNotes; }
    public List<Dispute> disputes() { return disputes; }
    public List<UsageRecord> usage() { return usage; }
    public List<AppAccount> appAccounts() { return appAccounts; }
    public List<PaymentMethod> paymentMethods() { return paymentMethods; }

    /** {@link #appAccounts()} read field by field (without a record per row when the scan holds them in columns). */
    public DailyAccounts appAccountDays() { return accountDays; }

    /** The lines of one invoice, empty when it has none. */
    public List<InvoiceLine> lines(String invoiceId) {
        List<InvoiceLine> l = lines.get(invoiceId);
        return l == null ? List.of() : l;
    }

    /** Payment attempts on one invoice, in file order. */
    public List<Payment> paymentsFor(String invoiceId) {
        if (paymentsByInvoice == null) paymentsByInvoice = index(payments, Payment::invoiceId);
        return paymentsByInvoice.getOrDefault(invoiceId, List.of());
    }

    public List<Invoice> invoicesOf(String subscriptionId) {
        if (invoicesBySub == null) invoicesBySub = index(invoices, Invoice::subscriptionId);
        return invoicesBySub.getOrDefault(subscriptionId, List.of());
    }

    public List<SubscriptionChange> changesOf(String subscriptionId) {
        if (changesBySub == null) changesBySub = index(subscriptionChanges, SubscriptionChange::subscriptionId);
        return changesBySub.getOrDefault(subscriptionId, List.of());
    }

    public List<CreditNote> creditNotesFor(String invoiceId) {
        if (creditNotes.isEmpty()) return List.of();
        if (notesByInvoice == null) notesByInvoice = index(creditNotes, CreditNote::invoiceId);
        return notesByInvoice.getOrDefault(invoiceId, List.of());
    }

    /** The totals of the invoices in {@code currency} that are above zero, ascending (shared: do not change it). */
    public long[] positiveInvoiceTotals(java.util.Currency currency) {
        if (positiveTotals == null) {
            Map<java.util.Currency, List<Long>> by = new HashMap<>();
            for (Invoice i : invoices) {
                if (i.total().isPositive()) by.computeIfAbsent(i.currency(), c -> new ArrayList<>()).add(i.total().minor());
            }
            positiveTotals = new HashMap<>();
            for (Map.Entry<java.util.Currency, List<Long>> e : by.entrySet()) {
                long[] a = e.getValue().stream().mapToLong(Long::longValue).toArray();
                java.util.Arrays.sort(a);
                positiveTotals.put(e.getKey(), a);
            }
        }
        return positiveTotals.getOrDefault(currency, new long[0]);
    }

    private static <T> Map<String, List<T>> index(List<T> rows, Function<T, String> key) {
        Map<String, List<T>> m = new HashMap<>(Math.max(4, rows.size() * 2));
        for (T r : rows) {
            String k = key.apply(r);
            if (k != null) m.computeIfAbsent(k, x -> new ArrayList<>(2)).add(r);
        }
        for (Map.Entry<String, List<T>> e : m.entrySet()) {
            List<T> l = e.getValue();
            e.setValue(new ArraySlice<>(l.toArray(), 0, l.size()));
        }
        return m;
    }
}
