package io.leakdetector.core.ml.features;

import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.UsageRecord;
import io.leakdetector.core.ingest.DataFileReader;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.Parsed;
import io.leakdetector.core.ingest.Rejection;
import io.leakdetector.core.ingest.RowHandler;
import io.leakdetector.core.ingest.Schemas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Reads the files of a data directory with core's schemas; a missing file is an empty list. */
    public static BillingData read(Path dir) {
        return new BillingData(
                load(dir, EntityKind.CUSTOMERS, Customer.class),
                load(dir, EntityKind.PRICES, Price.class),
                load(dir, EntityKind.SUBSCRIPTIONS, Subscription.class),
                load(dir, EntityKind.INVOICES, Invoice.class),
                load(dir, EntityKind.INVOICE_LINES, InvoiceLine.class),
                load(dir, EntityKind.PAYMENTS, Payment.class),
                load(dir, EntityKind.REFUNDS, Refund.class),
                load(dir, EntityKind.CREDIT_NOTES, CreditNote.class),
                load(dir, EntityKind.USAGE, UsageRecord.class));
    }

    private static <T> List<T> load(Path dir, EntityKind kind, Class<T> type) {
        Path file = dir.resolve(kind.fileName());
        List<T> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        DataFileReader.read(file, Schemas.of(kind, type), new RowHandler<T>() {
            @Override
            public void accepted(Parsed<T> row) { out.add(row.record()); }

            @Override
            public void rejected(Rejection rejection) { /* the importer reports rejections; features skip them */ }
        });
        return out;
    }
}
