package io.leakdetector.core.generate;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.ChangeEvent;
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
import io.leakdetector.core.ingest.DataFileReader;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.EntitySchema;
import io.leakdetector.core.ingest.Parsed;
import io.leakdetector.core.ingest.Reference;
import io.leakdetector.core.ingest.Rejection;
import io.leakdetector.core.ingest.RowHandler;
import io.leakdetector.core.ingest.Schemas;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generated data directory read back through core's own {@link DataFileReader}, with the indexes the
 * invariant checks need. Everything here comes from the files, nothing from the generator's internals.
 */
final class WorldData {
    final List<Rejection> rejections = new ArrayList<>();
    final Map<EntityKind, Set<String>> keys = new HashMap<>();
    final List<String> danglingReferences = new ArrayList<>();

    final Map<String, Customer> customers = new LinkedHashMap<>();
    final Map<String, Price> prices = new LinkedHashMap<>();
    final Map<String, Subscription> subs = new LinkedHashMap<>();
    final Map<String, List<Subscription>> subsByCustomer = new HashMap<>();
    final Map<String, List<SubscriptionChange>> changesBySub = new HashMap<>();
    final Map<String, Invoice> invoices = new LinkedHashMap<>();
    final Map<String, List<Invoice>> invoicesBySub = new HashMap<>();
    final Map<String, List<InvoiceLine>> linesByInvoice = new HashMap<>();
    final Map<String, List<PaymentMethod>> methodsByCustomer = new HashMap<>();
    final Map<String, Payment> payments = new LinkedHashMap<>();
    final Map<String, List<Payment>> paymentsByInvoice = new HashMap<>();
    final Map<String, List<Refund>> refundsByPayment = new HashMap<>();
    final List<CreditNote> creditNotes = new ArrayList<>();
    final List<Dispute> disputes = new ArrayList<>();
    final List<UsageRecord> usage = new ArrayList<>();
    final Map<String, List<UsageRecord>> usageByCustomer = new HashMap<>();
    final Map<String, List<AppAccount>> accountsByCustomer = new HashMap<>();
    final List<ChangeEvent> events = new ArrayList<>();
    Instant asOf = Instant.EPOCH;

    static WorldData read(Path dir) {
        WorldData d = new WorldData();
        Map<EntityKind, List<Object>> all = new HashMap<>();
        for (EntityKind kind : EntityKind.values()) {
            List<Object> records = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            load(dir, kind, records, keys, d.rejections);
            all.put(kind, records);
            d.keys.put(kind, keys);
        }
        for (EntityKind kind : EntityKind.values()) checkReferences(d, kind, all.get(kind));
        for (Object o : all.get(EntityKind.CUSTOMERS)) d.customers.put(((Customer) o).id(), (Customer) o);
        for (Object o : all.get(EntityKind.PRICES)) d.prices.put(((Price) o).id(), (Price) o);
        for (Object o : all.get(EntityKind.SUBSCRIPTIONS)) {
            Subscription s = (Subscription) o;
            d.subs.put(s.id(), s);
            d.subsByCustomer.computeIfAbsent(s.customerId(), k -> new ArrayList<>()).add(s);
        }
        for (Object o : all.get(EntityKind.SUBSCRIPTION_CHANGES)) {
            SubscriptionChange c = (SubscriptionChange) o;
            d.changesBySub.computeIfAbsent(c.subscriptionId(), k -> new ArrayList<>()).add(c);
            d.seen(c.changedAt());
        }
        for (Object o : all.get(EntityKind.INVOICES)) {
            Invoice i = (Invoice) o;
            d.invoices.put(i.id(), i);
            if (i.subscriptionId() != null) d.invoicesBySub.computeIfAbsent(i.subscriptionId(), k -> new ArrayList<>()).add(i);
            d.seen(i.createdAt());
        }
        for (Object o : all.get(EntityKind.INVOICE_LINES)) {
            InvoiceLine l = (InvoiceLine) o;
            d.linesByInvoice.computeIfAbsent(l.invoiceId(), k -> new ArrayList<>()).add(l);
        }
        for (Object o : all.get(EntityKind.PAYMENT_METHODS)) {
            PaymentMethod m = (PaymentMethod) o;
            d.methodsByCustomer.computeIfAbsent(m.customerId(), k -> new ArrayList<>()).add(m);
        }
        for (Object o : all.get(EntityKind.PAYMENTS)) {
            Payment p = (Payment) o;
            d.payments.put(p.id(), p);
            if (p.invoiceId() != null) d.paymentsByInvoice.computeIfAbsent(p.invoiceId(), k -> new ArrayList<>()).add(p);
            d.seen(p.attemptedAt());
        }
        for (Object o : all.get(EntityKind.REFUNDS)) {
            Refund r = (Refund) o;
            d.refundsByPayment.computeIfAbsent(r.paymentId(), k -> new ArrayList<>()).add(r);
            d.seen(r.createdAt());
        }
        for (Object o : all.get(EntityKind.CREDIT_NOTES)) {
            d.creditNotes.add((CreditNote) o);
            d.seen(((CreditNote) o).createdAt());
        }
        for (Object o : all.get(EntityKind.DISPUTES)) {
            d.disputes.add((Dispute) o);
            d.seen(((Dispute) o).createdAt());
        }
        for (Object o : all.get(EntityKind.USAGE)) {
            d.usage.add((UsageRecord) o);
            d.usageByCustomer.computeIfAbsent(((UsageRecord) o).customerId(), k -> new ArrayList<>()).add((UsageRecord) o);
            d.seen(((UsageRecord) o).periodStart());
        }
        for (Object o : all.get(EntityKind.APP_ACCOUNTS)) {
            AppAccount a = (AppAccount) o;
            d.accountsByCustomer.computeIfAbsent(a.customerId(), k -> new ArrayList<>()).add(a);
            d.seen(a.observedOn().atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        for (Object o : all.get(EntityKind.CHANGE_EVENTS)) {
            d.events.add((ChangeEvent) o);
            d.seen(((ChangeEvent) o).occurredAt());
        }
        return d;
    }

    /** The as-of convention: the latest event timestamp (schedules such as period ends and discount ends excluded). */
    private void seen(Instant t) {
        if (t.isAfter(asOf)) asOf = t;
    }

    @SuppressWarnings("unchecked")
    private static <T> void load(Path dir, EntityKind kind, List<Object> records, Set<String> keys, List<Rejection> rejections) {
        EntitySchema<T> schema = (EntitySchema<T>) Schemas.of(kind);
        DataFileReader.read(dir.resolve(kind.fileName()), schema, new RowHandler<T>() {
            @Override
            public void accepted(Parsed<T> row) {
                records.add(row.record());
                if (!keys.add(row.key())) rejections.add(new Rejection(kind.fileName(), row.line(), null, "duplicate key " + row.key(), ""));
            }

            @Override
            public void rejected(Rejection rejection) {
                rejections.add(rejection);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> void checkReferences(WorldData d, EntityKind kind, List<Object> records) {
        EntitySchema<T> schema = (EntitySchema<T>) Schemas.of(kind);
        for (Reference<T> ref : schema.references()) {
            Set<String> targets = d.keys.get(ref.target());
            for (Object o : records) {
                String v = ref.value().apply((T) o);
                if (v == null) {
                    if (ref.required()) d.danglingReferences.add(kind.fileName() + " " + ref.column() + " missing");
                } else if (!targets.contains(v)) {
                    d.danglingReferences.add(kind.fileName() + " " + ref.column() + "=" + v);
                }
            }
        }
    }

    List<InvoiceLine> lines(Invoice i) {
        return linesByInvoice.getOrDefault(i.id(), List.of());
    }

    List<Payment> payments(Invoice i) {
        return paymentsByInvoice.getOrDefault(i.id(), List.of());
    }
}
