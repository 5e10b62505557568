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
import java.util.List;
import java.util.Map;

/**
 * Everything known about one customer at one moment: the unit every detector works on, whether a batch scan
 * or a real-time event assembled it. {@code customer} may be null when only the id is known (its row was
 * rejected). Lines are grouped by invoice id.
 */
public record CustomerHistory(String customerId, Customer customer, List<Subscription> subscriptions,
                              List<SubscriptionChange> subscriptionChanges, List<Invoice> invoices,
                              Map<String, List<InvoiceLine>> linesByInvoice, List<Payment> payments,
                              List<Refund> refunds, List<CreditNote> creditNotes, List<Dispute> disputes,
                              List<UsageRecord> usage, List<AppAccount> appAccounts,
                              List<PaymentMethod> paymentMethods) {
    public CustomerHistory {
        if (customerId == null || customerId.isBlank()) throw new IllegalArgumentException("customerId is required");
        subscriptions = nn(subscriptions);
        subscriptionChanges = nn(subscriptionChanges);
        invoices = nn(invoices);
        linesByInvoice = linesByInvoice == null ? Map.of() : linesByInvoice;
        payments = nn(payments);
        refunds = nn(refunds);
        creditNotes = nn(creditNotes);
        disputes = nn(disputes);
        usage = nn(usage);
        appAccounts = nn(appAccounts);
        paymentMethods = nn(paymentMethods);
    }

    private static <T> List<T> nn(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** The lines of one invoice, empty when it has none. */
    public List<InvoiceLine> lines(String invoiceId) {
        List<InvoiceLine> l = linesByInvoice.get(invoiceId);
        return l == null ? List.of() : l;
    }

    /** Payment attempts on one invoice, in file order. */
    public List<Payment> paymentsFor(String invoiceId) {
        List<Payment> out = new ArrayList<>(4);
        for (Payment p : payments) if (invoiceId.equals(p.invoiceId())) out.add(p);
        return out;
    }

    public List<Invoice> invoicesOf(String subscriptionId) {
        List<Invoice> out = new ArrayList<>();
        for (Invoice i : invoices) if (subscriptionId.equals(i.subscriptionId())) out.add(i);
        return out;
    }

    public List<SubscriptionChange> changesOf(String subscriptionId) {
        List<SubscriptionChange> out = new ArrayList<>(2);
        for (SubscriptionChange c : subscriptionChanges) if (subscriptionId.equals(c.subscriptionId())) out.add(c);
        return out;
    }

    public List<CreditNote> creditNotesFor(String invoiceId) {
        List<CreditNote> out = new ArrayList<>(1);
        for (CreditNote c : creditNotes) if (invoiceId.equals(c.invoiceId())) out.add(c);
        return out;
    }
}
