package io.leakdetector.core.domain;

import java.time.Instant;

/** A change to a subscription: plan or quantity change, pause, resume, cancellation, reactivation. */
public record SubscriptionChange(String id, String subscriptionId, Instant changedAt, String kind,
                                 String fromPriceId, String toPriceId, Long fromQuantity, Long toQuantity,
                                 RowSource origin) implements Sourced {
    public SubscriptionChange {
        Require.id(id, "change_id");
        Require.id(subscriptionId, "subscription_id");
        Require.present(changedAt, "changed_at");
        Require.id(kind, "kind");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public SubscriptionChange(String id, String subscriptionId, Instant changedAt, String kind,
                              String fromPriceId, String toPriceId, Long fromQuantity, Long toQuantity,
                              String source) {
        this(id, subscriptionId, changedAt, kind, fromPriceId, toPriceId, fromQuantity, toQuantity,
                RowSource.of(source));
    }
}
