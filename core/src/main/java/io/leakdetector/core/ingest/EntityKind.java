package io.leakdetector.core.ingest;

/**
 * The files of a data directory, in the order they load: every file comes after the files it references.
 */
public enum EntityKind {
    CUSTOMERS("customers.csv"),
    PRICES("prices.csv"),
    SUBSCRIPTIONS("subscriptions.csv"),
    SUBSCRIPTION_CHANGES("subscription_changes.csv"),
    INVOICES("invoices.csv"),
    INVOICE_LINES("invoice_lines.csv"),
    PAYMENT_METHODS("payment_methods.csv"),
    PAYMENTS("payments.csv"),
    REFUNDS("refunds.csv"),
    CREDIT_NOTES("credit_notes.csv"),
    DISPUTES("disputes.csv"),
    USAGE("usage.csv"),
    APP_ACCOUNTS("app_accounts.csv"),
    CHANGE_EVENTS("change_events.csv");

    private final String fileName;

    EntityKind(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    public EntitySchema<?> schema() {
        return Schemas.of(this);
    }
}
