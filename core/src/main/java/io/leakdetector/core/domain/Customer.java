package io.leakdetector.core.domain;

import java.time.Instant;
import java.util.Currency;

/** A paying (or would-be paying) account of the billed company. {@code origin} is where the row came from. */
public record Customer(String id, String name, String email, String segment, String region, String country,
                       Currency currency, Instant createdAt, RowSource origin) implements Sourced {
    public Customer {
        Require.id(id, "customer_id");
        Require.present(currency, "currency");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public Customer(String id, String name, String email, String segment, String region, String country,
                    Currency currency, Instant createdAt, String source) {
        this(id, name, email, segment, region, country, currency, createdAt, RowSource.of(source));
    }
}
