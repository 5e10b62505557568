package io.leakdetector.core.domain;

import java.time.YearMonth;

/** A stored payment method; for cards the expiry month. */
public record PaymentMethod(String id, String customerId, String type, String brand, YearMonth expires,
                            boolean isDefault, String source) {
    public PaymentMethod {
        Require.id(id, "payment_method_id");
        Require.id(customerId, "customer_id");
        Require.id(type, "type");
    }
}
