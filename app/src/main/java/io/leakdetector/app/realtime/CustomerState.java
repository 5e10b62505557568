package io.leakdetector.app.realtime;

import io.leakdetector.app.detect.StoredCustomer;
import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.detect.Detection;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.PriceBook;
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
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.ingest.EntityKind;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One customer's state held in memory between real-time events: every stored record of the customer (loaded once
 * from the store, then updated by each event the way the store's upsert updates it), each detector's last
 * detections, and the customer's findings as stored. The history it hands the detectors lists the records in the
 * order {@link StoredCustomer} reads them, so a detector sees the same input as on a fresh read. Used under the
 * customer's lock only.
 */
final class CustomerState {
    private static final Comparator<Instant> TIME = Comparator.nullsLast(Comparator.naturalOrder());
    private static final Comparator<LocalDate> DAY = Comparator.nullsLast(Comparator.naturalOrder());
    private static final Comparator<String> ID = Comparator.nullsLast(Comparator.naturalOrder());

    private final String customerId;
    private final long generation;
    private final long loadedAtMillis;
    private Customer customer;
    private final Map<EntityKind, Kind<?>> kinds = new EnumMap<>(EntityKind.class);
    /** Lines by invoice id, each list in store order; replaced (never changed in place) when an event touches it. */
    private Map<String, List<InvoiceLine>> lines;
    /** Each detector's detections as of its last run, by detector index in the engine. */
    final Map<Integer, List<Detection>> detections = new HashMap<>();
    /** The price book {@link #detections} were made with. */
    PriceBook priceBook;
    /** The engine {@link #detections} were made with (a settings change makes a new one). */
    DetectionEngine engine;
    /** The customer's findings as stored, by id. */
    final Map<String, Finding> findings = new HashMap<>();

    /** The records of one kind by key, and the list the history shows (rebuilt after a change). */
    private static final class Kind<T> {
        final Map<String, T> byKey = new LinkedHashMap<>();
        final Function<T, String> key;
        final Comparator<T> order;
        List<T> sorted;

        Kind(Function<T, String> key, Comparator<T> order, List<T> rows) {
            this.key = key;
            this.order = order;
            for (T r : rows) byKey.put(key.apply(r), r);
            this.sorted = rows;
        }

        void put(T r) {
            byKey.put(key.apply(r), r);
            sorted = null;
        }

        List<T> list() {
            if (sorted == null) {
                List<T> l = new ArrayList<>(byKey.values());
                l.sort(order);
                sorted = l;
            }
            return sorted;
        }
    }

    CustomerState(String customerId, StoredCustomer.Records r, List<Finding> stored, long generation, long loadedAtMillis) {
        this.customerId = customerId;
        this.generation = generation;
        this.loadedAtMillis = loadedAtMillis;
        this.customer = r.customer();
        kinds.put(EntityKind.SUBSCRIPTIONS, new Kind<>(Subscription::id,
                Comparator.comparing(Subscription::startedAt, TIME).thenComparing(Subscription::id, ID), r.subscriptions()));
        kinds.put(EntityKind.SUBSCRIPTION_CHANGES, new Kind<>(SubscriptionChange::id,
                Comparator.comparing(SubscriptionChange::changedAt, TIME).thenComparing(SubscriptionChange::id, ID), r.changes()));
        kinds.put(EntityKind.INVOICES, new Kind<>(Invoice::id,
                Comparator.comparing(Invoice::createdAt, TIME).thenComparing(Invoice::id, ID), r.invoices()));
        kinds.put(EntityKind.PAYMENTS, new Kind<>(Payment::id,
                Comparator.comparing(Payment::attemptedAt, TIME).thenComparing(Payment::id, ID), r.payments()));
        kinds.put(EntityKind.REFUNDS, new Kind<>(Refund::id,
                Comparator.comparing(Refund::createdAt, TIME).thenComparing(Refund::id, ID), r.refunds()));
        kinds.put(EntityKind.CREDIT_NOTES, new Kind<>(CreditNote::id,
                Comparator.comparing(CreditNote::createdAt, TIME).thenComparing(CreditNote::id, ID), r.creditNotes()));
        kinds.put(EntityKind.DISPUTES, new Kind<>(Dispute::id,
                Comparator.comparing(Dispute::createdAt, TIME).thenComparing(Dispute::id, ID), r.disputes()));
        kinds.put(EntityKind.USAGE, new Kind<>(UsageRecord::id,
                Comparator.comparing(UsageRecord::periodStart, TIME).thenComparing(UsageRecord::id, ID), r.usage()));
        kinds.put(EntityKind.APP_ACCOUNTS, new Kind<>(a -> a.accountId() + "@" + a.observedOn(),
                Comparator.comparing(AppAccount::observedOn, DAY).thenComparing(AppAccount::accountId, ID), r.appAccounts()));
        kinds.put(EntityKind.PAYMENT_METHODS, new Kind<>(PaymentMethod::id, Comparator.comparing(PaymentMethod::id, ID),
                r.paymentMethods()));
        this.lines = new TreeMap<>(r.lines());
        for (Finding f : stored) findings.put(f.id(), f);
    }

    String customerId() {
        return customerId;
    }

    long generation() {
        return generation;
    }

    long loadedAtMillis() {
        return loadedAtMillis;
    }

    /** Applies one stored record of this customer, as the store's upsert does: same key, new content. */
    @SuppressWarnings("unchecked")
    void apply(EntityKind kind, Object record) {
        switch (kind) {
            case CUSTOMERS -> customer = (Customer) record;
            case INVOICE_LINES -> putLine((InvoiceLine) record);
            case PRICES, CHANGE_EVENTS -> { } // not part of a customer's history
            default -> ((Kind<Object>) kinds.get(kind)).put(record);
        }
    }

    private void putLine(InvoiceLine l) {
        Map<String, List<InvoiceLine>> next = new TreeMap<>();
        for (Map.Entry<String, List<InvoiceLine>> e : lines.entrySet()) {
            // a line that moved to another invoice leaves its old one
            List<InvoiceLine> kept = e.getValue();
            for (InvoiceLine x : kept) {
                if (x.id().equals(l.id())) {
                    kept = new ArrayList<>(kept);
                    kept.removeIf(y -> y.id().equals(l.id()));
                    break;
                }
            }
            if (!kept.isEmpty()) next.put(e.getKey(), kept);
        }
        List<InvoiceLine> of = new ArrayList<>(next.getOrDefault(l.invoiceId(), List.of()));
        of.add(l);
        // The store orders an invoice's lines by source line, then id; a line written over HTTP has source line 0.
        of.sort(Comparator.comparingLong(CustomerState::sourceLine).thenComparing(InvoiceLine::id, ID));
        next.put(l.invoiceId(), List.copyOf(of));
        lines = next;
    }

    /** The line number of an imported line ({@code invoice_lines.csv:12}); 0 for one that came over HTTP. */
    private static long sourceLine(InvoiceLine l) {
        String s = l.source();
        if (s == null || !s.contains(".csv:")) return 0;
        try {
            return Long.parseLong(s.substring(s.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Of these invoices, the ones whose money arriving could recover one of the customer's findings: a finding about
     * the invoice, or about its subscription (any month). An invoice this state does not hold is kept (its
     * subscription is unknown here). The rest need no recovery check in the store.
     */
    Set<String> recoverable(Set<String> invoiceIds) {
        if (invoiceIds.isEmpty()) return invoiceIds;
        Set<String> subjects = new HashSet<>();
        for (Finding f : findings.values()) {
            String s = f.subject();
            int at = s.lastIndexOf('@');
            subjects.add(s.startsWith("subscription:") && at > 0 ? s.substring(0, at) : s);
        }
        Set<String> out = new LinkedHashSet<>();
        Map<String, ?> invoices = kinds.get(EntityKind.INVOICES).byKey;
        for (String id : invoiceIds) {
            Invoice inv = (Invoice) invoices.get(id);
            if (inv == null || subjects.contains("invoice:" + id)
                    || inv.subscriptionId() != null && subjects.contains("subscription:" + inv.subscriptionId())) {
                out.add(id);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> list(EntityKind kind) {
        return ((Kind<T>) kinds.get(kind)).list();
    }

    /** The customer's history as the detectors judge it; a new object each time (it indexes itself on use). */
    CustomerHistory history() {
        return new CustomerHistory(customerId, customer, list(EntityKind.SUBSCRIPTIONS), list(EntityKind.SUBSCRIPTION_CHANGES),
                list(EntityKind.INVOICES), lines, list(EntityKind.PAYMENTS), list(EntityKind.REFUNDS),
                list(EntityKind.CREDIT_NOTES), list(EntityKind.DISPUTES), list(EntityKind.USAGE),
                list(EntityKind.APP_ACCOUNTS), list(EntityKind.PAYMENT_METHODS));
    }
}
