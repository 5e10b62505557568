package io.leakdetector.app.api;

import io.leakdetector.app.security.AuditLog;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.domain.DomainValidationException;
import io.leakdetector.core.ingest.RowMaps;
import io.leakdetector.core.ingest.RowRejectedException;
import java.util.ArrayList;
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

    IngestService(BillingWriter writer, TransactionTemplate tx, AuditLog audit, Recoveries recoveries) {
        this.recoveries = recoveries;
        this.writer = writer;
        this.tx = tx;
        this.audit = audit;
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
        return tx.execute(s -> {
            IngestResult r = store(channel, valid);
            audit.record("ingest", channel, inputs.size() == 1 ? valid.get(0).kind().name().toLowerCase() + ":" + valid.get(0).parsed().key() : null,
                    "received=" + r.received() + " created=" + r.created() + " updated=" + r.updated() + " unchanged=" + r.unchanged());
            return r;
        });
    }

    /** Invoices whose money may just have arrived: paid invoices, payments and credit notes of an invoice. */
    private static Set<String> invoicesOf(List<ValidRecord> valid) {
        Set<String> out = new LinkedHashSet<>();
        for (ValidRecord r : valid) {
            Object rec = r.parsed().record();
            if (rec instanceof Invoice i) out.add(i.id());
            else if (rec instanceof Payment p && p.invoiceId() != null) out.add(p.invoiceId());
            else if (rec instanceof CreditNote c) out.add(c.invoiceId());
        }
        return out;
    }

    /** Stores already-validated records in the caller's transaction, then checks whether money arrived for a finding. */
    public IngestResult store(String channel, List<ValidRecord> valid) {
        List<IngestResult.Item> items = writer.write(channel, valid);
        recoveries.sweepInvoices(invoicesOf(valid));
        int created = 0, updated = 0, unchanged = 0;
        for (IngestResult.Item it : items) {
            switch (it.outcome()) {
                case "created" -> created++;
                case "updated" -> updated++;
                default -> unchanged++;
            }
        }
        return new IngestResult(valid.size(), created, updated, unchanged, items);
    }
}
