package io.leakdetector.app.api;

import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.Parsed;
import java.util.Map;

/** A record that passed core's schema and domain checks, with the fields it was built from. */
public record ValidRecord(EntityKind kind, Parsed<?> parsed, Map<String, String> fields, String source) {

    /** The customer the record belongs to, when it names one directly. */
    public String customerId() {
        String c = fields.get("customer_id");
        if (c == null && kind == EntityKind.CUSTOMERS) c = parsed.key();
        return c;
    }
}
