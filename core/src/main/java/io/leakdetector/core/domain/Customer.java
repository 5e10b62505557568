package io.leakdetector.core.domain;

import java.time.Instant;
import java.util.Currency;

/** A paying (or would-be paying) account of the billed company. {@code source} is where the row came from. */
public record Customer(String id, String name, String email, String segment, String region, String country,
                       Currency currency, Instant createdAt, String source) {
    public Customer {
        Require.id(id, "customer_id");
        Require.present(currency, "currency");
    }
}
