package io.leakdetector.core.evaluate;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.util.Currency;

/**
 * One known leak of a labelled data set (a row of {@code truth.csv}): the subject in the grammar of DESIGN.md §5,
 * its category and kind, the one-time and monthly-recurring amounts its data shows, when it started, a note on
 * its cause, and where it was read ({@code truth.csv:12}).
 */
public record TruthRow(String subject, Category category, Kind kind, Money amountOneTime, Money amountMonthlyRecurring,
                       Currency currency, Instant startedAt, String note, String source) {
    public TruthRow {
        if (subject == null || subject.isBlank()) throw new IllegalArgumentException("subject is required");
        if (category == null) throw new IllegalArgumentException("category is required");
        if (currency == null) throw new IllegalArgumentException("currency is required");
        if (kind == null) kind = category.defaultKind();
        if (amountOneTime == null) amountOneTime = Money.zero(currency);
        if (amountMonthlyRecurring == null) amountMonthlyRecurring = Money.zero(currency);
    }
}
