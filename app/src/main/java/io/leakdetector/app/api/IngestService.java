package io.leakdetector.app.api;

import io.leakdetector.app.security.AuditLog;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.domain.DomainValidationException;
import io.leakdetector.core.ingest.RowMaps;
import io.leakdetector.core.ingest.RowRejectedException;
import java.util.ArrayList;
import java.util.Collection;
import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.Payment;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import io.leakdetector.app.remediation.Recoveries;
import java.util.function.IntFunction;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way records enter the store over HTTP (JSON ingest, provider webhooks, real-time events): every record is
 * validated by core's schemas first, and only when all are valid are they written, in one transaction — a request
 * is stored whole or not at all.
 */
@Service
public class IngestService {
    private final BillingWriter writer;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final Recoveries recoveries;
    private final StoreChanges changes;

    IngestService(BillingWriter writer, TransactionTemplate tx, AuditLog audit, Recoveries recoveries, StoreChanges changes) {
        this.recoveries = recoveries;
        this.writer = writer;
        this.tx = tx;
        this.audit = audit;
        this.changes = changes;
    }

    /** Field names of a bulk body: {@code [3].total}. */
    public static final IntFunction<String> INDEXED = i -> "[" + i + "].";
    /** Field names of a single record: {@code total}. */
    public static final IntFunction<String> PLAIN = i -> "";

    public List<ValidRecord> validate(List<RecordInput> inputs, boolean indexed) {
        return validate(inputs, indexed ? INDEXED : PLAIN);
    }

    /**
     * Validates every input; the first invalid one throws a 400 {@link ApiException} naming the field, prefixed by
     * {@code prefix} applied to the input's index.
     */
    public List<ValidRecord> validate(List<RecordInput> inputs, IntFunction<String> prefixOf) {
        List<ValidRecord> valid = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            RecordInput in = inputs.get(i);
            String prefix = prefixOf.apply(i);
            try {
                valid.add(new ValidRecord(in.kind(), RowMaps.parse(in.kind().schema(), in.fields(), in.source()),
                        in.fields(), in.source()));
            } catch (RowRejectedException e) {
                String field = e.column() == null ? null : prefix + e.column();
                throw ApiException.badField(field, (field == null ? "" : field + ": ") + e.reason());
            } catch (DomainValidationException e) {
                throw ApiException.badField(prefix + e.field(), prefix + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw ApiException.badField(prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1), prefix + e.getMessage());
            }
        }
        return valid;
    }

    /** Validates and stores all inputs or none; audited as one change by the caller. */
    public IngestResult ingest(String channel, List<RecordInput> inputs, boolean indexed) {
        List<ValidRecord> valid = validate(inputs, indexed);
        IngestResult result = tx.execute(s -> {
            IngestResult r = store(channel, valid);
            audit.record("ingest", channel, inputs.size() == 1 ? valid.get(0).kind().name().toLowerCase() + ":" + valid.get(0).parsed().key() : null,
                    "received=" + r.received() + " created=" + r.created() + " updated=" + r.updated() + " unchanged=" + r.unchanged());
            return r;
        });
        changed(valid);
        return result;
    }

    /**
     * Tells the real-time state that these records were stored by another path (call after the commit): their
     * customers' states are read again, everyone's when a record names no customer.
     */
    public void changed(List<ValidRecord> stored) {
        Set<String> customers = new LinkedHashSet<>();
        for (ValidRecord r : stored) {
            String c = r.customerId();
            if (c == null) {
                changes.changedAll();
                return;
            }
            customers.add(c);
        }
        changes.changed(customers);
    }

    /** Invoices whose money may just have arrived: paid invoices, payments and credit notes of an invoice. */
    public static Set<String> invoicesOf(List<ValidRecord> valid) {
        Set<String> out = new LinkedHashSet<>();
        for (ValidRecord r : valid) {
            Object rec = r.parsed().record();
            if (rec instanceof Invoice i) out.add(i.id());
            else if (rec instanceof Payment p && p.invoiceId() != null) out.add(p.invoiceId());
            else if (rec instanceof CreditNote c) out.add(c.invoiceId());
        }
        return out;
    }

    /**
     * Stores already-validated records in the caller's transaction, then checks whether money arrived for a finding;
     * the caller signals {@link #changed(List)} after its commit unless it is the real-time path.
     */
    public IngestResult store(String channel, List<ValidRecord> valid) {
        return store(channel, valid, invoicesOf(valid));
    }

    /**
     * {@link #store(String, List)} checking only {@code sweep} of the invoices for arrived money: the real-time path
     * knows from its in-memory findings which of them have a finding that could recover.
     */
    public IngestResult store(String channel, List<ValidRecord> valid, Collection<String> sweep) {
        List<IngestResult.Item> items = writer.write(channel, valid);
        if (!sweep.isEmpty()) recoveries.sweepInvoices(sweep);
        return IngestResult.of(items);
    }
}
