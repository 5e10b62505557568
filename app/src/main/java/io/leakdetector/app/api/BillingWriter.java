package io.leakdetector.app.api;

import java.util.List;

/**
 * Writes validated records to the billing store, idempotent on each record's key, inside the caller's
 * transaction.
 */
public interface BillingWriter {

    /** Writes {@code records} (already validated) received over {@code channel}; returns one outcome per record. */
    List<IngestResult.Item> write(String channel, List<ValidRecord> records);
}
