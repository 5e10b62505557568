package io.leakdetector.core.scan;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Dispute;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentMethod;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionChange;
import io.leakdetector.core.domain.UsageRecord;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.Rejection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A data directory read into memory: the records of every file, the rows rejected (first few kept per file,
 * all counted), the rows read per file, and the latest event time seen (the default as-of time). Read by
 * {@link DataDirectoryLoader}, the app accounts are a list in columns that makes each record when asked: equal
 * records, not the same objects, on every {@code get}.
 */
public record LoadedData(List<Customer> customers, List<Price> prices, List<Subscription> subscriptions,
                         List<SubscriptionChange> subscriptionChanges, List<Invoice> invoices, List<InvoiceLine> invoiceLines,
                         List<PaymentMethod> paymentMethods, List<Payment> payments, List<Refund> refunds,
                         List<CreditNote> creditNotes, List<Dispute> disputes, List<UsageRecord> usage,
                         List<AppAccount> appAccounts, Map<EntityKind, FileStats> files, Instant latestEvent) {

    /** Per file: rows read, accepted and rejected, with the first rejections kept for the report. */
    public record FileStats(String file, boolean present, long read, long accepted, long rejected, List<Rejection> firstRejections) {}

    /**
     * The same data without what only the rule detectors read (subscription changes, payment methods, disputes, the
     * daily app accounts): what a pass over the billing records keeps, so that the rest can be let go before it runs.
     */
    public LoadedData billingOnly() {
        return new LoadedData(customers, prices, subscriptions, List.of(), invoices, invoiceLines, List.of(), payments, refunds,
                creditNotes, List.of(), usage, List.of(), files, latestEvent);
    }

    public long rejectedRows() {
        return files.values().stream().mapToLong(FileStats::rejected).sum();
    }

    public long readRows() {
        return files.values().stream().mapToLong(FileStats::read).sum();
    }
}
