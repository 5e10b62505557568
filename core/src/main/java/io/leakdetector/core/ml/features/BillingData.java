package io.leakdetector.core.ml.features;

import io.leakdetector.core.scan.DataDirectoryLoader;
import io.leakdetector.core.scan.LoadedData;
import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.UsageRecord;

import java.nio.file.Path;
import java.util.List;

/**
 * The billing records the feature layer reads, held in memory: what one data directory holds (rejected rows are
 * skipped, they are the importer's business), or lists built by hand in tests.
 */
public record BillingData(List<Customer> customers, List<Price> prices, List<Subscription> subscriptions,
                          List<Invoice> invoices, List<InvoiceLine> lines, List<Payment> payments,
                          List<Refund> refunds, List<CreditNote> creditNotes, List<UsageRecord> usage) {
    public BillingData {
        customers = List.copyOf(customers);
        prices = List.copyOf(prices);
        subscriptions = List.copyOf(subscriptions);
        invoices = List.copyOf(invoices);
        lines = List.copyOf(lines);
        payments = List.copyOf(payments);
        refunds = List.copyOf(refunds);
        creditNotes = List.copyOf(creditNotes);
        usage = List.copyOf(usage);
    }

    /**
     * Reads the files of a data directory with the scan's loader (the same parsing, validation and parallel reads);
     * a missing file is an empty list and rejected rows are skipped.
     */
    public static BillingData read(Path dir) {
        return of(DataDirectoryLoader.load(dir, Runtime.getRuntime().availableProcessors()));
    }

    /** The records the feature layer needs from data the scan has already loaded. */
    public static BillingData of(LoadedData d) {
        return new BillingData(d.customers(), d.prices(), d.subscriptions(), d.invoices(), d.invoiceLines(), d.payments(),
                d.refunds(), d.creditNotes(), d.usage());
    }
}
