package io.leakdetector.core.domain;

import java.time.YearMonth;

/** A stored payment method; for cards the expiry month. */
public record PaymentMethod(String id, String customerId, String type, String brand, YearMonth expires,
                            boolean isDefault, RowSource origin) implements Sourced {
    public PaymentMethod {
        Require.id(id, "payment_method_id");
        Require.id(customerId, "customer_id");
        Require.id(type, "type");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public PaymentMethod(String id, String customerId, String type, String brand, YearMonth expires,
                         boolean isDefault, String source) {
        this(id, customerId, type, brand, expires, isDefault, RowSource.of(source));
    }
}
