package io.leakdetector.core.domain;

import java.time.Instant;

/** Units of a metric used by a customer in a period starting at {@code periodStart} (judged per billing period). */
public record UsageRecord(String id, String customerId, String subscriptionId, String metric, Instant periodStart,
                          long quantity, RowSource origin) implements Sourced {
    public UsageRecord {
        Require.id(id, "usage_id");
        Require.id(customerId, "customer_id");
        Require.id(metric, "metric");
        Require.present(periodStart, "period_start");
        Require.nonNegative(quantity, "quantity");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public UsageRecord(String id, String customerId, String subscriptionId, String metric, Instant periodStart,
                       long quantity, String source) {
        this(id, customerId, subscriptionId, metric, periodStart, quantity, RowSource.of(source));
    }
}
