package io.leakdetector.app.realtime;

import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.ingest.EntityKind;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which record an event carries, by the prefix of its type: {@code invoice.paid} carries an invoice. */
final class EventTypes {
    private static final Map<String, EntityKind> PREFIXES = new LinkedHashMap<>();

    static {
        PREFIXES.put("customer", EntityKind.CUSTOMERS);
        PREFIXES.put("price", EntityKind.PRICES);
        PREFIXES.put("subscription_change", EntityKind.SUBSCRIPTION_CHANGES);
        PREFIXES.put("subscription", EntityKind.SUBSCRIPTIONS);
        PREFIXES.put("invoice_line", EntityKind.INVOICE_LINES);
        PREFIXES.put("invoice", EntityKind.INVOICES);
        PREFIXES.put("payment_method", EntityKind.PAYMENT_METHODS);
        PREFIXES.put("payment", EntityKind.PAYMENTS);
        PREFIXES.put("refund", EntityKind.REFUNDS);
        PREFIXES.put("credit_note", EntityKind.CREDIT_NOTES);
        PREFIXES.put("dispute", EntityKind.DISPUTES);
        PREFIXES.put("usage", EntityKind.USAGE);
        PREFIXES.put("app_account", EntityKind.APP_ACCOUNTS);
        PREFIXES.put("seats", EntityKind.APP_ACCOUNTS);
    }

    private EventTypes() {}

    static EntityKind kindOf(String type) {
        if (type == null || type.isBlank()) throw ApiException.badField("type", "type is required, e.g. invoice.paid");
        int dot = type.indexOf('.');
        String prefix = dot < 0 ? type : type.substring(0, dot);
        EntityKind k = PREFIXES.get(prefix);
        if (k == null) {
            throw ApiException.badField("type", "unknown event type '" + type + "'; the prefix must be one of "
                    + String.join(", ", PREFIXES.keySet()));
        }
        return k;
    }
}
