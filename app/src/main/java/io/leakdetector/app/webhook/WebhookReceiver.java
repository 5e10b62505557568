package io.leakdetector.app.webhook;

import io.leakdetector.app.api.IngestResult;
import io.leakdetector.app.api.IngestService;
import io.leakdetector.app.api.RecordInput;
import io.leakdetector.app.api.ValidRecord;
import io.leakdetector.app.security.AuditLog;
import io.leakdetector.app.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What both providers share once a signature is verified: replay and idempotency checks on the event id, record
 * validation, and one transaction that stores the records together with the processed-event mark.
 */
@Component
class WebhookReceiver {
    private final ProcessedEvents processed;
    private final IngestService ingest;
    private final TransactionTemplate tx;
    private final AuditLog audit;

    WebhookReceiver(ProcessedEvents processed, IngestService ingest, TransactionTemplate tx, AuditLog audit) {
        this.processed = processed;
        this.ingest = ingest;
        this.tx = tx;
        this.audit = audit;
    }

    /** A verified event mapped to records, or to nothing with the reason it is ignored. */
    record Mapped(List<RecordInput> records, String ignoredReason) {
        static Mapped ignored(String reason) {
            return new Mapped(List.of(), reason);
        }
    }

    WebhookOutcome receive(String provider, String eventId, String type, String signatureHeader, Mapped mapped) {
        String sigHash = sha256(signatureHeader);
        Optional<String> seen = processed.signatureOf(provider, eventId);
        if (seen.isPresent()) {
            if (seen.get().equals(sigHash)) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "replayed-signature", "signature",
                        "this signed delivery of event " + eventId + " was already received (replay)");
            }
            return new WebhookOutcome(eventId, type, "duplicate", "event already processed", List.of());
        }
        List<ValidRecord> valid;
        String reason = mapped.ignoredReason();
        try {
            valid = reason == null ? ingest.validate(mapped.records(), false) : List.of();
        } catch (ApiException e) {
            // The provider's own data breaks a domain rule: acknowledge (a retry would not fix it) but store nothing.
            valid = List.of();
            reason = "not stored: " + e.getMessage();
        }
        List<ValidRecord> toStore = valid;
        String why = reason;
        WebhookOutcome outcome = tx.execute(s -> {
            IngestResult r = toStore.isEmpty() ? null : ingest.store(provider, toStore);
            if (!processed.mark(provider, eventId, type, sigHash, toStore.size(), why)) {
                s.setRollbackOnly();
                return new WebhookOutcome(eventId, type, "duplicate", "event processed concurrently", List.of());
            }
            audit.recordAs("webhook:" + provider, "webhook." + (r == null ? "ignored" : "stored"), "event", eventId,
                    type + (why == null ? "" : " " + why));
            return new WebhookOutcome(eventId, type, r == null ? "ignored" : "stored", why, r == null ? List.of() : r.items());
        });
        if (!toStore.isEmpty()) ingest.changed(toStore);
        return outcome;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((text == null ? "" : text).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
