package io.leakdetector.core.money;

import java.util.Currency;

/** Raised when arithmetic would mix two currencies; convert explicitly with a rate table instead. */
public final class CurrencyMismatchException extends IllegalArgumentException {
    public CurrencyMismatchException(Currency a, Currency b) {
        super("cannot combine " + a.getCurrencyCode() + " and " + b.getCurrencyCode() + " amounts");
    }
}
