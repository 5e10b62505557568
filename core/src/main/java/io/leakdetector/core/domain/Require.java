package io.leakdetector.core.domain;

import io.leakdetector.core.money.Money;
import java.util.Currency;

/** Construction-time checks whose messages name the field, shared by the domain records. */
public final class Require {
    private Require() {}

    public static String id(String value, String field) {
        if (value == null || value.isBlank()) throw new DomainValidationException(field, "is required");
        return value;
    }

    public static <T> T present(T value, String field) {
        if (value == null) throw new DomainValidationException(field, "is required");
        return value;
    }

    public static long nonNegative(long value, String field) {
        if (value < 0) throw new DomainValidationException(field, "must not be negative (was " + value + ")");
        return value;
    }

    public static Money nonNegative(Money value, String field) {
        present(value, field);
        if (value.isNegative()) throw new DomainValidationException(field, "must not be negative (was " + value + ")");
        return value;
    }

    public static Money inCurrency(Money value, Currency currency, String field) {
        if (value != null && !value.currency().equals(currency)) {
            throw new DomainValidationException(field, "is in " + value.currencyCode() + " but the record is in " + currency.getCurrencyCode());
        }
        return value;
    }
}
