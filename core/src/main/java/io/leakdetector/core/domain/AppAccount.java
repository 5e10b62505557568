package io.leakdetector.core.domain;

import java.time.LocalDate;

/**
 * A daily observation of a customer's account in the product: seats in use and access status
 * (active, suspended, revoked). One row per account and day.
 */
public record AppAccount(String accountId, String customerId, String productId, LocalDate observedOn,
                         long seatsInUse, String accessStatus, RowSource origin) implements Sourced {
    public AppAccount {
        Require.id(accountId, "account_id");
        Require.id(customerId, "customer_id");
        Require.present(observedOn, "observed_on");
        Require.nonNegative(seatsInUse, "seats_in_use");
        Require.id(accessStatus, "access_status");
    }

    /** The row's identity: one observation per account per day. */
    public String key() {
        return accountId + "@" + observedOn;
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public AppAccount(String accountId, String customerId, String productId, LocalDate observedOn,
                      long seatsInUse, String accessStatus, String source) {
        this(accountId, customerId, productId, observedOn, seatsInUse, accessStatus, RowSource.of(source));
    }
}
