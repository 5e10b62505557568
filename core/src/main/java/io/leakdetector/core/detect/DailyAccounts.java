package io.leakdetector.core.detect;

import io.leakdetector.core.domain.AppAccount;
import java.util.List;

/**
 * A customer's daily app-account rows read field by field, as the two detectors that walk every row read them
 * (UNBILLED_USAGE's seats per day, UNBILLED_SERVICE's days of access): a batch scan's rows, held in columns, answer
 * without making a record per row, and a record is made only for a row a finding cites. Records (real time, tests)
 * are read through the same view. Row {@code r} is the {@code r}-th of {@link CustomerHistory#appAccounts()}.
 */
public interface DailyAccounts {
    int size();

    /** {@code observedOn().toEpochDay()} of row {@code r}. */
    long epochDay(int r);

    long seatsInUse(int r);

    /** May be null. */
    String productId(int r);

    String accessStatus(int r);

    /** The record of row {@code r} (equal to the list's). */
    AppAccount get(int r);

    /** The view of {@code rows}: the list itself when it is one. */
    static DailyAccounts of(List<AppAccount> rows) {
        if (rows instanceof DailyAccounts d) return d;
        return new DailyAccounts() {
            @Override public int size() { return rows.size(); }
            @Override public long epochDay(int r) { return rows.get(r).observedOn().toEpochDay(); }
            @Override public long seatsInUse(int r) { return rows.get(r).seatsInUse(); }
            @Override public String productId(int r) { return rows.get(r).productId(); }
            @Override public String accessStatus(int r) { return rows.get(r).accessStatus(); }
            @Override public AppAccount get(int r) { return rows.get(r); }
        };
    }
}
